/** Helpers for the handler tests: API Gateway events, env, a minimal in-memory table behind the mocked client. */

import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export const BASE_ENV = {
  TABLE_NAME: 'complaints',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:complaint-loop',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/complaint-dlq',
  SENDER_ADDRESS: 'complaints@example.com',
  EVENT_BUS_NAME: 'complaint-notifications',
  PUBLIC_BASE_URL: 'https://api.example.com/prod/',
  CONTACTS: JSON.stringify({
    teams: {
      'network-operations': { supervisor: ['noc-sup@example.com'], management: ['noc-mgmt@example.com'] },
      'customer-service': { supervisor: ['cs-sup@example.com'], management: ['cs-mgmt@example.com'] },
    },
    operations: ['ops@example.com'],
  }),
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

/** A condition failure as DynamoDB answers it. */
export function conditionFailed(): Error {
  const e = new Error('The conditional request failed');
  e.name = 'ConditionalCheckFailedException';
  return e;
}

export function transactionCanceled(codes: string[]): Error {
  const e = new Error(`Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`) as Error & {
    CancellationReasons: { Code: string }[];
  };
  e.name = 'TransactionCanceledException';
  e.CancellationReasons = codes.map((Code) => ({ Code }));
  return e;
}

export function named(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * Imports a module after the test set its environment (handlers read env at module load).
 * `path` is relative to this directory.
 */
export async function load<T>(path: string): Promise<T> {
  return (await import(/* @vite-ignore */ path)) as T;
}
