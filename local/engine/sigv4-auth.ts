/**
 * The local equivalent of API Gateway's AWS_IAM authorization: a request must carry an AWS
 * Signature Version 4 `Authorization` header signed with the local credentials (access key `local`,
 * secret `local`, service `execute-api`, any region). The signature is recomputed over the request as
 * received (method, path, query, the signed headers, the body's SHA-256) and compared, as API
 * Gateway does; failures answer 403 with API Gateway's messages. Presigned URLs (signature in the
 * query string) and session tokens are not supported locally.
 *
 * Signing uses real (host) time, not the engine's scaled clock: clients sign with their own clock.
 */
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Request {
  method: string;
  /** Path as received (still percent-encoded), without the query string. */
  path: string;
  /** Raw query string without '?', as received. */
  query: string;
  /** Header values by lower-case name (repeated headers joined with ','). */
  headers: Record<string, string>;
  body: Buffer;
}

/** Who signed, once verified: becomes requestContext.identity. */
export interface VerifiedCaller {
  accessKey: string;
  region: string;
}

/** API Gateway's IAM-auth failures: status 403, its message and error type. */
export class AuthError extends Error {
  readonly status = 403;
  constructor(
    readonly errorType:
      | 'MissingAuthenticationTokenException'
      | 'IncompleteSignatureException'
      | 'UnrecognizedClientException'
      | 'InvalidSignatureException',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

// Messages as API Gateway words them:
// https://repost.aws/knowledge-center/api-gateway-authentication-token-errors
// https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
export const MISSING_TOKEN = 'Missing Authentication Token';
export const INVALID_TOKEN = 'The security token included in the request is invalid.';
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** SigV4 requests are valid for 5 minutes around their X-Amz-Date. */
const MAX_SKEW_MS = 5 * 60 * 1000;
/** API Gateway's signing name; the local engine verifies Step Functions' ('states'). */
const API_SERVICE = 'execute-api';

/**
 * True when a Host header names this machine's loopback (127.0.0.1, localhost, [::1], any port).
 * The local servers refuse every other Host, so a web page that rebinds its own DNS name to
 * 127.0.0.1 (DNS rebinding) cannot reach them from the browser.
 */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(hostHeader.trim().toLowerCase());
  if (!m) return false;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(m[1]!);
}

/** A node:crypto SHA-256 / HMAC-SHA256 in the shape the signer expects (no extra dependency). */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    // The signer creates a new hash per use; nothing to reset.
  }
}

function toBytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof d === 'string') return d;
  if (ArrayBuffer.isView(d)) return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  return new Uint8Array(d);
}

interface ParsedAuthorization {
  accessKey: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(header: string): ParsedAuthorization {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!m) {
    // API Gateway treats a non-SigV4 Authorization header as an incomplete signature.
    throw new AuthError(
      'IncompleteSignatureException',
      `Authorization header requires the AWS4-HMAC-SHA256 algorithm. Authorization=${header.split(' ')[0]}`,
    );
  }
  const params = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const i = part.indexOf('=');
    if (i > 0) params.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !params.get(k));
  if (missing.length) {
    throw new AuthError('IncompleteSignatureException', missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '));
  }
  const scope = params.get('Credential')!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new AuthError(
      'IncompleteSignatureException',
      `Credential should be scoped to a valid region, not '${params.get('Credential')}'.`,
    );
  }
  const [accessKey, date, region, service] = scope;
  return {
    accessKey,
    date,
    region,
    service,
    signedHeaders: params.get('SignedHeaders')!.toLowerCase().split(';'),
    signature: params.get('Signature')!.toLowerCase(),
  };
}

/** Parse `X-Amz-Date` (yyyyMMddTHHmmssZ) to epoch ms. */
function parseAmzDate(v: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function decodeQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!raw) return out;
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The checks API Gateway makes before computing a signature: scope, date, skew and signed headers. Answers the signing time. */
function checkSignedRequest(
  req: SigV4Request,
  auth: ParsedAuthorization,
  credentials: LocalCredentials,
  nowMs: number,
  service: string,
): number {
  if (auth.accessKey !== credentials.accessKeyId) throw new AuthError('UnrecognizedClientException', INVALID_TOKEN);
  if (auth.service !== service) {
    throw new AuthError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
  }
  const amzDate = req.headers['x-amz-date'];
  const signedAt = amzDate ? parseAmzDate(amzDate) : undefined;
  if (signedAt === undefined || !auth.signedHeaders.includes('x-amz-date')) {
    throw new AuthError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (!auth.signedHeaders.includes('host')) {
    throw new AuthError('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    throw new AuthError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${new Date(nowMs - MAX_SKEW_MS).toISOString().replace(/[-:]|\.\d{3}/g, '')} (${new Date(nowMs).toISOString().replace(/[-:]|\.\d{3}/g, '')} - 5 min.)`,
    );
  }
  if (auth.date !== amzDate.slice(0, 8)) {
    throw new AuthError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  return signedAt;
}

/** The signature the request should carry, computed as the client's signer did. */
async function expectedSignature(
  req: SigV4Request,
  auth: ParsedAuthorization,
  credentials: LocalCredentials,
  signedAt: number,
  service: string,
  bodyHash: string,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) throw new AuthError('InvalidSignatureException', SIGNATURE_MISMATCH);
    headers[name] = value;
  }
  const signer = new SignatureV4({ service, region: auth.region, credentials, sha256: NodeSha256, applyChecksum: false });
  let pathDecoded: string;
  try {
    // The signer encodes the path itself (as the client's signer did before sending).
    pathDecoded = decodeURIComponent(req.path);
  } catch {
    throw new AuthError('InvalidSignatureException', SIGNATURE_MISMATCH);
  }
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: pathDecoded,
      query: decodeQuery(req.query),
      headers: { ...headers, 'x-amz-content-sha256': bodyHash },
      body: req.body,
    } as HttpRequest,
    {
      signingDate: new Date(signedAt),
      signableHeaders: new Set(auth.signedHeaders),
      // The body hash above is only for the canonical request's payload line, not a signed header.
      unsignableHeaders: auth.signedHeaders.includes('x-amz-content-sha256') ? undefined : new Set(['x-amz-content-sha256']),
    },
  );
  return /Signature=([0-9a-f]+)/.exec(String((signed.headers as Record<string, string>).authorization))?.[1] ?? '';
}

/**
 * Verify the request's SigV4 signature against `credentials`. Returns the caller, or throws
 * AuthError exactly where API Gateway would answer 403. `nowMs` is host time (signing time).
 */
export async function verifySigV4(
  req: SigV4Request,
  credentials: LocalCredentials,
  nowMs: number = Date.now(),
  service: string = API_SERVICE,
): Promise<VerifiedCaller> {
  const header = req.headers.authorization;
  if (!header) throw new AuthError('MissingAuthenticationTokenException', MISSING_TOKEN);
  const auth = parseAuthorization(header);
  const signedAt = checkSignedRequest(req, auth, credentials, nowMs, service);
  // A declared payload hash must be the body's: otherwise a body could be swapped under a valid signature.
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const declared = req.headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== bodyHash) throw new AuthError('InvalidSignatureException', SIGNATURE_MISMATCH);
  const a = Buffer.from(await expectedSignature(req, auth, credentials, signedAt, service, bodyHash));
  const b = Buffer.from(auth.signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AuthError('InvalidSignatureException', SIGNATURE_MISMATCH);
  return { accessKey: auth.accessKey, region: auth.region };
}
