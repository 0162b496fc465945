/**
 * A small HTTP proxy that sits between the handlers and a local AWS service (DynamoDB Local, local
 * SES) and answers some requests with the error the real service would send instead of passing them
 * on. The handlers' real SDK clients then meet real AWS-shaped failures, so the SDK's own retries,
 * the handlers' TransientError mapping and the workflow's Retry are all exercised, not stubbed.
 *
 * Used by the reliability tests; `decide` chooses, per request, whether to inject a fault.
 */
import * as http from 'node:http';
import { closeServer, listen } from './services/net';

/** What the proxy knows about a request when deciding. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** `X-Amz-Target` of AWS JSON protocols (DynamoDB: `DynamoDB_20120810.PutItem`), else ''. */
  readonly target: string;
  readonly body: Buffer;
}

/** An AWS-shaped error answer. */
export interface InjectedFault {
  readonly status: number;
  /** The exception name the SDK turns into the error's `name`. */
  readonly errorType: string;
  readonly message: string;
  /** How the service encodes errors: AWS JSON 1.0 (`__type` in the body) or REST-JSON (header). */
  readonly protocol: 'aws-json-1.0' | 'rest-json';
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Requests passed on, and faults injected per error type. */
  readonly stats: { forwarded: number; injected: Record<string, number> };
  stop(): Promise<void>;
}

export class FaultProxyError extends Error {
  override readonly name = 'FaultProxyError';
}

/**
 * DynamoDB's throttling answer: HTTP 400 with the exception in `__type` (AWS JSON 1.0).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
export function dynamoDbThrottling(): InjectedFault {
  return {
    status: 400,
    errorType: 'ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded (injected).',
    protocol: 'aws-json-1.0',
  };
}

/**
 * SES API v2's throttling answer: HTTP 429 TooManyRequestsException (REST-JSON, type in a header).
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 */
export function sesThrottling(): InjectedFault {
  return { status: 429, errorType: 'TooManyRequestsException', message: 'Too many requests (injected).', protocol: 'rest-json' };
}

/** Sends the request on to the target; an unreachable target answers 503, as a gone service does. */
function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, target: URL, agent: http.Agent): void {
  const headers = { ...req.headers, host: target.host };
  const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('fault proxy: target unreachable');
  });
  upstream.end(body);
}

export async function startFaultProxy(opts: {
  /** The real service, e.g. http://127.0.0.1:8000. */
  target: string;
  decide: (req: ProxiedRequest) => InjectedFault | undefined;
  port?: number;
}): Promise<FaultProxy> {
  const target = new URL(opts.target);
  if (target.protocol !== 'http:') throw new FaultProxyError(`fault proxy targets plain http only, got ${opts.target}`);
  const stats = { forwarded: 0, injected: {} as Record<string, number> };
  // Keep-alive to the target: thousands of short requests must not exhaust ephemeral ports.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const proxied: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      target: String(req.headers['x-amz-target'] ?? ''),
      body,
    };
    let fault: InjectedFault | undefined;
    try {
      fault = opts.decide(proxied);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`fault proxy decide() threw: ${String(err)}`);
      return;
    }
    if (fault) {
      stats.injected[fault.errorType] = (stats.injected[fault.errorType] ?? 0) + 1;
      answerFault(res, fault);
    } else {
      stats.forwarded += 1;
      forward(req, res, body, target, agent);
    }
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => answer(req, res, Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, opts.port ?? 0, '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    stop: async () => {
      agent.destroy();
      await closeServer(server);
    },
  };
}

function answerFault(res: http.ServerResponse, fault: InjectedFault): void {
  const requestId = `injected-${Math.random().toString(36).slice(2, 12)}`;
  if (fault.protocol === 'aws-json-1.0') {
    const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${fault.errorType}`, message: fault.message });
    res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId });
    res.end(body);
    return;
  }
  res.writeHead(fault.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': fault.errorType,
    'x-amzn-requestid': requestId,
  });
  res.end(JSON.stringify({ message: fault.message }));
}
