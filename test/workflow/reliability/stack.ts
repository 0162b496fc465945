/**
 * Shared driver for the reliability tests: a local stack on a VirtualClock, SigV4-signed API calls
 * without a settle after each (so many can run at once), and read-backs of what happened.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { complaintPartition } from '../../../functions/contract/table';
import type { LocalStack } from '../../../local/local-stack';
import { signedFetch } from '../../../local/signed-fetch';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `complaint-loop-${label}-`));
}

export interface ApiAnswer {
  status: number;
  body: any;
  text: string;
}

/** One signed call to the local API; no engine.settle (callers settle once per batch). */
export async function callApi(stack: LocalStack, method: string, route: string, body?: unknown): Promise<ApiAnswer> {
  const res = await signedFetch(`${stack.urls.api}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // an HTML page
  }
  return { status: res.status, body: parsed, text };
}

/**
 * As an upstream system does: a 5xx (the service could not finish, e.g. throttled past the SDK's
 * retries) is re-sent with the same request/event id, which the API treats idempotently.
 */
export async function callApiPersistently(
  stack: LocalStack,
  method: string,
  route: string,
  body?: unknown,
  tries = 5,
): Promise<ApiAnswer & { attempts: number; earlier: string[] }> {
  const earlier: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const res = await callApi(stack, method, route, body);
    if (res.status < 500 || attempt === tries) return { ...res, attempts: attempt, earlier };
    earlier.push(`${res.status} ${res.text.slice(0, 200)}`);
  }
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

export function executionArnOf(stack: LocalStack, complaintId: string): string {
  return `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${complaintId}`;
}

export async function executionHistory(stack: LocalStack, executionArn: string, includeExecutionData = false): Promise<any[]> {
  const events: any[] = [];
  let nextToken: string | undefined;
  do {
    const page: any = await stack.engine.getExecutionHistory({ executionArn, maxResults: 1000, nextToken, includeExecutionData });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export async function allExecutions(stack: LocalStack): Promise<Array<{ name: string; status: string; executionArn: string }>> {
  const out: any[] = [];
  let nextToken: string | undefined;
  do {
    const page: any = await stack.engine.listExecutions({ stateMachineArn: stack.stateMachineArn, maxResults: 1000, nextToken });
    out.push(...page.executions);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Reads the table directly (the real DynamoDB Local endpoint, not any fault proxy). */
export function tableReader(stack: LocalStack): {
  scanAll(filter?: (item: Record<string, any>) => boolean): Promise<Record<string, any>[]>;
  itemsOf(complaintId: string): Promise<Record<string, any>[]>;
  close(): void;
} {
  const table = stack.app.tables[0]!.createTable.TableName!;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.urls.dynamodb, region: stack.credentials.region, credentials: stack.credentials }),
  );
  return {
    scanAll: async (filter = () => true) => {
      const items: Record<string, any>[] = [];
      let start: Record<string, any> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []).filter(filter));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    itemsOf: async (complaintId) => {
      const items: Record<string, any>[] = [];
      let start: Record<string, any> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': complaintPartition(complaintId) },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    close: () => client.destroy(),
  };
}

/** A complaint body as an upstream system sends it. */
export function complaintRequest(requestId: string, i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestId,
    customerId: `cust-${i}`,
    contact: { phone: '+86 138 0013 8000', email: `customer${i}@example.net` },
    channel: 'phone',
    source: 'external',
    serviceType: i % 2 === 0 ? 'data' : 'device',
    description: '家里宽带晚上经常断线，影响工作。Broadband drops every evening.',
    occurredAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

export { attribution, resolution } from '../harness';

/** Monday 2 March 2026, 09:00 in Shanghai: no holiday within two weeks. */
export const T0 = Date.parse('2026-03-02T01:00:00.000Z');
