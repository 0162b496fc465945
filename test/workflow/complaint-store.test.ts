/**
 * ComplaintStore against DynamoDB Local: what keeps a complaint's writes cheap must not change
 * what callers read. Clocks are stored gzipped, the indexes project keys only, and items other
 * than META carry their expiry from their first write.
 * DynamoDB TTL is seconds since the epoch on a Number attribute:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
 */

import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ComplaintStore, OPEN_HORIZON_DAYS } from '../../functions/adapters/complaint-store';
import type { StoredComplaint } from '../../functions/app/ports';
import { CLOSED_BY_MONTH_INDEX, CUSTOMER_INDEX, customerKeyOf, OPEN_BY_TEAM_INDEX } from '../../functions/contract/table';
import { answerSurvey, close, markFailed } from '../../functions/domain/lifecycle';
import { DEFAULT_SLA_POLICY } from '../../functions/domain/sla-policy';
import type { Complaint } from '../../functions/domain/types';
import { useLocalServices } from '../support/local-env';
import { metaItem, minutesAfter, registeredComplaint, surveyingComplaint } from '../unit/handlers/fixtures';

const services = useLocalServices();
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: services.dynamodb }), {
  marshallOptions: { removeUndefinedValues: true },
});
const DAY_S = 86_400;
const RETENTION = 30;

async function newTable(): Promise<string> {
  const name = `store-${randomUUID()}`;
  const keysOnly = (index: string, pk: string, sk: string) => ({
    IndexName: index,
    KeySchema: [
      { AttributeName: pk, KeyType: 'HASH' as const },
      { AttributeName: sk, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'KEYS_ONLY' as const },
  });
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: ['pk', 'sk', 'openTeam', 'nextDueAt', 'closedMonth', 'closedAt', 'customerKey', 'receivedAt'].map((a) => ({
        AttributeName: a,
        AttributeType: 'S',
      })),
      GlobalSecondaryIndexes: [
        keysOnly(OPEN_BY_TEAM_INDEX, 'openTeam', 'nextDueAt'),
        keysOnly(CLOSED_BY_MONTH_INDEX, 'closedMonth', 'closedAt'),
        keysOnly(CUSTOMER_INDEX, 'customerKey', 'receivedAt'),
      ],
    }),
  );
  return name;
}

const raw = async (table: string, pk: string, sk: string) =>
  (await client.send(new GetCommand({ TableName: table, Key: { pk, sk } }))).Item;
const partition = async (table: string, id: string) =>
  (
    await client.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `C#${id}` } }),
    )
  ).Items ?? [];

/** Registers `c` (version 2 in the fixtures) as a fresh META plus its first audit line. */
async function seed(store: ComplaintStore, c: Complaint, nextDueAt: string | null = null): Promise<StoredComplaint> {
  const created = await store.createIfAbsent({ ...c, version: 1 }, 'hash', [
    { at: c.receivedAt, type: 'received', actor: 'intake', detail: {} },
  ]);
  expect(created.created).toBe(true);
  const current = (await store.get(c.id))!;
  const saved = await store.save(
    current,
    { ...c, version: 2 },
    { expectedVersion: 1, audit: [{ at: c.receivedAt, type: 'registered', actor: 'system', detail: {} }], nextDueAt },
  );
  expect(saved.ok).toBe(true);
  return (await store.get(c.id))!;
}

function closedAt(c: Complaint, at: string): Complaint {
  const answered = answerSurvey(c, { solved: true, score: 5 }, at, DEFAULT_SLA_POLICY).complaint;
  return close(answered, at, DEFAULT_SLA_POLICY).complaint;
}

describe('ComplaintStore on DynamoDB Local', () => {
  let table: string;
  let store: ComplaintStore;
  beforeAll(async () => {
    table = await newTable();
    store = new ComplaintStore({ tableName: table, retentionDays: RETENTION, client });
  });

  it('keeps clocks gzipped in META and gives them back whole', async () => {
    const c = registeredComplaint('c-store000000000000000000001');
    const stored = await seed(store, c);
    expect(stored.complaint.clocks).toEqual(c.clocks);
    const item = (await raw(table, `C#${c.id}`, 'META'))!;
    expect(item.clocks).toBeUndefined();
    expect(item.clocksZ).toBeInstanceOf(Uint8Array);
    const plain = Buffer.byteLength(JSON.stringify(c.clocks));
    expect((item.clocksZ as Uint8Array).byteLength).toBeLessThan(plain / 3);
  });

  it('still reads a META written with clocks as a map (items from before the compression)', async () => {
    const c = registeredComplaint('c-store000000000000000000002');
    await client.send(new PutCommand({ TableName: table, Item: metaItem(c) }));
    expect((await store.get(c.id))!.complaint.clocks).toEqual(c.clocks);
  });

  it('answers a duplicate intake and a taken notification claim from the failed write, without a second read', async () => {
    const c = registeredComplaint('c-store000000000000000000009');
    await seed(store, c);
    const claimedAt = Date.parse(c.receivedAt) + 60_000;
    expect(await store.claimNotification(c.id, 'intake-ack', claimedAt, 60_000)).toBe('claimed');
    await store.markNotification(c.id, 'intake-ack', 'mailed', c.receivedAt, ['m-1']);
    const send = vi.spyOn(client, 'send');
    try {
      const duplicate = await store.createIfAbsent({ ...c, version: 1 }, 'hash', []);
      expect(duplicate).toMatchObject({ created: false, existing: { bodyHash: 'hash', complaint: { id: c.id, version: 2 } } });
      if (!duplicate.created) expect(duplicate.existing.complaint.clocks).toEqual(c.clocks);
      const taken = await store.claimNotification(c.id, 'intake-ack', claimedAt + 1, 60_000);
      expect(taken).toEqual({ key: 'intake-ack', status: 'mailed', claimedAtMs: claimedAt, sentAt: c.receivedAt, messageIds: ['m-1'] });
      expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual(['TransactWriteCommand', 'PutCommand']);
    } finally {
      send.mockRestore();
    }
  });

  it('stamps every item but META with receipt + retention + horizon when written', async () => {
    const c = registeredComplaint('c-store000000000000000000003');
    await seed(store, c);
    await store.claimNotification(c.id, 'intake-ack', Date.parse(c.receivedAt) + 60_000, 60_000);
    const items = await partition(table, c.id);
    const expected = Date.parse(c.receivedAt) / 1000 + (RETENTION + OPEN_HORIZON_DAYS) * DAY_S;
    const others = items.filter((i) => i.sk !== 'META');
    expect(others.map((i) => String(i.sk).split('#')[0]).sort()).toEqual(['EV', 'EV', 'NOTIF']);
    for (const i of others.filter((x) => String(x.sk).startsWith('EV#'))) expect(i.ttl).toBe(expected);
    // Claimed a minute after receipt: expires a minute later.
    expect(others.find((i) => String(i.sk).startsWith('NOTIF#'))!.ttl).toBe(expected + 60);
    expect(items.find((i) => i.sk === 'META')!.ttl).toBeUndefined();
  });

  it('writes nothing at close within the horizon, and re-stamps every item when closed after it', async () => {
    const soon = surveyingComplaint('c-store000000000000000000004');
    const late = surveyingComplaint('c-store000000000000000000005');
    for (const [c, closeAt] of [
      [soon, minutesAfter(60)],
      [late, new Date(Date.parse(late.receivedAt) + (OPEN_HORIZON_DAYS + 5) * DAY_S * 1000).toISOString()],
    ] as const) {
      const current = await seed(store, c);
      const closed = closedAt(current.complaint, closeAt);
      const saved = await store.save(
        current,
        { ...closed, version: current.complaint.version + 1 },
        { expectedVersion: current.complaint.version },
      );
      expect(saved.ok).toBe(true);
      await store.expirePartition(c.id, c.receivedAt, closeAt);
    }
    const stamped = Date.parse(soon.receivedAt) / 1000 + (RETENTION + OPEN_HORIZON_DAYS) * DAY_S;
    for (const i of (await partition(table, soon.id)).filter((x) => x.sk !== 'META')) expect(i.ttl).toBe(stamped);

    const lateClose = Date.parse(late.receivedAt) / 1000 + (OPEN_HORIZON_DAYS + 5) * DAY_S;
    for (const i of await partition(table, late.id)) expect(i.ttl).toBe(lateClose + RETENTION * DAY_S);
  });

  it('lists open complaints by team through the keys-only index, soonest due first, whole', async () => {
    const t = await newTable();
    const s = new ComplaintStore({ tableName: t, client });
    const ids = ['c-store000000000000000000011', 'c-store000000000000000000012', 'c-store000000000000000000013'];
    const dues = [minutesAfter(300), minutesAfter(100), minutesAfter(200)];
    for (const [i, id] of ids.entries()) await seed(s, registeredComplaint(id), dues[i]!);
    const { items, truncated } = await s.listOpen([registeredComplaint().team!]);
    expect(truncated).toBe(false);
    expect(items.map((x) => x.complaint.id)).toEqual([ids[1], ids[2], ids[0]]);
    expect(items[0]!.complaint.clocks).toEqual(registeredComplaint(ids[1]).clocks);
  });

  it("H-25: counts a customer's other complaints received in a period through the keys-only customer index", async () => {
    const t = await newTable();
    const s = new ComplaintStore({ tableName: t, client });
    const phoneId = '+86 138 0013 8000'; // a customer id that is a phone number
    const at = (days: number) => new Date(Date.parse(minutesAfter(0)) - days * DAY_S * 1000).toISOString();
    const complaint = (n: number, customerId: string, receivedAt: string): Complaint => ({
      ...registeredComplaint(`c-cust00000000000000000000${n}`),
      customer: { id: customerId, contact: { phone: '13800138000' } },
      receivedAt,
    });
    await seed(s, complaint(1, phoneId, at(1)));
    await seed(s, complaint(2, phoneId, at(12)));
    await seed(s, complaint(3, phoneId, at(31)));
    await seed(s, complaint(4, 'cust-other', at(2)));
    const self = complaint(5, phoneId, at(0));
    await seed(s, self);

    const from = at(30);
    expect(await s.countCustomerComplaints(phoneId, from, self.receivedAt, self.id)).toBe(2);
    expect(await s.countCustomerComplaints(phoneId, at(40), self.receivedAt, self.id)).toBe(3);
    expect(await s.countCustomerComplaints('cust-other', from, self.receivedAt, self.id)).toBe(1);
    expect(await s.countCustomerComplaints('cust-nobody', from, self.receivedAt, self.id)).toBe(0);

    // Keys only, and the key is a hash: the phone-number id is not in the index.
    const entries = (
      await client.send(
        new QueryCommand({
          TableName: t,
          IndexName: CUSTOMER_INDEX,
          KeyConditionExpression: 'customerKey = :c',
          ExpressionAttributeValues: { ':c': customerKeyOf(phoneId) },
        }),
      )
    ).Items!;
    expect(entries).toHaveLength(4);
    for (const e of entries) expect(Object.keys(e).sort()).toEqual(['customerKey', 'pk', 'receivedAt', 'sk']);
    expect(JSON.stringify(entries)).not.toContain(phoneId);
    expect(JSON.stringify(entries)).not.toContain('13800138000');
    // Callers never see the index key.
    expect((await s.get(self.id))!.complaint).not.toHaveProperty('customerKey');
  });

  it('lists complaints closed in a period through the keys-only index', async () => {
    const t = await newTable();
    const s = new ComplaintStore({ tableName: t, client });
    const c = surveyingComplaint('c-store000000000000000000021');
    const current = await seed(s, c);
    const at = minutesAfter(90);
    await s.save(
      current,
      { ...closedAt(current.complaint, at), version: current.complaint.version + 1 },
      { expectedVersion: current.complaint.version },
    );
    const { items } = await s.listClosed(minutesAfter(0), minutesAfter(24 * 60));
    expect(items.map((x) => [x.complaint.id, x.complaint.status, x.complaint.points.closed])).toEqual([[c.id, 'closed', at]]);
    expect((await s.listClosed(minutesAfter(91), minutesAfter(24 * 60))).items).toEqual([]);
  });

  it('H-36: archives closed and failed complaints in day aggregates (ADD, once per close) and reads a period without the complaints', async () => {
    const t = await newTable();
    const s = new ComplaintStore({ tableName: t, client, timeZone: 'Asia/Shanghai' });
    // T0 is 2026-03-02T02:00Z, 10:00 in Shanghai.
    const ids = ['c-store000000000000000000031', 'c-store000000000000000000032', 'c-store000000000000000000033'];
    for (const [i, id] of ids.slice(0, 2).entries()) {
      const current = await seed(s, surveyingComplaint(id));
      const closed = { ...closedAt(current.complaint, minutesAfter(90 + i)), version: current.complaint.version + 1 };
      expect((await s.save(current, closed, { expectedVersion: current.complaint.version })).ok).toBe(true);
      // A retry of the same close (same loaded version) is refused by the version condition: nothing counted twice.
      expect(await s.save(current, closed, { expectedVersion: current.complaint.version })).toEqual({ ok: false, reason: 'version' });
      // Saving the closed complaint again (e.g. a note) adds nothing either.
      const again = (await s.get(id))!;
      expect(
        (await s.save(again, { ...again.complaint, version: again.complaint.version + 1 }, { expectedVersion: again.complaint.version }))
          .ok,
      ).toBe(true);
    }
    const open = await seed(s, registeredComplaint(ids[2]));
    const failedAt = minutesAfter(16 * 60); // 02:00 the next local day
    const failed = { ...markFailed(open.complaint, failedAt, 'boom').complaint, version: open.complaint.version + 1 };
    expect((await s.save(open, failed, { expectedVersion: open.complaint.version })).ok).toBe(true);

    const day = await raw(t, 'Q#2026-03', '2026-03-02#AGG#network-operations');
    expect(day).toMatchObject({
      day: '2026-03-02',
      team: 'network-operations',
      'n:closed': 2,
      'n:survey.answered': 2,
      'n:survey.satisfied': 2,
    });
    expect(await raw(t, 'Q#2026-03', '2026-03-03#AGG#network-operations')).toMatchObject({ 'n:failed': 1 });

    const both = await s.readQuality('2026-03-01', '2026-03-31');
    expect(both.counters).toMatchObject({ closed: 2, failed: 1 });
    expect(both.byTeam).toEqual({ 'network-operations': { closed: 2, failed: 1 } });
    expect((await s.readQuality('2026-03-03', '2026-03-03')).counters).toEqual(expect.objectContaining({ failed: 1 }));
    expect((await s.readQuality('2026-03-03', '2026-03-03')).counters.closed).toBeUndefined();
    expect((await s.readQuality('2026-02-01', '2026-03-01')).counters).toEqual({});
    // The archive index lists failed complaints too, at the instant they failed.
    expect((await s.listClosed(minutesAfter(0), minutesAfter(24 * 60))).items.map((x) => x.complaint.id).sort()).toEqual(ids);
  });

  it('H-36: stores an improvement measure with its audit line and reads it back in its period, across months', async () => {
    const t = await newTable();
    const s = new ComplaintStore({ tableName: t, client, timeZone: 'Asia/Shanghai' });
    const current = await seed(s, registeredComplaint('c-store000000000000000000041'));
    const at = '2026-03-31T17:00:00.000Z'; // 1 April in Shanghai
    const audit = [
      { at, type: 'improvement', actor: 'zhang.min', detail: { eventId: 'imp-1', measure: '夜间割接前短信通知', category: 'notice' } },
    ];
    const saved = await s.save(
      current,
      { ...current.complaint, version: current.complaint.version + 1 },
      { expectedVersion: current.complaint.version, audit },
    );
    expect(saved.ok).toBe(true);
    const april = await s.readQuality('2026-03-15', '2026-04-15');
    expect(april.improvements).toEqual([
      { at, complaintId: 'c-store000000000000000000041', actor: 'zhang.min', measure: '夜间割接前短信通知', category: 'notice' },
    ]);
    expect((await s.readQuality('2026-03-01', '2026-03-31')).improvements).toEqual([]);
    expect((await s.history('c-store000000000000000000041')).some((e) => e.type === 'improvement')).toBe(true);
  });

  it('keeps a complaint in one partition: META, audit lines in order, event and notification markers; links by token hash', async () => {
    const c = registeredComplaint('c-store000000000000000000051');
    const current = await seed(store, c, minutesAfter(20));
    const marker = { eventId: 'ev-1', type: 'acknowledged', appliedAt: minutesAfter(5), result: { milestoneMet: false } };
    const saved = await store.save(
      current,
      { ...current.complaint, version: 3 },
      {
        expectedVersion: 2,
        audit: [{ at: minutesAfter(5), type: 'acknowledged', actor: 'agent', detail: {} }],
        extra: [{ kind: 'event-marker', marker }],
      },
    );
    expect(saved.ok).toBe(true);
    expect(await store.claimNotification(c.id, 'intake-acknowledgment', 1_000, 60_000)).toBe('claimed');
    await store.markNotification(c.id, 'intake-acknowledgment', 'sent', minutesAfter(1), ['msg-1']);
    await store.putLink('a'.repeat(64), { purpose: 'survey', complaintId: c.id, createdAt: minutesAfter(1), expiresAt: minutesAfter(60) });

    const sks = (await partition(table, c.id)).map((item) => String(item.sk));
    expect(sks.filter((sk) => !sk.startsWith('EV#'))).toEqual(['EVID#ev-1', 'META', 'NOTIF#intake-acknowledgment']);
    expect(sks.filter((sk) => sk.startsWith('EV#'))).toHaveLength(3);
    const meta = (await raw(table, `C#${c.id}`, 'META'))!;
    expect(meta).toMatchObject({ version: 3, openTeam: c.team, nextDueAt: minutesAfter(20) });
    // The customer index key is a hash of the customer id, never the id itself (H-42).
    expect(meta.customerKey).toBe(customerKeyOf(c.customer.id));
    expect(meta.customerKey).not.toContain(c.customer.id);
    expect(await raw(table, `C#${c.id}`, 'NOTIF#intake-acknowledgment')).toMatchObject({ status: 'sent', messageIds: ['msg-1'] });
    expect(await raw(table, `LINK#${'a'.repeat(64)}`, 'LINK')).toMatchObject({ purpose: 'survey', complaintId: c.id });
    expect((await store.history(c.id)).map((e) => e.type)).toEqual(['received', 'registered', 'acknowledged']);
    expect(await store.getEventMarker(c.id, 'ev-1')).toEqual(marker);
  });

  it('fails a save whose version was overtaken, whose event was applied or whose link was used, and writes none of it', async () => {
    const c = registeredComplaint('c-store000000000000000000052');
    const current = await seed(store, c);
    await store.putLink('b'.repeat(64), { purpose: 'survey', complaintId: c.id, createdAt: minutesAfter(1), expiresAt: minutesAfter(60) });
    const marker = { eventId: 'ev-1', type: 'acknowledged', appliedAt: minutesAfter(5), result: {} };
    const line = [{ at: minutesAfter(5), type: 'acknowledged', actor: 'agent', detail: {} }];
    const next = { ...current.complaint, version: 3 };
    const first = await store.save(current, next, {
      expectedVersion: 2,
      audit: line,
      extra: [
        { kind: 'event-marker', marker },
        { kind: 'link-used', tokenHash: 'b'.repeat(64), usedAt: minutesAfter(5) },
      ],
    });
    expect(first.ok).toBe(true);
    const now = (await store.get(c.id))!;

    expect(await store.save(current, next, { expectedVersion: 2, audit: line })).toEqual({ ok: false, reason: 'version' });
    const again = { ...now.complaint, version: 4 };
    expect(await store.save(now, again, { expectedVersion: 3, audit: line, extra: [{ kind: 'event-marker', marker }] })).toEqual({
      ok: false,
      reason: 'event-marker',
    });
    expect(
      await store.save(now, again, {
        expectedVersion: 3,
        audit: line,
        extra: [{ kind: 'link-used', tokenHash: 'b'.repeat(64), usedAt: minutesAfter(6) }],
      }),
    ).toEqual({ ok: false, reason: 'link-used' });
    expect(
      await store.save(now, again, {
        expectedVersion: 3,
        extra: [{ kind: 'link-used', tokenHash: 'c'.repeat(64), usedAt: minutesAfter(6) }],
      }),
    ).toEqual({ ok: false, reason: 'link-used' });
    // All or nothing: the refused saves left no META change and no audit line.
    expect((await store.get(c.id))!.complaint.version).toBe(3);
    expect((await store.history(c.id)).map((e) => e.type)).toEqual(['received', 'registered', 'acknowledged']);
    expect((await store.getLink('b'.repeat(64)))!.usedAt).toBe(minutesAfter(5));
  });

  it('creates a complaint once (a second create answers the first) and stores a task token only while the complaint waits at that milestone', async () => {
    const c = registeredComplaint('c-store000000000000000000053');
    await seed(store, c);
    const second = await store.createIfAbsent({ ...c, version: 1, description: 'other' }, 'other-hash', []);
    expect(second).toMatchObject({ created: false, existing: { bodyHash: 'hash', complaint: { version: 2 } } });
    // At another milestone, or with every awaited point there, the write is refused and answers the complaint as found.
    expect(await store.storeWaitToken(c.id, 'survey', ['survey-answered'], 'tok-other')).toMatchObject({
      stored: false,
      current: { complaint: { id: c.id, version: 2, milestone: 'first-contact' } },
    });
    expect(await store.storeWaitToken(c.id, 'first-contact', ['registered'], 'tok-met')).toMatchObject({
      stored: false,
      current: { complaint: { version: 2 } },
    });
    expect(await store.storeWaitToken('c-store000000000000000000099', 'first-contact', ['acknowledged'], 'tok-none')).toEqual({
      stored: false,
      current: undefined,
    });
    expect(await store.storeWaitToken(c.id, 'first-contact', ['acknowledged', 'dispatched'], 'tok-1')).toEqual({ stored: true });
    expect(await store.get(c.id)).toMatchObject({ waitMilestone: 'first-contact', waitToken: 'tok-1', complaint: { version: 3 } });
    expect((await store.get(c.id))!.complaint).not.toHaveProperty('waitToken');
  });

  it('leases a notification claim: a fresh pending claim is refused, a stale one taken over, a sent one reported; release only while pending', async () => {
    const id = 'c-store000000000000000000054';
    await seed(store, registeredComplaint(id));
    expect(await store.claimNotification(id, 'k', 10_000, 60_000)).toBe('claimed');
    expect(await store.claimNotification(id, 'k', 20_000, 60_000)).toMatchObject({ status: 'pending', claimedAtMs: 10_000 });
    expect(await store.claimNotification(id, 'k', 80_001, 60_000)).toBe('claimed');
    await store.releaseNotification(id, 'k');
    expect(await store.claimNotification(id, 'k', 80_002, 60_000)).toBe('claimed');
    await store.markNotification(id, 'k', 'sent', minutesAfter(1), ['m-1']);
    await store.releaseNotification(id, 'k');
    expect(await store.claimNotification(id, 'k', 999_999, 60_000)).toMatchObject({ status: 'sent', messageIds: ['m-1'] });
  });

  it('stores the link an email carries with its claim: a refused claim stores no link', async () => {
    const id = 'c-store000000000000000000055';
    await seed(store, registeredComplaint(id));
    const link = { purpose: 'survey' as const, complaintId: id, createdAt: minutesAfter(1), expiresAt: minutesAfter(60) };
    expect(await store.claimNotification(id, 'result-notice#0', 10_000, 60_000, { tokenHash: 'd'.repeat(64), link })).toBe('claimed');
    expect(await store.getLink('d'.repeat(64))).toEqual(link);
    expect(await store.claimNotification(id, 'result-notice#0', 20_000, 60_000, { tokenHash: 'e'.repeat(64), link })).toMatchObject({
      status: 'pending',
      claimedAtMs: 10_000,
    });
    expect(await store.getLink('e'.repeat(64))).toBeUndefined();
  });

  it('reads a link and its complaint in one request; either may be absent', async () => {
    const c = registeredComplaint('c-store000000000000000000058');
    await seed(store, c);
    const link = {
      purpose: 'ack' as const,
      complaintId: c.id,
      clockId: 'H-01',
      level: 1,
      createdAt: minutesAfter(1),
      expiresAt: minutesAfter(60),
    };
    await store.putLink('f'.repeat(64), link);
    const send = vi.spyOn(client, 'send');
    try {
      const both = await store.getLinkWithComplaint('f'.repeat(64), c.id);
      expect(both.link).toEqual(link);
      expect(both.stored).toMatchObject({ complaint: { id: c.id, version: 2 }, bodyHash: 'hash' });
      expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual(['TransactGetCommand']);
    } finally {
      send.mockRestore();
    }
    expect(await store.getLinkWithComplaint('0'.repeat(64), 'c-store000000000000000000098')).toEqual({});
  });

  it('marks a notification sent in the complaint save that records it, all or nothing', async () => {
    const c = registeredComplaint('c-store000000000000000000056');
    await seed(store, c);
    expect(await store.claimNotification(c.id, 'k', 10_000, 60_000)).toBe('claimed');
    const current = (await store.get(c.id))!;
    const sent = { key: 'k', at: minutesAfter(2), messageIds: ['m-1'] };
    const line = [{ at: minutesAfter(2), type: 'notified', actor: 'system', detail: { kind: 'k' } }];
    const next = { ...current.complaint, version: current.complaint.version + 1 };
    // A save refused on its version writes no mark.
    expect(
      await store.save(current, { ...next, version: 1 }, { expectedVersion: 0, audit: line, extra: [{ kind: 'notification-sent', sent }] }),
    ).toEqual({
      ok: false,
      reason: 'version',
    });
    expect(await store.claimNotification(c.id, 'k', 20_000, 60_000)).toMatchObject({ status: 'pending' });
    const saved = await store.save(current, next, {
      expectedVersion: current.complaint.version,
      audit: line,
      extra: [{ kind: 'notification-sent', sent }],
    });
    expect(saved.ok).toBe(true);
    expect(await store.claimNotification(c.id, 'k', 999_999, 60_000)).toMatchObject({ status: 'sent', messageIds: ['m-1'] });
  });

  it('creates a complaint and its first audit lines in one transaction; a concurrent duplicate answers the one created', async () => {
    const c = { ...registeredComplaint('c-store000000000000000000057'), version: 1 };
    const audit = [{ at: minutesAfter(0), type: 'received', actor: 'intake-api', detail: {} }];
    const [a, b] = await Promise.all([store.createIfAbsent(c, 'hash', audit), store.createIfAbsent(c, 'hash', audit)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await store.history(c.id)).map((e) => e.type)).toEqual(['received']);
  });

  it('H-25: answers no count (rather than failing) on a table whose customer index does not exist yet', async () => {
    const name = `store-noindex-${randomUUID()}`;
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: ['pk', 'sk'].map((a) => ({ AttributeName: a, AttributeType: 'S' as const })),
      }),
    );
    const s = new ComplaintStore({ tableName: name, client });
    expect(await s.countCustomerComplaints('cust-1', minutesAfter(-60), minutesAfter(0), 'c-x')).toBeUndefined();
  });
});
