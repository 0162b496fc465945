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
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { closeServer } from './net';

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

export async function startAwsLite(opts: AwsLiteOptions = {}): Promise<AwsLite> {
  const host = opts.host ?? '127.0.0.1';
  const stampNow = opts.now ?? Date.now;
  const events: ReceivedEvent[] = [];
  const queues = new Map<string, Queue>();
  const eventBuses = new Set<string>(['default']);
  const rules = new Map<string, LocalRule>();
  let endpoint = '';

  if (opts.dataFile && fs.existsSync(opts.dataFile)) {
    const saved = JSON.parse(fs.readFileSync(opts.dataFile, 'utf8')) as {
      events: ReceivedEvent[];
      queues: { name: string; messages: StoredMessage[] }[];
    };
    events.push(...saved.events);
    for (const q of saved.queues) queues.set(q.name, { name: q.name, url: '', messages: q.messages });
  }

  let saveTimer: NodeJS.Timeout | undefined;
  const persistNow = () => {
    saveTimer = undefined;
    if (!opts.dataFile) return;
    const data = {
      events,
      queues: [...queues.values()].map((q) => ({ name: q.name, messages: q.messages })),
    };
    // Write-then-rename: a crash mid-write never leaves a torn file.
    fs.mkdirSync(path.dirname(opts.dataFile), { recursive: true });
    const tmp = `${opts.dataFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, opts.dataFile);
  };
  const persist = () => {
    if (opts.dataFile && !saveTimer) saveTimer = setTimeout(persistNow, 50);
  };

  const queueUrl = (name: string) => `${endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  const ensureQueue = (name: string) => {
    if (!queues.has(name)) {
      queues.set(name, { name, url: '', messages: [] });
      persist();
    }
    return queueUrl(name);
  };
  const queueFromUrl = (url: unknown): Queue => {
    if (typeof url !== 'string' || !url) throw new ApiError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    const name = url.replace(/\/+$/, '').split('/').pop() ?? '';
    const q = queues.get(name);
    if (!q) throw nonExistentQueue();
    return q;
  };
  const nonExistentQueue = () =>
    new ApiError('QueueDoesNotExist', 'The specified queue does not exist.', 400, 'AWS.SimpleQueueService.NonExistentQueue;Sender');

  const sqs: Record<string, (req: Record<string, any>) => unknown> = {
    CreateQueue: (req) => {
      if (typeof req.QueueName !== 'string' || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(req.QueueName)) {
        throw new ApiError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      }
      return { QueueUrl: ensureQueue(req.QueueName) };
    },
    GetQueueUrl: (req) => {
      if (!queues.has(req.QueueName)) throw nonExistentQueue();
      return { QueueUrl: queueUrl(req.QueueName) };
    },
    SendMessage: (req) => {
      const q = queueFromUrl(req.QueueUrl);
      if (typeof req.MessageBody !== 'string' || req.MessageBody.length === 0) {
        throw new ApiError('MissingParameter', 'The request must contain the parameter MessageBody.');
      }
      if (Buffer.byteLength(req.MessageBody) > 262_144) {
        throw new ApiError(
          'InvalidParameterValue',
          'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.',
        );
      }
      const msg: StoredMessage = {
        messageId: randomUUID(),
        body: req.MessageBody,
        md5OfBody: md5(req.MessageBody),
        messageAttributes: req.MessageAttributes,
        sentAt: stampNow(),
        receiveCount: 0,
        invisibleUntil: Date.now() + 1000 * (Number(req.DelaySeconds) || 0),
      };
      q.messages.push(msg);
      persist();
      return { MessageId: msg.messageId, MD5OfMessageBody: msg.md5OfBody };
    },
    ReceiveMessage: (req) => {
      const q = queueFromUrl(req.QueueUrl);
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
      persist();
      return out.length ? { Messages: out } : {};
    },
    DeleteMessage: (req) => {
      const q = queueFromUrl(req.QueueUrl);
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
      persist();
      return {};
    },
    GetQueueAttributes: (req) => {
      const q = queueFromUrl(req.QueueUrl);
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
    },
    ListQueues: (req) => {
      const prefix = typeof req.QueueNamePrefix === 'string' ? req.QueueNamePrefix : '';
      const names = [...queues.keys()].filter((n) => n.startsWith(prefix)).sort();
      const { items, nextToken } = page(names, req.MaxResults, req.NextToken);
      return { ...(items.length ? { QueueUrls: items.map(queueUrl) } : {}), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  };

  const eventBusArn = (name: string) => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:event-bus/${name}`;
  const eventBridge: Record<string, (req: Record<string, any>) => unknown> = {
    PutEvents: (req) => putEvents(req),
    ListEventBuses: (req) => {
      const prefix = typeof req.NamePrefix === 'string' ? req.NamePrefix : '';
      const names = [...eventBuses].filter((n) => n.startsWith(prefix)).sort();
      const { items, nextToken } = page(names, req.Limit, req.NextToken);
      return { EventBuses: items.map((name) => ({ Name: name, Arn: eventBusArn(name) })), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    ListRules: (req) => {
      const bus =
        typeof req.EventBusName === 'string' && req.EventBusName ? req.EventBusName.replace(/^arn:.*:event-bus\//, '') : 'default';
      if (!eventBuses.has(bus)) throw new ApiError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
      const prefix = typeof req.NamePrefix === 'string' ? req.NamePrefix : '';
      const matching = [...rules.values()]
        .filter((r) => (r.eventBusName ?? 'default') === bus && r.name.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const { items, nextToken } = page(matching, req.Limit, req.NextToken);
      return { Rules: items.map((r) => ruleView(r, bus)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
  };
  const ruleView = (r: LocalRule, bus: string) => ({
    Name: r.name,
    Arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${bus === 'default' ? '' : `${bus}/`}${r.name}`,
    State: r.state,
    EventBusName: bus,
    ...(r.scheduleExpression ? { ScheduleExpression: r.scheduleExpression } : {}),
    ...(r.eventPattern ? { EventPattern: r.eventPattern } : {}),
    ...(r.description ? { Description: r.description } : {}),
  });

  const putEvents = (req: Record<string, any>) => {
    const entries: Record<string, any>[] = Array.isArray(req.Entries) ? req.Entries : [];
    if (entries.length < 1 || entries.length > 10) {
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10`,
      );
    }
    let failed = 0;
    const results = entries.map((e) => {
      if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || typeof e.Detail !== 'string') {
        failed += 1;
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required.' };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(e.Detail);
      } catch {
        failed += 1;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      const eventId = randomUUID();
      events.push({
        eventId,
        receivedAt: new Date(stampNow()).toISOString(),
        eventBusName: typeof e.EventBusName === 'string' ? e.EventBusName : 'default',
        source: e.Source,
        detailType: e.DetailType,
        detail,
        // The SDK serializes Time as epoch seconds on the wire.
        time: e.Time === undefined ? undefined : new Date(Number(e.Time) * 1000).toISOString(),
        resources: Array.isArray(e.Resources) ? e.Resources : [],
      });
      return { EventId: eventId };
    });
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
    persist();
    return { FailedEntryCount: failed, Entries: results };
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && url.pathname === '/events') return sendJson(res, 200, { events });
    if (req.method === 'GET' && url.pathname === '/queues') {
      return sendJson(res, 200, {
        queues: [...queues.values()].map((q) => ({ name: q.name, url: queueUrl(q.name), messages: messagesOf(q) })),
      });
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const isJson10 = target.startsWith('AmazonSQS.');
    const contentType = isJson10 ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
    try {
      if (req.method !== 'POST') throw new ApiError('UnknownOperationException', 'Use GET /events, GET /queues or an AWS JSON POST', 404);
      const raw = await readBody(req);
      let body: Record<string, any>;
      try {
        body = raw.length ? JSON.parse(raw) : {};
      } catch {
        throw new ApiError('SerializationException', 'Request body is not valid JSON');
      }
      const [service, operation = ''] = target.split('.', 2);
      const operations = service === 'AmazonSQS' ? sqs : service === 'AWSEvents' ? eventBridge : undefined;
      if (!operations || !Object.hasOwn(operations, operation)) throw unknownOperation(target);
      const out = operations[operation](body);
      res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(out));
    } catch (err) {
      if (!(err instanceof ApiError)) process.stderr.write(`aws-lite: ${(err as Error).stack}\n`);
      const e = err instanceof ApiError ? err : new ApiError('InternalFailure', 'internal error', 500);
      const namespace = isJson10 ? 'com.amazonaws.sqs' : 'com.amazonaws.eventbridge';
      const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-errortype': e.code };
      if (e.queryError) headers['x-amzn-query-error'] = e.queryError;
      res.writeHead(e.status, headers);
      res.end(JSON.stringify({ __type: `${namespace}#${e.code}`, message: e.message }));
    }
  };

  const unknownOperation = (target: string) => {
    const served = [...Object.keys(sqs).map((op) => `AmazonSQS.${op}`), ...Object.keys(eventBridge).map((op) => `AWSEvents.${op}`)].sort();
    return new ApiError(
      'UnknownOperationException',
      `Operation ${target || '(no X-Amz-Target)'} is not served locally. Served: ${served.join(', ')}`,
    );
  };

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  endpoint = `http://${host}:${port}`;

  return {
    endpoint,
    port,
    ensureQueue,
    ensureEventBus: (name) => void eventBuses.add(name),
    defineRule: (rule) => void rules.set(`${rule.eventBusName ?? 'default'}/${rule.name}`, rule),
    queueUrl,
    events: () => events.slice(),
    messages: (name) => {
      const q = queues.get(name);
      return q ? messagesOf(q) : [];
    },
    stop: async () => {
      if (saveTimer) {
        clearTimeout(saveTimer);
        persistNow();
      }
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
