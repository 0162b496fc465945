/**
 * Helpers for the entry-point tests: API Gateway events, the environment the handler modules
 * read, and the entry points' dependencies built from in-memory ports.
 */

import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { NotifyDeps } from '../../../functions/app/tasks/notify';
import type { Contacts } from '../../../functions/contract/settings';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import {
  InMemoryComplaintRepository,
  InMemoryDeadLetters,
  InMemoryMailbox,
  InMemoryWorkflow,
  RecordingEventSink,
} from '../support/in-memory';

export const CONTACTS: Contacts = {
  teams: {
    'network-operations': { supervisor: ['noc-sup@example.com'], management: ['noc-mgmt@example.com'] },
    'customer-service': { supervisor: ['cs-sup@example.com'], management: ['cs-mgmt@example.com'] },
  },
  operations: ['ops@example.com'],
} as Contacts;

export const PUBLIC_BASE_URL = 'https://api.example.com/prod';

/** The variables every handler module reads at load (for the configuration tests). */
export const BASE_ENV = {
  TABLE_NAME: 'complaints',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:complaint-loop',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/complaint-dlq',
  SENDER_ADDRESS: 'complaints@example.com',
  EVENT_BUS_NAME: 'complaint-notifications',
  PUBLIC_BASE_URL: `${PUBLIC_BASE_URL}/`,
  CONTACTS: JSON.stringify(CONTACTS),
  SLA_POLICY: '{}',
  TIME_ZONE: 'Asia/Shanghai',
  RETENTION_DAYS: '0',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_SERVICE_NAME: 'complaint-loop-test',
};

export function setEnv(overrides: Record<string, string | undefined> = {}): void {
  for (const [k, v] of Object.entries({ ...BASE_ENV, ...overrides })) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** Every port in memory, and the dependencies of each entry point built from them. */
export function inMemoryApp(options: { retentionDays?: number } = {}) {
  const store = new InMemoryComplaintRepository({ timeZone: DEFAULT_SLA_POLICY.timeZone, ...options });
  const mailbox = new InMemoryMailbox();
  const events = new RecordingEventSink();
  const workflow = new InMemoryWorkflow();
  const deadLetters = new InMemoryDeadLetters();
  const policy = DEFAULT_SLA_POLICY;
  const notifyDeps: NotifyDeps = {
    store,
    mailer: mailbox,
    publisher: events,
    policy,
    contacts: CONTACTS,
    publicBaseUrl: PUBLIC_BASE_URL,
    customerLanguages: 'complaint',
  };
  return { store, mailbox, events, workflow, deadLetters, policy, notifyDeps };
}

export const SIGNED_CALLER = 'arn:aws:iam::123456789012:user/crm-integration';

export function apiEvent(opts: {
  method?: string;
  path?: string;
  resource?: string;
  body?: string | null;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string> | null;
  requestTimeEpoch?: number;
  isBase64Encoded?: boolean;
  /** The principal API Gateway verified (IAM routes); null for an event without one. */
  userArn?: string | null;
}): APIGatewayProxyEvent {
  return {
    resource: opts.resource ?? '/',
    path: opts.path ?? '/',
    httpMethod: opts.method ?? 'POST',
    headers: opts.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: opts.pathParameters ?? null,
    stageVariables: null,
    body: opts.body ?? null,
    isBase64Encoded: opts.isBase64Encoded ?? false,
    requestContext: {
      requestTimeEpoch: opts.requestTimeEpoch ?? Date.parse('2026-03-02T02:00:00Z'),
      requestId: 'req-1',
      identity: { userArn: opts.userArn === undefined ? SIGNED_CALLER : opts.userArn },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** Captures everything written to stdout/stderr (Powertools logs) while `fn` runs. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const grab = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  try {
    const result = await fn();
    return { result, output: chunks.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

export { namedError as named } from '../support/in-memory';

/**
 * Imports a module after the test set its environment (handlers read env at module load).
 * `path` is relative to this directory.
 */
export async function load<T>(path: string): Promise<T> {
  return (await import(/* @vite-ignore */ path)) as T;
}
