/**
 * Bad input over HTTP on the local stack: 500 generated invalid complaint bodies, each one
 * valid body with one thing wrong, must each get a 4xx that names the failing field, and afterwards
 * the table and the engine must hold exactly what they held before (nothing written or started).
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../../../local/signed-fetch';
import { complaintBody, type Harness, startHarness } from '../harness';

type Body = Record<string, any>;
interface Mutation {
  readonly field: string;
  readonly apply: (body: Body) => void;
}

const text = fc.string({ minLength: 1, maxLength: 20 });
const notIn = (allowed: string[]) => text.filter((s) => !allowed.includes(s.trim()));

/** One thing wrong with an otherwise valid body, and the field the answer must name. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom('customerId', 'channel', 'source', 'serviceType', 'description', 'occurredAt', 'contact').map((field) => ({
    field,
    apply: (b: Body) => delete b[field],
  })),
  fc
    .tuple(
      fc.constantFrom('customerId', 'description', 'channel', 'occurredAt'),
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })),
    )
    .map(([field, value]) => ({
      field,
      apply: (b: Body) => void (b[field] = value),
    })),
  notIn(['phone', 'online', 'on-site', 'third-party-platform']).map((v) => ({
    field: 'channel',
    apply: (b: Body) => void (b.channel = v),
  })),
  notIn(['internal', 'external', 'third-party']).map((v) => ({ field: 'source', apply: (b: Body) => void (b.source = v) })),
  notIn(['network', 'data', 'device', 'information-security']).map((v) => ({
    field: 'serviceType',
    apply: (b: Body) => void (b.serviceType = v),
  })),
  notIn(['minor', 'general', 'major', 'urgent']).map((v) => ({ field: 'severityHint', apply: (b: Body) => void (b.severityHint = v) })),
  fc
    .constantFrom('昨天晚上', 'yesterday', '2026-13-40', '1700000000')
    .map((v) => ({ field: 'occurredAt', apply: (b: Body) => void (b.occurredAt = v) })),
  // H-11: not an instant with offset, more than 24 h before or more than 1 min after the request.
  fc
    .constantFrom('yesterday', '2026-13-40T00:00:00Z', '2026-11-28T20:00:00', '2020-01-01T00:00:00Z', '2099-01-01T00:00:00+08:00')
    .map((v) => ({ field: 'receivedAt', apply: (b: Body) => void (b.receivedAt = v) })),
  fc
    .constantFrom('打电话给我', 'abc', '+', '1')
    .map((v) => ({ field: 'contact.phone', apply: (b: Body) => void (b.contact = { phone: v }) })),
  fc
    .constantFrom('not-an-email', '张三@', '@example.com')
    .map((v) => ({ field: 'contact.email', apply: (b: Body) => void (b.contact = { email: v }) })),
  fc.constant({ field: 'contact', apply: (b: Body) => void (b.contact = {}) }),
  fc.integer({ min: 4001, max: 6000 }).map((n) => ({ field: 'description', apply: (b: Body) => void (b.description = '断'.repeat(n)) })),
  fc.constantFrom('a b', 'x/y', '投诉-1', '').map((v) => ({ field: 'requestId', apply: (b: Body) => void (b.requestId = v) })),
  fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((k) => /^[a-z]\w*$/i.test(k) && !(k in complaintBody()) && !['severityHint', 'language', 'receivedAt'].includes(k))
    .map((key) => ({ field: key, apply: (b: Body) => void (b[key] = '多余 extra') })),
);

let h: Harness;
let ddb: DynamoDBClient;

async function itemCount(): Promise<number> {
  const TableName = h.stack.app.tables[0]!.createTable.TableName!;
  let count = 0;
  let ExclusiveStartKey: any;
  do {
    const page = await ddb.send(new ScanCommand({ TableName, Select: 'COUNT', ExclusiveStartKey }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

async function executionCount(): Promise<number> {
  const page: any = await h.stack.engine.listExecutions({ stateMachineArn: h.stack.stateMachineArn, maxResults: 1000 });
  return page.executions.length;
}

describe('bad input on the local API', () => {
  beforeAll(async () => {
    h = await startHarness();
    ddb = new DynamoDBClient({
      endpoint: h.stack.urls.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    // Something accepted before, which bad input must not disturb.
    await h.intake();
  }, 180_000);

  afterAll(async () => {
    ddb?.destroy();
    await h?.stop();
  });

  it('fails each of 500 generated invalid complaints with a 4xx naming the field, writing and starting nothing', async () => {
    const [itemsBefore, executionsBefore] = [await itemCount(), await executionCount()];
    const cases = fc.sample(mutation, { numRuns: 500, seed: 5 });
    for (const m of cases) {
      const body = complaintBody();
      m.apply(body);
      const res = await h.api('POST', '/complaints', body);
      const context = `${m.field}: ${JSON.stringify(res.body).slice(0, 300)}`;
      expect(res.status, context).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        context,
      ).toContain(m.field);
    }
    expect(await itemCount()).toBe(itemsBefore);
    expect(await executionCount()).toBe(executionsBefore);
  }, 300_000);

  it('fails a body over the limit with 413 and a non-JSON content type with 415, writing nothing', async () => {
    const itemsBefore = await itemCount();
    const huge = await h.api('POST', '/complaints', { ...complaintBody(), note: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    const res = await signedFetch(`${h.stack.urls.api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(complaintBody()),
    });
    expect(res.status).toBe(415);
    expect(await itemCount()).toBe(itemsBefore);
  });
});
