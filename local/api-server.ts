/**
 * The stack's REST API on this machine: each request becomes an API Gateway (REST, v1 proxy)
 * event handed to the route's Lambda handler in this process; the handler's result becomes the
 * HTTP response. Like API Gateway:
 *  - routes come from the synthesized template (resource paths, methods, authorization type);
 *  - AWS_IAM routes require a valid SigV4 signature with the local credentials (see sigv4-auth.ts);
 *  - CUSTOM routes run their Lambda REQUEST authorizer (authorizer.ts): no identity source or
 *    "Unauthorized" → 401, a policy that does not allow the method → 403, a failing or malformed
 *    authorizer → 500; when it allows, its principal and context reach the handler as
 *    requestContext.authorizer (every context value a string);
 *  - the template's gateway responses (status, static headers) replace API Gateway's own answers of
 *    their type, e.g. UNAUTHORIZED → a 302 to the console's sign-in;
 *  - unknown paths/methods and unsigned IAM calls answer 403 `{"message":"Missing Authentication Token"}`;
 *  - bodies over 10 MB answer 413; a handler that throws or answers malformed → 502;
 *  - requestContext.requestTimeEpoch comes from the engine's clock (domain "now", time-scaled);
 *  - a Host header that is not a loopback name answers 403 (DNS rebinding).
 * The stage prefix (`/prod/...`) is optional so URLs shaped like the deployed API work too.
 *
 * People reach the console through the stack's own sign-in; the local hosted login that stands in
 * for the user pool's (identity.ts) is served here too, outside every API route.
 */

import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type AuthorizerDecision, LocalAuthorizer } from './authorizer';
import { AuthError, isLoopbackHost, type LocalCredentials, MISSING_TOKEN, type VerifiedCaller, verifySigV4 } from './engine/index';
import type { HostedLoginRequest, HostedLoginResponse } from './identity';
import { createLambdaContext } from './lambda-context';
import { openApiDocument } from './openapi-route';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './services/aws-lite';
import { closeServer, listen } from './services/net';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Record<string, unknown>) => Promise<unknown>;

/** A route's Lambda REQUEST authorizer (AWS::ApiGateway::Authorizer). */
export interface RouteAuthorizer {
  /** The authorizer's logical id: routes that share it share its cache. */
  id: string;
  type: 'REQUEST';
  /** The authorizer's Lambda function (template logical id). */
  functionId: string;
  /** e.g. ['method.request.header.Cookie']. */
  identitySources: string[];
  ttlSeconds: number;
}

export interface ApiRoute {
  /** Resource path as API Gateway writes it: `/complaints/{id}`, `/files/{proxy+}`. */
  resourcePath: string;
  /** GET, POST, ... or ANY. */
  httpMethod: string;
  /** AWS_IAM, NONE or CUSTOM (with `authorizer`); others are refused at start. */
  authorizationType: string;
  /** The integration's Lambda function (template logical id). */
  functionId: string;
  /** The Lambda authorizer of a CUSTOM route. */
  authorizer?: RouteAuthorizer;
}

/** A customized gateway response (AWS::ApiGateway::GatewayResponse). */
export interface GatewayResponse {
  /** UNAUTHORIZED, ACCESS_DENIED, DEFAULT_4XX, ... */
  responseType: string;
  statusCode?: number;
  headers: Record<string, string>;
  /** The application/json template; `$context.error.messageString` is the quoted message. */
  body?: string;
}

/** Paths served outside the API's routes (the local hosted login). */
export interface LocalEndpoints {
  serves(method: string, path: string): boolean;
  handle(req: HostedLoginRequest): Promise<HostedLoginResponse>;
}

export interface ApiServerOptions {
  routes: ApiRoute[];
  /** The handler of a route's or an authorizer's function (loaded lazily on first request). */
  resolveHandler: (functionId: string) => Promise<ProxyHandler>;
  /** Epoch ms of "now" for requestContext (the engine's clock). */
  now: () => number;
  credentials: LocalCredentials;
  port?: number;
  host?: string;
  stage?: string;
  apiId?: string;
  /** The template's gateway responses. */
  gatewayResponses?: GatewayResponse[];
  /** Served before the routes: the local hosted login. */
  localEndpoints?: LocalEndpoints;
  /** Extra links on the index page (`/`): label → URL. */
  links?: Record<string, string>;
  /** Per-function timeout (s) for context.getRemainingTimeInMillis. */
  timeoutOf?: (functionId: string) => number | undefined;
  /** Host time in epoch ms (authorizer cache TTLs). @default Date.now */
  hostNow?: () => number;
  log?: (line: string) => void;
}

export interface ApiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
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
  ctx: {
    requestId: string;
    nowMs: number;
    stage: string;
    apiId: string;
    host: string;
    caller?: VerifiedCaller;
    /** What a Lambda authorizer allowed: principalId, its context, integrationLatency. */
    authorizer?: Record<string, unknown>;
  },
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
      authorizer: ctx.authorizer ?? null,
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

/** An answer API Gateway itself gives (not the handler's): a status, a message, its error type and gateway response type. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorType?: string,
    readonly responseType?: string,
  ) {
    super(message);
  }
}

/** The method ARN an authorizer is asked about: `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`. */
export function methodArn(apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${apiId}/${stage}/${method}${path}`;
}

/** API Gateway's answer when a Lambda authorizer does not allow the request. */
export function authorizerRefusal(decision: Exclude<AuthorizerDecision, { kind: 'allow' }>): GatewayError {
  switch (decision.kind) {
    case 'unauthorized':
      return new GatewayError(401, 'Unauthorized', 'UnauthorizedException', 'UNAUTHORIZED');
    case 'denied':
      return new GatewayError(403, 'User is not authorized to access this resource', 'AccessDeniedException', 'ACCESS_DENIED');
    case 'error':
      return new GatewayError(500, 'Internal server error', 'AuthorizerConfigurationException', 'AUTHORIZER_CONFIGURATION_ERROR');
  }
}

/** Gateway response types of SigV4 failures. */
const AUTH_ERROR_RESPONSE_TYPES: Record<string, string> = {
  MissingAuthenticationTokenException: 'MISSING_AUTHENTICATION_TOKEN',
  InvalidSignatureException: 'INVALID_SIGNATURE',
};

/**
 * API Gateway's own answer for `error`, as the template's gateway responses customize it: the
 * response of its type, else DEFAULT_4XX / DEFAULT_5XX; their status and headers win.
 */
export function gatewayAnswer(
  error: GatewayError,
  responses: readonly GatewayResponse[],
): { status: number; headers: Record<string, string>; body: string } {
  const family = error.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const custom =
    responses.find((r) => error.responseType !== undefined && r.responseType === error.responseType) ??
    responses.find((r) => r.responseType === family);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.errorType) headers['x-amzn-errortype'] = error.errorType;
  for (const [name, value] of Object.entries(custom?.headers ?? {})) headers[name.toLowerCase()] = value;
  const body =
    custom?.body !== undefined
      ? custom.body
          .split('$context.error.messageString')
          .join(JSON.stringify(error.message))
          .split('$context.error.message')
          .join(error.message)
      : JSON.stringify({ message: error.message });
  return { status: custom?.statusCode ?? error.status, headers, body };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return reject(new GatewayError(413, 'Request Too Long', undefined, 'REQUEST_TOO_LARGE'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new GatewayError(413, 'Request Too Long', undefined, 'REQUEST_TOO_LARGE'));
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
    const custom = r.authorizationType === 'CUSTOM';
    if (!custom && r.authorizationType !== 'AWS_IAM' && r.authorizationType !== 'NONE') {
      throw new Error(
        `Route ${r.httpMethod} ${r.resourcePath}: authorization type ${r.authorizationType} is not supported locally (AWS_IAM, NONE or CUSTOM)`,
      );
    }
    if (custom && r.authorizer?.type !== 'REQUEST') {
      throw new Error(`Route ${r.httpMethod} ${r.resourcePath}: a CUSTOM route needs a Lambda REQUEST authorizer`);
    }
  }
}

const AUTHORIZATION_LABELS: Record<string, string> = { AWS_IAM: 'SigV4, IAM', CUSTOM: 'Lambda authorizer', NONE: 'no auth' };

function indexPage(routes: ApiRoute[], links: Record<string, string>, baseUrl: string): string {
  const routeItems = routes
    .map(
      (r) =>
        `<li><code>${escapeHtml(r.httpMethod)} ${escapeHtml(r.resourcePath)}</code> (${AUTHORIZATION_LABELS[r.authorizationType] ?? r.authorizationType})</li>`,
    )
    .join('');
  const linkItems = Object.entries(links)
    .map(([label, url]) => `<li>${escapeHtml(label)}: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>complaint-loop (local)</title></head><body><h1>complaint-loop, running locally</h1><h2>API routes (base ${escapeHtml(baseUrl)})</h2><ul>${routeItems}</ul><h2>Local services</h2><ul>${linkItems}</ul></body></html>`;
}

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

/** What authorized a request: the IAM caller, or a Lambda authorizer's principal and context. */
interface Authorization {
  caller?: VerifiedCaller;
  authorizer?: Record<string, unknown>;
}

/** The local REST API: routing, authentication, the proxy integration and API Gateway's own answers. */
class LocalRestApi {
  baseUrl = '';
  private readonly stage: string;
  private readonly apiId: string;
  private readonly hasRootRoute: boolean;
  private readonly log: (line: string) => void;
  private readonly authorizers = new Map<string, LocalAuthorizer>();

  constructor(private readonly opts: ApiServerOptions) {
    checkRoutes(opts.routes);
    this.stage = opts.stage ?? 'prod';
    this.apiId = opts.apiId ?? 'local';
    this.hasRootRoute = opts.routes.some((r) => r.resourcePath === '/');
    this.log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    for (const { authorizer } of opts.routes) if (authorizer && !this.authorizers.has(authorizer.id)) this.addAuthorizer(authorizer);
  }

  /** One LocalAuthorizer (and so one decision cache) per authorizer of the template. */
  private addAuthorizer(spec: RouteAuthorizer): void {
    const invoke = async (event: Record<string, unknown>) => {
      const handler = await this.opts.resolveHandler(spec.functionId);
      const context = createLambdaContext(spec.functionId, this.opts.timeoutOf?.(spec.functionId));
      return handler(event as unknown as APIGatewayProxyEvent, context as unknown as Record<string, unknown>);
    };
    this.authorizers.set(
      spec.id,
      new LocalAuthorizer({ invoke, identitySources: spec.identitySources, ttlSeconds: spec.ttlSeconds }, this.opts.hostNow),
    );
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
      } else if (!(await this.serveLocalEndpoint(x)) && !this.serveOpenApi(x)) await this.proxy(x);
    } catch (err) {
      this.sendError(x, err);
    }
  }

  /** The local hosted login's paths (as received: they are not under the stage). */
  private async serveLocalEndpoint(x: Exchange): Promise<boolean> {
    const endpoints = this.opts.localEndpoints;
    const { req, res, method, receivedPath, query, common } = x;
    if (!endpoints?.serves(method, receivedPath)) return false;
    const body = (await readBody(req, MAX_PAYLOAD_BYTES)).toString('utf8');
    const answer = await endpoints.handle({
      method,
      path: receivedPath,
      query: new URLSearchParams(query),
      cookie: req.headers.cookie,
      body,
    });
    res.writeHead(answer.status, { ...common, ...answer.headers });
    res.end(answer.body);
    return true;
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
    if (!match) throw new GatewayError(403, MISSING_TOKEN, 'MissingAuthenticationTokenException', 'MISSING_AUTHENTICATION_TOKEN');
    const body = await readBody(x.req, MAX_PAYLOAD_BYTES);
    const { req, method, path, query, requestId } = x;
    const raw = { method, path, query, rawHeaders: req.rawHeaders, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' };
    const ctx = { requestId, nowMs: this.opts.now(), stage: this.stage, apiId: this.apiId, host: this.hostOf(req) };
    const authorization = await this.authorize(x, match, buildProxyEvent(raw, match, ctx), body);
    const event = buildProxyEvent(raw, match, { ...ctx, ...authorization });
    const result = await this.invoke(x, match.route.functionId, event);
    writeProxyResult(x.res, result, x.common);
  }

  private hostOf(req: http.IncomingMessage): string {
    return String(req.headers.host ?? this.opts.host ?? '127.0.0.1');
  }

  /** AWS_IAM: a SigV4 signature. CUSTOM: the route's Lambda authorizer. NONE: nothing. */
  private async authorize(x: Exchange, match: Match, event: APIGatewayProxyEvent, body: Buffer): Promise<Authorization> {
    const { route } = match;
    if (route.authorizationType === 'AWS_IAM') {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(x.req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
      return {
        caller: await verifySigV4({ method: x.method, path: x.receivedPath, query: x.query, headers, body }, this.opts.credentials),
      };
    }
    if (route.authorizationType !== 'CUSTOM' || !route.authorizer) return {};
    return { authorizer: await this.runAuthorizer(route.authorizer, event) };
  }

  /** Runs a Lambda REQUEST authorizer: its answer's principal and context, or API Gateway's refusal. */
  private async runAuthorizer(spec: RouteAuthorizer, event: APIGatewayProxyEvent): Promise<Record<string, unknown>> {
    const { body: _body, isBase64Encoded: _encoding, ...request } = event;
    const started = Date.now();
    const decision = await this.authorizers.get(spec.id)!.authorize({
      headers: event.headers as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      methodArn: methodArn(this.apiId, this.stage, event.httpMethod, event.path),
      event: request,
    });
    if (decision.kind === 'error')
      this.log(`api: ${event.httpMethod} ${event.path}: authorizer ${spec.functionId} failed: ${decision.message}`);
    if (decision.kind !== 'allow') throw authorizerRefusal(decision);
    return { ...decision.context, principalId: decision.principalId, integrationLatency: Date.now() - started };
  }

  /** Runs the handler within the integration timeout; a throw or a malformed answer is a 502. */
  private async invoke(x: Exchange, fn: string, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const handler = await this.opts.resolveHandler(fn);
    const context = createLambdaContext(fn, this.opts.timeoutOf?.(fn));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new GatewayError(504, 'Endpoint request timed out', undefined, 'INTEGRATION_TIMEOUT')),
        INTEGRATION_TIMEOUT_MS,
      );
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
    if (err instanceof AuthError) e = new GatewayError(err.status, err.message, err.errorType, AUTH_ERROR_RESPONSE_TYPES[err.errorType]);
    else if (err instanceof GatewayError) e = err;
    else {
      this.log(`api: ${method} ${path}: ${(err as Error)?.stack ?? String(err)}`);
      e = new GatewayError(500, 'Internal server error');
    }
    const answer = gatewayAnswer(e, this.opts.gatewayResponses ?? []);
    if (!res.headersSent) res.writeHead(answer.status, { ...common, ...answer.headers });
    res.end(answer.body);
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
    close: () => closeServer(server),
  };
}
