/**
 * fetch() with an AWS SigV4 signature for API Gateway (`execute-api`): what an upstream system does
 * to call the IAM-authorized routes, here with the local credentials. Used by the demo and tests.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { NodeSha256 } from './engine/index';

export interface SignedFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  /** Signing time (default now): tests use it to produce expired signatures. */
  signingDate?: Date;
}

export async function signRequest(
  url: string,
  init: SignedFetchInit = {},
): Promise<{ url: string; method: string; headers: Record<string, string>; body?: string }> {
  const u = new URL(url);
  const method = (init.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { host: u.host, ...lower(init.headers ?? {}) };
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of u.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signer = new SignatureV4({
    service: 'execute-api',
    region: init.region ?? 'us-east-1',
    credentials: init.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method,
      protocol: u.protocol,
      hostname: u.hostname,
      port: u.port ? Number(u.port) : undefined,
      path: decodeURIComponent(u.pathname),
      query,
      headers,
      body: init.body,
    } as HttpRequest,
    { signingDate: init.signingDate },
  );
  const out = { ...(signed.headers as Record<string, string>) };
  delete out.host; // fetch sets it
  return { url, method, headers: out, body: init.body };
}

export async function signedFetch(url: string, init: SignedFetchInit = {}): Promise<Response> {
  const r = await signRequest(url, init);
  return fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
