/**
 * The stack's REST API on this machine: each request becomes an API Gateway (REST, v1 proxy)
 * event handed to the route's Lambda handler in this process; the handler's result becomes the
 * HTTP response. Like API Gateway:
 *  - routes come from the synthesized template (resource paths, methods, authorization type);
 *  - AWS_IAM routes require a valid SigV4 signature with the local credentials (see sigv4-auth.ts);
 *  - unknown paths/methods and unsigned IAM calls answer 403 `{"message":"Missing Authentication Token"}`;
 *  - bodies over 10 MB answer 413; a handler that throws or answers malformed → 502;
 *  - requestContext.requestTimeEpoch comes from the engine's clock (domain "now", time-scaled);
 *  - a Host header that is not a loopback name answers 403 (DNS rebinding).
 * The stage prefix (`/prod/...`) is optional so URLs shaped like the deployed API work too.
 *
 * Browsers cannot sign SigV4, so for people (the console) there is a local-only equivalent:
 * `loginUrl()` mints a one-time URL (`npm start` prints one); opening it sets an HttpOnly,
 * SameSite=Strict session cookie, and that cookie stands in for a signature on AWS_IAM routes for
 * GET/HEAD only (read-only: a forged cross-site POST can never ride on it). API clients keep SigV4.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AuthError, isLoopbackHost, type LocalCredentials, MISSING_TOKEN, type VerifiedCaller, verifySigV4 } from './engine/index';
import { createLambdaContext } from './lambda-context';
import { openApiDocument } from './openapi-route';
import { LOCAL_ACCOUNT_ID } from './services/aws-lite';
import { closeServer, listen } from './services/net';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Record<string, unknown>) => Promise<unknown>;

export interface ApiRoute {
  /** Resource path as API Gateway writes it: `/complaints/{id}`, `/files/{proxy+}`. */
  resourcePath: string;
  /** GET, POST, ... or ANY. */
  httpMethod: string;
  /** AWS_IAM, NONE (others are refused at start). */
  authorizationType: string;
  /** The integration's Lambda function (template logical id). */
  functionId: string;
}

export interface ApiServerOptions {
  routes: ApiRoute[];
  /** The handler of a route's function (loaded lazily on first request). */
  resolveHandler: (functionId: string) => Promise<ProxyHandler>;
  /** Epoch ms of "now" for requestContext (the engine's clock). */
  now: () => number;
  credentials: LocalCredentials;
  port?: number;
  host?: string;
  stage?: string;
  apiId?: string;
  /** Extra links on the index page (`/`): label → URL. */
  links?: Record<string, string>;
  /** Per-function timeout (s) for context.getRemainingTimeInMillis. */
  timeoutOf?: (functionId: string) => number | undefined;
  log?: (line: string) => void;
}

export interface ApiServer {
  readonly url: string;
  readonly port: number;
  /** A one-time browser login URL that lands on `next` (a path, default the console). */
  loginUrl(next?: string): string;
  close(): Promise<void>;
}

/** Where a one-time login code is redeemed (outside every API route). */
export const BROWSER_LOGIN_PATH = '/_local/login';
export const BROWSER_SESSION_COOKIE = 'complaint_loop_local_session';
/** A browser session lasts this long (host time); the login URL itself works once. */
const SESSION_TTL_MS = 12 * 3600_000;
const LOGIN_CODE_TTL_MS = 24 * 3600_000;

/** One-time login codes and the sessions they open (memory only: a restart logs everyone out). */
export class BrowserSessions {
  private readonly codes = new Map<string, { next: string; expires: number }>();
  private readonly sessions = new Map<string, number>();

  constructor(private readonly hostNow: () => number = Date.now) {}

  mint(next = '/console'): string {
    if (!next.startsWith('/') || next.startsWith('//')) throw new Error(`login target must be a path, got ${next}`);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { next, expires: this.hostNow() + LOGIN_CODE_TTL_MS });
    return code;
  }

  /** Spends `code`: a new session id and where to go, or undefined when unknown, used or expired. */
  redeem(code: string | null): { session: string; next: string } | undefined {
    const entry = code ? this.codes.get(code) : undefined;
    if (!code || !entry) return undefined;
    this.codes.delete(code);
    if (entry.expires < this.hostNow()) return undefined;
    const session = randomBytes(32).toString('base64url');
    this.sessions.set(session, this.hostNow() + SESSION_TTL_MS);
    return { session, next: entry.next };
  }

  /** True when the Cookie header carries a live session. */
  isValid(cookieHeader: string | undefined): boolean {
    for (const part of (cookieHeader ?? '').split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name !== BROWSER_SESSION_COOKIE) continue;
      const expires = this.sessions.get(rest.join('='));
      if (expires !== undefined && expires >= this.hostNow()) return true;
    }
    return false;
  }
}

/** API Gateway's payload limit for REST APIs. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's default integration timeout. */
const INTEGRATION_TIMEOUT_MS = 29_000;

interface Match {
  route: ApiRoute;
  pathParameters: Record<string, string> | null;
}

/** Most specific route first: literal segments beat `{param}`, which beats `{proxy+}`; exact method beats ANY. */
export function matchRoute(routes: ApiRoute[], method: string, path: string): Match | undefined {
  const segments = path.split('/').filter(Boolean);
  let best: { match: Match; score: number[] } | undefined;
  for (const route of routes) {
    if (route.httpMethod !== method && route.httpMethod !== 'ANY') continue;
    const parts = route.resourcePath.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const p = parts[i];
      const greedy = /^\{(.+)\+\}$/.exec(p);
      if (greedy) {
        if (i !== parts.length - 1 || segments.length <= i) ok = false;
        else {
          params[greedy[1]] = segments.slice(i).map(safeDecode).join('/');
          score.push(0);
        }
        break;
      }
      if (i >= segments.length) {
        ok = false;
        break;
      }
      const param = /^\{(.+)\}$/.exec(p);
      if (param) {
        params[param[1]] = safeDecode(segments[i]);
        score.push(1);
      } else if (p === segments[i]) score.push(2);
      else ok = false;
    }
    const greedyLast = parts.length > 0 && /\+\}$/.test(parts[parts.length - 1]);
    if (!ok || (!greedyLast && parts.length !== segments.length)) continue;
    score.push(route.httpMethod === method ? 1 : 0);
    const match = { route, pathParameters: Object.keys(params).length ? params : null };
    if (!best || compareScores(score, best.score) > 0) best = { match, score };
  }
  return best?.match;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** API Gateway's `requestTime` format: 09/Apr/2015:12:34:56 +0000. */
function requestTime(ms: number): string {
  const d = new Date(ms);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface RawRequest {
  method: string;
  /** Path as received, still encoded, without the stage prefix. */
  path: string;
  query: string;
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
}

/** API Gateway's single- and multi-value maps of the request's headers, as received. */
function headerMaps(rawHeaders: string[]): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const value = rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** API Gateway's query maps: null, not empty, when the request has no parameters. */
function queryMaps(rawQuery: string): { query: Record<string, string> | null; multiQuery: Record<string, string[]> | null } {
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  return Object.keys(query).length ? { query, multiQuery } : { query: null, multiQuery: null };
}

/** requestContext.identity: the verified IAM caller, or an anonymous one. */
function callerIdentity(caller: VerifiedCaller | undefined, sourceIp: string, userAgent: string | null) {
  return {
    accessKey: caller?.accessKey ?? null,
    accountId: caller ? LOCAL_ACCOUNT_ID : null,
    apiKey: null,
    apiKeyId: null,
    caller: caller ? caller.accessKey : null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: caller ? caller.accessKey : null,
    userAgent,
    userArn: caller ? `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${caller.accessKey}` : null,
  };
}

/** Build the REST API (v1) proxy event for `req` matched to `match`. */
export function buildProxyEvent(
  req: RawRequest,
  match: Match,
  ctx: { requestId: string; nowMs: number; stage: string; apiId: string; host: string; caller?: VerifiedCaller },
): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = headerMaps(req.rawHeaders);
  const { query, multiQuery } = queryMaps(req.query);
  const userAgent = headers['User-Agent'] ?? headers['user-agent'] ?? null;
  const path = safeDecode(req.path);
  return {
    resource: match.route.resourcePath,
    path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    pathParameters: match.pathParameters,
    stageVariables: null,
    body: req.body.length ? req.body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: ctx.apiId,
      authorizer: null,
      domainName: ctx.host,
      domainPrefix: ctx.host.split('.')[0],
      extendedRequestId: ctx.requestId,
      httpMethod: req.method,
      identity: callerIdentity(ctx.caller, req.sourceIp, userAgent),
      path: `/${ctx.stage}${path}`,
      protocol: 'HTTP/1.1',
      requestId: ctx.requestId,
      requestTime: requestTime(ctx.nowMs),
      requestTimeEpoch: ctx.nowMs,
      resourceId: ctx.requestId.slice(0, 6),
      resourcePath: match.route.resourcePath,
      stage: ctx.stage,
    },
  };
}

/** An answer API Gateway itself gives (not the handler's): a status, a message and its error type. */
class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorType?: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return reject(new GatewayError(413, 'Request Too Long'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new GatewayError(413, 'Request Too Long'));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isProxyResult(v: unknown): v is APIGatewayProxyResult {
  return typeof v === 'object' && v !== null && typeof (v as { statusCode?: unknown }).statusCode === 'number';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A request's path without the optional stage prefix, the path as received, and the query string. */
function splitUrl(rawUrl: string, stage: string): { path: string; receivedPath: string; query: string } {
  const q = rawUrl.indexOf('?');
  const receivedPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? '' : rawUrl.slice(q + 1);
  const stagePrefix = `/${stage}`;
  const onStage = receivedPath === stagePrefix || receivedPath.startsWith(`${stagePrefix}/`);
  return { path: onStage ? receivedPath.slice(stagePrefix.length) || '/' : receivedPath, receivedPath, query };
}

function checkRoutes(routes: ApiRoute[]): void {
  for (const r of routes) {
    if (r.authorizationType !== 'AWS_IAM' && r.authorizationType !== 'NONE') {
      throw new Error(
        `Route ${r.httpMethod} ${r.resourcePath}: authorization type ${r.authorizationType} is not supported locally (AWS_IAM or NONE)`,
      );
    }
  }
}

function indexPage(routes: ApiRoute[], links: Record<string, string>, baseUrl: string): string {
  const routeItems = routes
    .map(
      (r) =>
        `<li><code>${escapeHtml(r.httpMethod)} ${escapeHtml(r.resourcePath)}</code> (${r.authorizationType === 'AWS_IAM' ? 'SigV4, IAM' : 'no auth'})</li>`,
    )
    .join('');
  const linkItems = Object.entries(links)
    .map(([label, url]) => `<li>${escapeHtml(label)}: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>complaint-loop (local)</title></head><body><h1>complaint-loop, running locally</h1><h2>API routes (base ${escapeHtml(baseUrl)})</h2><ul>${routeItems}</ul><h2>Local services</h2><ul>${linkItems}</ul></body></html>`;
}

const LOGIN_LINK_INVALID_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Login link not valid</title></head><body><h1>This login link is used, expired or unknown</h1><p>Each link printed by <code>npm start</code> works once; restart it for a new one.</p></body></html>';

/** Headers API Gateway puts on every answer. */
type CommonHeaders = Record<string, string>;

/** One request as it goes through the local gateway. */
interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  requestId: string;
  method: string;
  path: string;
  receivedPath: string;
  query: string;
  common: CommonHeaders;
}

/** The local REST API: routing, authentication, the proxy integration and API Gateway's own answers. */
class LocalRestApi {
  readonly browser = new BrowserSessions();
  baseUrl = '';
  private readonly stage: string;
  private readonly hasRootRoute: boolean;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: ApiServerOptions) {
    checkRoutes(opts.routes);
    this.stage = opts.stage ?? 'prod';
    this.hasRootRoute = opts.routes.some((r) => r.resourcePath === '/');
    this.log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const common = { 'x-amzn-requestid': requestId, 'x-amz-apigw-id': requestId.slice(0, 16) };
    const x: Exchange = { req, res, requestId, method, common, ...splitUrl(req.url ?? '/', this.stage) };
    try {
      // DNS rebinding: a page whose name now points at 127.0.0.1 still sends its own Host.
      if (!isLoopbackHost(req.headers.host))
        throw new GatewayError(403, 'Forbidden: Host must be 127.0.0.1 or localhost', 'ForbiddenException');
      if (x.path === '/' && method === 'GET' && !this.hasRootRoute) {
        res.writeHead(200, { ...common, 'content-type': 'text/html; charset=utf-8' });
        res.end(indexPage(this.opts.routes, this.opts.links ?? {}, this.baseUrl));
      } else if (x.path === BROWSER_LOGIN_PATH && method === 'GET') this.redeemLogin(x);
      else if (!this.serveOpenApi(x)) await this.proxy(x);
    } catch (err) {
      this.sendError(x, err);
    }
  }

  private redeemLogin({ res, query, common }: Exchange): void {
    const redeemed = this.browser.redeem(new URLSearchParams(query).get('code'));
    if (!redeemed) {
      res.writeHead(403, { ...common, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(LOGIN_LINK_INVALID_PAGE);
      return;
    }
    res.writeHead(303, {
      ...common,
      location: `/${this.stage}${redeemed.next}`,
      'set-cookie': `${BROWSER_SESSION_COOKIE}=${redeemed.session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`,
      'cache-control': 'no-store',
    });
    res.end();
  }

  /** GET /openapi.json: the API document, with this server first in `servers`. */
  private serveOpenApi({ res, method, path, common }: Exchange): boolean {
    const openApi = openApiDocument(method, path, `${this.baseUrl}/${this.stage}`);
    if (!openApi) return false;
    res.writeHead(200, { ...common, ...openApi.headers });
    res.end(openApi.body);
    return true;
  }

  /** The route's Lambda proxy integration: event in, proxy result out. */
  private async proxy(x: Exchange): Promise<void> {
    const match = matchRoute(this.opts.routes, x.method, x.path);
    // API Gateway answers an unknown resource or method like an unsigned call.
    if (!match) throw new GatewayError(403, MISSING_TOKEN, 'MissingAuthenticationTokenException');
    const body = await readBody(x.req, MAX_PAYLOAD_BYTES);
    const caller = await this.authenticate(x, match, body);
    const { req, method, path, query, requestId } = x;
    const event = buildProxyEvent(
      { method, path, query, rawHeaders: req.rawHeaders, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      match,
      { requestId, nowMs: this.opts.now(), stage: this.stage, apiId: this.opts.apiId ?? 'local', host: this.hostOf(req), caller },
    );
    const result = await this.invoke(x, match.route.functionId, event);
    writeProxyResult(x.res, result, x.common);
  }

  private hostOf(req: http.IncomingMessage): string {
    return String(req.headers.host ?? this.opts.host ?? '127.0.0.1');
  }

  /** The IAM caller of an AWS_IAM route: a SigV4 signature, or a browser session on GET and HEAD. */
  private async authenticate(x: Exchange, match: Match, body: Buffer): Promise<VerifiedCaller | undefined> {
    if (match.route.authorizationType !== 'AWS_IAM') return undefined;
    const { req, method } = x;
    const readOnly = method === 'GET' || method === 'HEAD';
    if (readOnly && req.headers.authorization === undefined && this.browser.isValid(req.headers.cookie)) {
      return { accessKey: 'local-browser', region: 'local' };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    return verifySigV4({ method, path: x.receivedPath, query: x.query, headers, body }, this.opts.credentials);
  }

  /** Runs the handler within the integration timeout; a throw or a malformed answer is a 502. */
  private async invoke(x: Exchange, fn: string, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const handler = await this.opts.resolveHandler(fn);
    const context = createLambdaContext(fn, this.opts.timeoutOf?.(fn));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GatewayError(504, 'Endpoint request timed out')), INTEGRATION_TIMEOUT_MS);
    });
    let result: unknown;
    try {
      result = await Promise.race([handler(event, context as unknown as Record<string, unknown>), timeout]);
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      this.log(`api: ${x.method} ${x.path} → ${fn} threw: ${(err as Error)?.stack ?? String(err)}`);
      throw new GatewayError(502, 'Internal server error');
    } finally {
      clearTimeout(timer);
    }
    if (!isProxyResult(result)) {
      this.log(`api: ${x.method} ${x.path} → ${fn} returned a malformed proxy response`);
      throw new GatewayError(502, 'Internal server error');
    }
    return result;
  }

  private sendError({ res, method, path, common }: Exchange, err: unknown): void {
    let e: GatewayError;
    if (err instanceof AuthError) e = new GatewayError(err.status, err.message, err.errorType);
    else if (err instanceof GatewayError) e = err;
    else {
      this.log(`api: ${method} ${path}: ${(err as Error)?.stack ?? String(err)}`);
      e = new GatewayError(500, 'Internal server error');
    }
    const headers: Record<string, string> = { ...common, 'content-type': 'application/json' };
    if (e.errorType) headers['x-amzn-errortype'] = e.errorType;
    if (!res.headersSent) res.writeHead(e.status, headers);
    res.end(JSON.stringify({ message: e.message }));
  }
}

function writeProxyResult(res: http.ServerResponse, result: APIGatewayProxyResult, common: CommonHeaders): void {
  const out: Record<string, string | string[]> = { ...common };
  for (const [k, v] of Object.entries(result.headers ?? {})) out[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) out[k.toLowerCase()] = v.map(String);
  const payload = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (!('content-type' in out)) out['content-type'] = 'application/json';
  res.writeHead(result.statusCode, out);
  res.end(payload);
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const api = new LocalRestApi(opts);
  const server = http.createServer((req, res) => void api.handle(req, res));
  const port = await listen(server, opts.port ?? 0, host);
  api.baseUrl = `http://${host}:${port}`;
  return {
    url: api.baseUrl,
    port,
    loginUrl: (next?: string) => `${api.baseUrl}${BROWSER_LOGIN_PATH}?code=${api.browser.mint(next)}`,
    close: () => closeServer(server),
  };
}
