/**
 * API Gateway (REST, proxy integration) plumbing shared by the API handlers: body limits,
 * content types, zod issues → 400 naming each field, typed errors → status codes.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type * as z from '../domain/zod';

/** Bodies above this are refused before parsing (API Gateway itself allows 10 MB). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An API answer decided before or instead of the service (4xx/5xx with a JSON body). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: HttpError): APIGatewayProxyResult {
  return json(error.statusCode, { message: error.message, ...error.extra });
}

/** Header lookup ignoring case (API Gateway passes them as sent). */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** "Now" of an API request: API Gateway's request time (the local server fills it from the engine clock). */
export function requestTime(event: APIGatewayProxyEvent): string {
  const epoch = event.requestContext?.requestTimeEpoch;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch)) {
    throw new HttpError(500, 'Internal error');
  }
  return new Date(epoch).toISOString();
}

/** The raw body as UTF-8 text, refusing bodies over the limit (413). */
export function bodyText(event: APIGatewayProxyEvent, maxBytes = MAX_BODY_BYTES): string {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new HttpError(413, `Request body is larger than ${maxBytes} bytes`);
  return bytes.toString('utf8');
}

/** Checks the media type (and that a charset, if named, is UTF-8): 415 otherwise. */
export function requireContentType(event: APIGatewayProxyEvent, mediaType: string): void {
  const value = header(event, 'content-type');
  const [type, ...params] = (value ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (type !== mediaType || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new HttpError(415, `Content-Type must be ${mediaType} (UTF-8)`);
  }
}

/** A JSON request body: 413 when too large, 415 when not JSON, 400 when malformed. */
export function jsonBody(event: APIGatewayProxyEvent): unknown {
  const text = bodyText(event);
  requireContentType(event, 'application/json');
  if (text.trim() === '') throw new HttpError(400, 'Invalid request', { errors: [{ path: '(body)', message: 'body is required' }] });
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Invalid request', { errors: [{ path: '(body)', message: 'body is not valid JSON' }] });
  }
}

/** Zod issues as `{ path, message }`, one per failing field (unknown keys named one by one). */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...base, key].join('.'), message: 'unknown field' });
    } else {
      out.push({ path: base.join('.') || '(body)', message: issue.message });
    }
  }
  return out;
}

/** Parses `input` with `schema` or throws 400 naming each failing field. */
export function parseOr400<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new HttpError(400, 'Invalid request', { errors: fieldErrors(result.error) });
  return result.data;
}
