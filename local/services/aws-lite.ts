/**
 * The local EventBridge and SQS endpoint ("aws-lite"): the part of those two APIs that the project
 * and its runbooks use, for which there is no local emulator:
 *  - EventBridge PutEvents, ListEventBuses, ListRules (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Op>`);
 *  - SQS SendMessage / ReceiveMessage / DeleteMessage / GetQueueUrl / GetQueueAttributes / CreateQueue /
 *    ListQueues (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Op>`, which SDK v3 and the AWS CLI speak).
 * Any other operation answers UnknownOperationException naming the operations served.
 * It keeps what it received (GET /events, GET /queues show it as JSON), in memory and, when given
 * a data file, in that file (rewritten after each change) so a restart keeps the dead letters.
 * Signatures are not verified: bind it to loopback only (the default).
 */

import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { closeServer, listen } from './net';

export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_REGION = 'us-east-1';

export interface ReceivedEvent {
  eventId: string;
  /** When the event arrived (ISO), on the `now` clock: the loop's time under npm start. */
  receivedAt: string;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: unknown;
  /** The entry's Time, when the sender set one (the handlers set it from the engine's clock). */
  time?: string;
  resources: string[];
}

interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes?: Record<string, unknown>;
  sentAt: number;
  receiveCount: number;
  /** Host epoch ms before which the message is invisible (received, not yet deleted). */
  invisibleUntil: number;
  receiptHandle?: string;
}

interface Queue {
  name: string;
  url: string;
  messages: StoredMessage[];
}

/** An EventBridge rule of the stack, as ListRules shows it. */
export interface LocalRule {
  name: string;
  eventBusName?: string;
  scheduleExpression?: string;
  eventPattern?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
}

export interface AwsLite {
  readonly endpoint: string;
  readonly port: number;
  /** Create a queue if absent; returns its URL (`<endpoint>/<account>/<name>`). */
  ensureQueue(name: string): string;
  /** Make an event bus known to ListEventBuses (the default bus always is). */
  ensureEventBus(name: string): void;
  /** Make a rule known to ListRules. */
  defineRule(rule: LocalRule): void;
  queueUrl(name: string): string;
  events(): ReceivedEvent[];
  messages(queueName: string): { messageId: string; body: string; sentAt: string; receiveCount: number }[];
  stop(): Promise<void>;
}

export interface AwsLiteOptions {
  port?: number;
  host?: string;
  /** JSON file that keeps events and queues across restarts; undefined = memory only. */
  dataFile?: string;
  /**
   * The clock events and messages are stamped with (epoch ms): npm start passes the loop's, so they
   * read in the same time as the emails and the history. Visibility timeouts run in real time.
   * @default Date.now
   */
  now?: () => number;
}

/** An API error in the AWS JSON protocols' shape. */
class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** SQS is "awsQueryCompatible": the SDK reads the legacy code from this header. */
    readonly queryError?: string,
  ) {
    super(message);
  }
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const MAX_EVENTS = 10_000;

type Request = Record<string, any>;
type Operation = (req: Request) => unknown;

/** Events, queues, buses and rules; kept in the data file (when given) shortly after each change. */
class AwsLiteStore {
  readonly events: ReceivedEvent[] = [];
  readonly queues = new Map<string, Queue>();
  readonly eventBuses = new Set<string>(['default']);
  readonly rules = new Map<string, LocalRule>();
  /** Set once the server listens: queue URLs start with it. */
  endpoint = '';
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataFile: string | undefined,
    /** The clock events and messages are stamped with. */
    readonly stampNow: () => number,
  ) {
    if (!dataFile || !fs.existsSync(dataFile)) return;
    const saved = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as {
      events: ReceivedEvent[];
      queues: { name: string; messages: StoredMessage[] }[];
    };
    this.events.push(...saved.events);
    for (const q of saved.queues) this.queues.set(q.name, { name: q.name, url: '', messages: q.messages });
  }

  /** Schedules a write of the data file (changes within 50 ms share one write). */
  persist(): void {
    if (this.dataFile && !this.saveTimer) this.saveTimer = setTimeout(() => this.flush(), 50);
  }

  /** Writes a pending change now. */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.dataFile) return;
    const data = { events: this.events, queues: [...this.queues.values()].map((q) => ({ name: q.name, messages: q.messages })) };
    // Write-then-rename: a crash mid-write never leaves a torn file.
    fs.mkdirSync(path.dirname(this.dataFile), { recursive: true });
    const tmp = `${this.dataFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, this.dataFile);
  }

  pendingWrite(): boolean {
    return this.saveTimer !== undefined;
  }

  queueUrl(name: string): string {
    return `${this.endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  }

  ensureQueue(name: string): string {
    if (!this.queues.has(name)) {
      this.queues.set(name, { name, url: '', messages: [] });
      this.persist();
    }
    return this.queueUrl(name);
  }

  queueFromUrl(url: unknown): Queue {
    if (typeof url !== 'string' || !url) throw new ApiError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    const q = this.queues.get(url.replace(/\/+$/, '').split('/').pop() ?? '');
    if (!q) throw nonExistentQueue();
    return q;
  }
}

const nonExistentQueue = () =>
  new ApiError('QueueDoesNotExist', 'The specified queue does not exist.', 400, 'AWS.SimpleQueueService.NonExistentQueue;Sender');

// ---- SQS (AWS JSON 1.0) -------------------------------------------------------------------------

function sqsOperations(store: AwsLiteStore): Record<string, Operation> {
  return {
    CreateQueue: (req) => {
      if (typeof req.QueueName !== 'string' || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(req.QueueName)) {
        throw new ApiError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      }
      return { QueueUrl: store.ensureQueue(req.QueueName) };
    },
    GetQueueUrl: (req) => {
      if (!store.queues.has(req.QueueName)) throw nonExistentQueue();
      return { QueueUrl: store.queueUrl(req.QueueName) };
    },
    SendMessage: (req) => sendMessage(store, req),
    ReceiveMessage: (req) => receiveMessage(store, req),
    DeleteMessage: (req) => deleteMessage(store, req),
    GetQueueAttributes: (req) => queueAttributes(store, req),
    ListQueues: (req) => {
      const prefix = typeof req.QueueNamePrefix === 'string' ? req.QueueNamePrefix : '';
      const names = [...store.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
      const { items, nextToken } = page(names, req.MaxResults, req.NextToken);
      return {
        ...(items.length ? { QueueUrls: items.map((n) => store.queueUrl(n)) } : {}),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  };
}

function sendMessage(store: AwsLiteStore, req: Request) {
  const q = store.queueFromUrl(req.QueueUrl);
  if (typeof req.MessageBody !== 'string' || req.MessageBody.length === 0) {
    throw new ApiError('MissingParameter', 'The request must contain the parameter MessageBody.');
  }
  if (Buffer.byteLength(req.MessageBody) > 262_144) {
    throw new ApiError('InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.');
  }
  const msg: StoredMessage = {
    messageId: randomUUID(),
    body: req.MessageBody,
    md5OfBody: md5(req.MessageBody),
    messageAttributes: req.MessageAttributes,
    sentAt: store.stampNow(),
    receiveCount: 0,
    invisibleUntil: Date.now() + 1000 * (Number(req.DelaySeconds) || 0),
  };
  q.messages.push(msg);
  store.persist();
  return { MessageId: msg.messageId, MD5OfMessageBody: msg.md5OfBody };
}

function receiveMessage(store: AwsLiteStore, req: Request) {
  const q = store.queueFromUrl(req.QueueUrl);
  const max = Math.min(Math.max(Number(req.MaxNumberOfMessages) || 1, 1), 10);
  const visibility = 1000 * (req.VisibilityTimeout === undefined ? 30 : Number(req.VisibilityTimeout));
  const now = Date.now();
  const out = q.messages
    .filter((m) => m.invisibleUntil <= now)
    .slice(0, max)
    .map((m) => {
      m.receiveCount += 1;
      m.invisibleUntil = now + visibility;
      m.receiptHandle = Buffer.from(`${m.messageId}:${randomUUID()}`).toString('base64url');
      return {
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: m.md5OfBody,
        Body: m.body,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
      };
    });
  store.persist();
  return out.length ? { Messages: out } : {};
}

function deleteMessage(store: AwsLiteStore, req: Request) {
  const q = store.queueFromUrl(req.QueueUrl);
  const i = q.messages.findIndex((m) => m.receiptHandle !== undefined && m.receiptHandle === req.ReceiptHandle);
  if (i < 0) {
    throw new ApiError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${req.ReceiptHandle}" is not a valid receipt handle.`,
      400,
      'ReceiptHandleIsInvalid;Sender',
    );
  }
  q.messages.splice(i, 1);
  store.persist();
  return {};
}

function queueAttributes(store: AwsLiteStore, req: Request) {
  const q = store.queueFromUrl(req.QueueUrl);
  const now = Date.now();
  const visible = q.messages.filter((m) => m.invisibleUntil <= now).length;
  // What this endpoint does: the receive default of 30 s, the 256 KiB limit, no delay, no long polling.
  const all: Record<string, string> = {
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(q.messages.length - visible),
    ApproximateNumberOfMessagesDelayed: '0',
    QueueArn: queueArn(q.name),
    VisibilityTimeout: '30',
    MaximumMessageSize: '262144',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
  };
  const names: string[] = Array.isArray(req.AttributeNames) ? req.AttributeNames : [];
  const unknown = names.find((n) => n !== 'All' && !(n in all));
  if (unknown) throw new ApiError('InvalidAttributeName', `Unknown Attribute ${unknown}.`, 400, 'InvalidAttributeName;Sender');
  const Attributes = names.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k)));
  return { Attributes };
}

// ---- EventBridge (AWS JSON 1.1) -----------------------------------------------------------------

function eventBridgeOperations(store: AwsLiteStore): Record<string, Operation> {
  return {
    PutEvents: (req) => putEvents(store, req),
    ListEventBuses: (req) => {
      const prefix = typeof req.NamePrefix === 'string' ? req.NamePrefix : '';
      const names = [...store.eventBuses].filter((n) => n.startsWith(prefix)).sort();
      const { items, nextToken } = page(names, req.Limit, req.NextToken);
      return { EventBuses: items.map((name) => ({ Name: name, Arn: eventBusArn(name) })), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    ListRules: (req) => listRules(store, req),
  };
}

const eventBusArn = (name: string) => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:event-bus/${name}`;

function listRules(store: AwsLiteStore, req: Request) {
  const bus = typeof req.EventBusName === 'string' && req.EventBusName ? req.EventBusName.replace(/^arn:.*:event-bus\//, '') : 'default';
  if (!store.eventBuses.has(bus)) throw new ApiError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  const prefix = typeof req.NamePrefix === 'string' ? req.NamePrefix : '';
  const matching = [...store.rules.values()]
    .filter((r) => (r.eventBusName ?? 'default') === bus && r.name.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { items, nextToken } = page(matching, req.Limit, req.NextToken);
  return { Rules: items.map((r) => ruleView(r, bus)), ...(nextToken ? { NextToken: nextToken } : {}) };
}

function ruleView(r: LocalRule, bus: string) {
  return {
    Name: r.name,
    Arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${bus === 'default' ? '' : `${bus}/`}${r.name}`,
    State: r.state,
    EventBusName: bus,
    ...(r.scheduleExpression ? { ScheduleExpression: r.scheduleExpression } : {}),
    ...(r.eventPattern ? { EventPattern: r.eventPattern } : {}),
    ...(r.description ? { Description: r.description } : {}),
  };
}

function putEvents(store: AwsLiteStore, req: Request) {
  const entries: Request[] = Array.isArray(req.Entries) ? req.Entries : [];
  if (entries.length < 1 || entries.length > 10) {
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10`,
    );
  }
  const results = entries.map((e) => receiveEvent(store, e));
  if (store.events.length > MAX_EVENTS) store.events.splice(0, store.events.length - MAX_EVENTS);
  store.persist();
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
}

/** One PutEvents entry: kept and given an id, or answered with the entry's error. */
function receiveEvent(store: AwsLiteStore, e: Request): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
  if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || typeof e.Detail !== 'string') {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required.' };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  const eventId = randomUUID();
  store.events.push({
    eventId,
    receivedAt: new Date(store.stampNow()).toISOString(),
    eventBusName: typeof e.EventBusName === 'string' ? e.EventBusName : 'default',
    source: e.Source,
    detailType: e.DetailType,
    detail,
    // The SDK serializes Time as epoch seconds on the wire.
    time: e.Time === undefined ? undefined : new Date(Number(e.Time) * 1000).toISOString(),
    resources: Array.isArray(e.Resources) ? e.Resources : [],
  });
  return { EventId: eventId };
}

// ---- HTTP -----------------------------------------------------------------------------------------

/** The AWS JSON endpoint for both services, plus GET /events and GET /queues. */
function requestHandler(store: AwsLiteStore): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const services: Record<string, Record<string, Operation>> = { AmazonSQS: sqsOperations(store), AWSEvents: eventBridgeOperations(store) };
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && url.pathname === '/events') return sendJson(res, 200, { events: store.events });
    if (req.method === 'GET' && url.pathname === '/queues') {
      const queues = [...store.queues.values()].map((q) => ({ name: q.name, url: store.queueUrl(q.name), messages: messagesOf(q) }));
      return sendJson(res, 200, { queues });
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const isJson10 = target.startsWith('AmazonSQS.');
    const contentType = isJson10 ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
    try {
      const out = await callOperation(req, target, services);
      res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(out));
    } catch (err) {
      sendApiError(res, err, contentType, isJson10 ? 'com.amazonaws.sqs' : 'com.amazonaws.eventbridge');
    }
  };
}

async function callOperation(req: http.IncomingMessage, target: string, services: Record<string, Record<string, Operation>>) {
  if (req.method !== 'POST') throw new ApiError('UnknownOperationException', 'Use GET /events, GET /queues or an AWS JSON POST', 404);
  const raw = await readBody(req);
  let body: Request;
  try {
    body = raw.length ? JSON.parse(raw) : {};
  } catch {
    throw new ApiError('SerializationException', 'Request body is not valid JSON');
  }
  const [service = '', operation = ''] = target.split('.', 2);
  const operations = Object.hasOwn(services, service) ? services[service] : undefined;
  if (!operations || !Object.hasOwn(operations, operation)) throw unknownOperation(target, services);
  return operations[operation](body);
}

function sendApiError(res: http.ServerResponse, err: unknown, contentType: string, namespace: string): void {
  if (!(err instanceof ApiError)) process.stderr.write(`aws-lite: ${(err as Error).stack}\n`);
  const e = err instanceof ApiError ? err : new ApiError('InternalFailure', 'internal error', 500);
  const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-errortype': e.code };
  if (e.queryError) headers['x-amzn-query-error'] = e.queryError;
  res.writeHead(e.status, headers);
  res.end(JSON.stringify({ __type: `${namespace}#${e.code}`, message: e.message }));
}

function unknownOperation(target: string, services: Record<string, Record<string, Operation>>): ApiError {
  const served = Object.entries(services)
    .flatMap(([service, operations]) => Object.keys(operations).map((op) => `${service}.${op}`))
    .sort();
  return new ApiError(
    'UnknownOperationException',
    `Operation ${target || '(no X-Amz-Target)'} is not served locally. Served: ${served.join(', ')}`,
  );
}

export async function startAwsLite(opts: AwsLiteOptions = {}): Promise<AwsLite> {
  const host = opts.host ?? '127.0.0.1';
  const store = new AwsLiteStore(opts.dataFile, opts.now ?? Date.now);
  const handle = requestHandler(store);
  const server = http.createServer((req, res) => void handle(req, res));
  const port = await listen(server, opts.port ?? 0, host);
  store.endpoint = `http://${host}:${port}`;
  return {
    endpoint: store.endpoint,
    port,
    ensureQueue: (name) => store.ensureQueue(name),
    ensureEventBus: (name) => void store.eventBuses.add(name),
    defineRule: (rule) => void store.rules.set(`${rule.eventBusName ?? 'default'}/${rule.name}`, rule),
    queueUrl: (name) => store.queueUrl(name),
    events: () => store.events.slice(),
    messages: (name) => {
      const q = store.queues.get(name);
      return q ? messagesOf(q) : [];
    },
    stop: async () => {
      if (store.pendingWrite()) store.flush();
      await closeServer(server);
    },
  };
}

function queueArn(name: string): string {
  return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;
}

/** One page of a sorted list; the token is the index of the next item. */
function page<T>(all: T[], limit: unknown, token: unknown): { items: T[]; nextToken?: string } {
  const start = typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : 0;
  const size = typeof limit === 'number' && limit > 0 ? Math.min(limit, 1000) : 1000;
  const items = all.slice(start, start + size);
  return start + size < all.length ? { items, nextToken: String(start + size) } : { items };
}

function messagesOf(q: Queue) {
  return q.messages.map((m) => ({
    messageId: m.messageId,
    body: m.body,
    sentAt: new Date(m.sentAt).toISOString(),
    receiveCount: m.receiveCount,
  }));
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body, null, 2));
}

function readBody(req: http.IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new ApiError('RequestEntityTooLarge', 'Request body too large', 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
