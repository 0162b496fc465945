/**
 * The Step Functions API of an `Engine` over HTTP, in the AWS JSON 1.0 protocol, so that
 * `@aws-sdk/client-sfn` and `aws stepfunctions --endpoint-url` drive the engine unchanged.
 *
 * Wire format (as the SDK's AwsJson1_0Protocol and botocore's JSON parser expect it):
 *   request:  POST /, `X-Amz-Target: AWSStepFunctions.<Operation>`, JSON body with the API's
 *             camelCase member names;
 *   response: 200, `Content-Type: application/x-amz-json-1.0`, JSON body, timestamps as epoch
 *             seconds (fractional);
 *   error:    4xx/5xx, `x-amzn-ErrorType: <Code>` and `{"__type": "<namespace>#<Code>", "message"}`.
 *             The SDK strips the namespace and looks the code up among the service's modeled
 *             exceptions, so `ExecutionAlreadyExists` arrives as that exception class.
 *
 * Authentication: the server is for one machine only. It answers only requests whose Host is a
 * loopback name (DNS rebinding), and with `credentials` (as `npm start` runs it) only requests
 * SigV4-signed with them for the `states` service, verified as the local API verifies its own.
 */

import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  CreateStateMachineCommandInput,
  DeleteStateMachineCommandInput,
  DescribeExecutionCommandInput,
  DescribeStateMachineCommandInput,
  GetExecutionHistoryCommandInput,
  ListExecutionsCommandInput,
  ListStateMachinesCommandInput,
  SendTaskFailureCommandInput,
  SendTaskHeartbeatCommandInput,
  SendTaskSuccessCommandInput,
  StartExecutionCommandInput,
  StopExecutionCommandInput,
  UpdateStateMachineCommandInput,
} from '@aws-sdk/client-sfn';
import type { Engine } from './engine';
import { SfnApiError } from './errors';
import { isServiceOperation, SERVICE_OPERATIONS, type ServiceOperationName } from './service-operations';
import { AuthError, isLoopbackHost, type LocalCredentials, verifySigV4 } from './sigv4-auth';

export interface SfnServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface SfnServerOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1: the server does not authenticate, so keep it on loopback. */
  host?: string;
  /** Where internal failures (engine bugs) are logged with their stack; default stderr. */
  log?: (line: string) => void;
  /** Largest request body accepted, in bytes (default 16 MiB; AWS's own limits are far lower). */
  maxBodyBytes?: number;
  /**
   * Require every request to be SigV4-signed with these credentials (service `states`).
   * Default: signatures are not checked (engine tests, `npm run sfn-local` with any profile).
   */
  credentials?: LocalCredentials;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** The namespace Step Functions itself puts in `__type`; clients use only the part after '#'. */
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.v2.model';

/** A request body as parsed from JSON; each operation reads it as its SDK input type and checks the members itself, as the service does. */
type Body = Record<string, unknown>;

/** The body as the input type of its operation: a name for what the Engine method then checks member by member. */
function requestAs<T>(body: Body): T {
  return body as unknown as T;
}

/**
 * The operations served, each calling the Engine method of the same name with the request typed as
 * `@aws-sdk/client-sfn`'s `<Operation>CommandInput`. An explicit table (not `engine[camelCase(op)]`)
 * so that nothing else on the Engine (settle, close, ...) is reachable over HTTP.
 */
const OPERATIONS = {
  CreateStateMachine: (e: Engine, b: Body) => e.createStateMachine(requestAs<CreateStateMachineCommandInput>(b)),
  UpdateStateMachine: (e: Engine, b: Body) => e.updateStateMachine(requestAs<UpdateStateMachineCommandInput>(b)),
  DescribeStateMachine: (e: Engine, b: Body) => e.describeStateMachine(requestAs<DescribeStateMachineCommandInput>(b)),
  ListStateMachines: (e: Engine, b: Body) => e.listStateMachines(requestAs<ListStateMachinesCommandInput>(b)),
  DeleteStateMachine: (e: Engine, b: Body) => e.deleteStateMachine(requestAs<DeleteStateMachineCommandInput>(b)),
  StartExecution: (e: Engine, b: Body) => e.startExecution(requestAs<StartExecutionCommandInput>(b)),
  DescribeExecution: (e: Engine, b: Body) => e.describeExecution(requestAs<DescribeExecutionCommandInput>(b)),
  ListExecutions: (e: Engine, b: Body) => e.listExecutions(requestAs<ListExecutionsCommandInput>(b)),
  StopExecution: (e: Engine, b: Body) => e.stopExecution(requestAs<StopExecutionCommandInput>(b)),
  GetExecutionHistory: (e: Engine, b: Body) => e.getExecutionHistory(requestAs<GetExecutionHistoryCommandInput>(b)),
  SendTaskSuccess: (e: Engine, b: Body) => e.sendTaskSuccess(requestAs<SendTaskSuccessCommandInput>(b)),
  SendTaskFailure: (e: Engine, b: Body) => e.sendTaskFailure(requestAs<SendTaskFailureCommandInput>(b)),
  SendTaskHeartbeat: (e: Engine, b: Body) => e.sendTaskHeartbeat(requestAs<SendTaskHeartbeatCommandInput>(b)),
} as const satisfies Record<string, (engine: Engine, body: Body) => Promise<object>>;

type Operation = keyof typeof OPERATIONS;

function isOperation(name: string): name is Operation {
  return Object.hasOwn(OPERATIONS, name);
}

/** Members of an API error that AWS also sends besides `message` (e.g. ValidationException.reason). */
const EXTRA_ERROR_MEMBERS = ['reason', 'resourceName'] as const;

/** Serve the Step Functions API for `engine` on 127.0.0.1:port (0 = any free port). */
export function startSfnServer(engine: Engine, opts: SfnServerOptions = {}): Promise<SfnServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxBodyBytes = opts.maxBodyBytes ?? 16 * 1024 * 1024;

  const served: Served = { engine, maxBodyBytes, log, credentials: opts.credentials };
  const server = http.createServer((req, res) => {
    handle(served, req, res).catch((err: unknown) => {
      // Only reached if writing the response itself failed (client gone): nothing left to tell it.
      log(`sfn-local: failed to respond: ${stackOf(err)}`);
      res.destroy();
    });
  });

  return new Promise<SfnServer>((resolve, reject) => {
    const onListenError = (err: Error) => reject(new Error(`cannot listen on ${host}:${opts.port ?? 0}: ${err.message}`));
    server.once('error', onListenError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onListenError);
      server.on('error', (err) => log(`sfn-local: server error: ${stackOf(err)}`));
      const port = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${urlHost}:${port}`, port, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Requests in flight finish; a connection that lingers past the grace period is cut.
    const force = setTimeout(() => server.closeAllConnections(), 2000);
    force.unref();
    server.close((err) => {
      clearTimeout(force);
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** What every request of one server is handled with. */
interface Served {
  engine: Engine;
  maxBodyBytes: number;
  log: (line: string) => void;
  credentials: LocalCredentials | undefined;
}

async function handle(
  { engine, maxBodyBytes, log, credentials }: Served,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  let status = 200;
  let payload: unknown;
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId };
  try {
    if (!isLoopbackHost(req.headers.host)) throw new RequestError('AccessDeniedException', 'Host must be 127.0.0.1 or localhost', 403);
    const operation = parseOperation(req);
    const text = await readBody(req, maxBodyBytes);
    if (credentials) await verifySigned(req, text, credentials);
    const body = parseBody(text);
    if (isServiceOperation(operation)) payload = await SERVICE_OPERATIONS[operation](engine, body);
    else payload = await OPERATIONS[operation](engine, body);
  } catch (err) {
    let code: string;
    let message: string;
    const extra: Record<string, unknown> = {};
    if (err instanceof SfnApiError) {
      code = err.code;
      message = err.message;
      status = err.httpStatus;
      for (const member of EXTRA_ERROR_MEMBERS) {
        const value = (err as unknown as Record<string, unknown>)[member];
        if (value !== undefined) extra[member] = value;
      }
    } else if (err instanceof RequestError) {
      code = err.code;
      message = err.message;
      status = err.status;
    } else {
      // An engine bug: the client learns only that it failed; the stack goes to the log.
      code = 'InternalFailure';
      message = `internal failure (request id ${requestId})`;
      status = 500;
      log(`sfn-local: internal failure in ${String(req.headers['x-amz-target'])} (request id ${requestId}): ${stackOf(err)}`);
    }
    headers['x-amzn-ErrorType'] = code;
    payload = { __type: `${ERROR_NAMESPACE}#${code}`, message, ...extra };
  }
  const text = JSON.stringify(payload, wireReplacer);
  headers['Content-Length'] = Buffer.byteLength(text);
  res.writeHead(status, headers);
  res.end(text);
}

/** The request's SigV4 signature, checked as the local API checks its own; 403 with AWS's error type otherwise. */
async function verifySigned(req: http.IncomingMessage, body: string, credentials: LocalCredentials): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  try {
    await verifySigV4(
      {
        method: req.method ?? 'POST',
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        headers,
        body: Buffer.from(body, 'utf8'),
      },
      credentials,
      Date.now(),
      'states',
    );
  } catch (err) {
    if (err instanceof AuthError) throw new RequestError(err.errorType, err.message, 403);
    throw err;
  }
}

/** Every operation served, named in the answer to an unsupported one. */
const SERVED = [...Object.keys(OPERATIONS), ...Object.keys(SERVICE_OPERATIONS)].sort();

function parseOperation(req: http.IncomingMessage): Operation | ServiceOperationName {
  if (req.method !== 'POST') {
    throw new RequestError('UnknownOperationException', `expected POST, got ${req.method ?? '?'}`);
  }
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || target === '') {
    throw new RequestError('UnknownOperationException', 'missing X-Amz-Target header');
  }
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (!isOperation(operation) && !isServiceOperation(operation)) {
    throw new RequestError('UnknownOperationException', `operation not supported locally: ${target}. Served: ${SERVED.join(', ')}`);
  }
  return operation;
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes)
        tooLarge = true; // keep draining so the response can still be sent
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new RequestError('SerializationException', `request body larger than ${maxBytes} bytes`, 413));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {}; // the SDK sends "{}" for empty input; tolerate nothing at all
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new RequestError('SerializationException', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RequestError('SerializationException', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Dates go on the wire as epoch seconds (AWS JSON 1.0's default timestamp format). */
function wireReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

function stackOf(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}
