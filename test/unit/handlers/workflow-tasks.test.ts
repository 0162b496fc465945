import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromItem } from '../../../functions/adapters/complaint-store';
import { Workflow } from '../../../functions/adapters/workflow';
import { customerKeyOf } from '../../../functions/contract/table';
import { newComplaint } from '../../../functions/domain/lifecycle';
import { FakeTable } from './fake-table';
import { epochAt, metaItem, minutesAfter, registeredComplaint, T0 } from './fixtures';
import { apiEvent, load, named, setEnv } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

type H = (event: unknown) => Promise<unknown>;
let classify: H;
let lifecycle: H;
let awaitMilestone: H;
let getComplaint: typeof import('../../../functions/handlers/get-complaint').handler;
let table: FakeTable;

beforeAll(async () => {
  setEnv();
  classify = (await load<typeof import('../../../functions/handlers/classify')>('../../../functions/handlers/classify')).handler;
  lifecycle = (await load<typeof import('../../../functions/handlers/lifecycle')>('../../../functions/handlers/lifecycle')).handler;
  awaitMilestone = (await load<typeof import('../../../functions/handlers/await-milestone')>('../../../functions/handlers/await-milestone'))
    .handler;
  getComplaint = (await load<typeof import('../../../functions/handlers/get-complaint')>('../../../functions/handlers/get-complaint'))
    .handler;
});

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  table = new FakeTable(ddb);
  sfn.on(SendTaskSuccessCommand).resolves({});
});

function seedNew(id = 'c-new00000000000000000000001') {
  const c = newComplaint(
    {
      requestId: 'r',
      customerId: 'cust',
      contact: { phone: '13812345678' },
      channel: 'online',
      source: 'third-party',
      serviceType: 'information-security',
      description: '账号被盗号，有人冒充客服诈骗',
      occurredAt: T0,
    },
    { id, receivedAt: T0, policyVersion: 'handbook-2025.1' },
  );
  table.seed(metaItem(c));
  return c;
}

describe('classify and lifecycle (workflow tasks)', () => {
  it('classifies once (H-20..H-24) and answers the same classification when retried', async () => {
    const c = seedNew();
    const first = (await classify({ complaintId: c.id, now: T0 })) as { team: string; management: boolean; complexity: string };
    const again = await classify({ complaintId: c.id, now: T0 });
    expect(first).toMatchObject({ serviceType: 'information-security', management: true, complexity: 'complex' });
    expect(again).toEqual(first);
    expect(table.get(`C#${c.id}`, 'META')!.version).toBe(1);
  });

  it("H-25: counts the customer's earlier complaints in the 30-day window, passes them to classification, and says so", async () => {
    const earlier = (n: number, customerId: string, daysBefore: number) => {
      const e = newComplaint(
        {
          requestId: `r${n}`,
          customerId,
          contact: { phone: '13812345678' },
          channel: 'phone',
          source: 'external',
          serviceType: 'network',
          description: '没信号',
          occurredAt: T0,
        },
        {
          id: `c-old0000000000000000000000${n}`,
          receivedAt: new Date(Date.parse(T0) - daysBefore * 86_400_000).toISOString(),
          policyVersion: 'handbook-2025.1',
        },
      );
      table.seed(metaItem(e, { customerKey: customerKeyOf(customerId) }));
    };
    earlier(1, '13800138000', 1);
    earlier(2, '13800138000', 10);
    earlier(3, '13800138000', 29.9);
    earlier(4, '13800138000', 31); // outside the window
    earlier(5, '13900139000', 2); // another customer
    const c = newComplaint(
      {
        requestId: 'r',
        customerId: '13800138000',
        contact: { phone: '13800138000' },
        channel: 'phone',
        source: 'external',
        serviceType: 'network',
        description: '家里又没信号了',
        occurredAt: T0,
      },
      { id: 'c-new00000000000000000000009', receivedAt: T0, policyVersion: 'handbook-2025.1' },
    );
    table.seed(metaItem(c, { customerKey: customerKeyOf('13800138000') }));
    const result = (await classify({ complaintId: c.id, now: T0 })) as {
      severity: string;
      complexity: string;
      priorComplaints: number;
      reasons: string[];
    };
    expect(result).toMatchObject({ severity: 'major', complexity: 'complex', priorComplaints: 3 });
    expect(result.reasons.join(' | ')).toMatch(/3 earlier complaints by this customer in 30 days \(H-25\)/);
    const audit = table.keys(`C#${c.id}|EV#`).map((k) => table.items.get(k)!);
    expect(audit.find((a) => a.type === 'classified')).toMatchObject({ detail: { priorComplaints: 3, severity: 'major' } });
    // The index key is a hash: the phone-number-like customer id is not in it.
    expect(table.get(`C#${c.id}`, 'META')!.customerKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('H-25: classifies without the repeat count, saying so, while the customer index does not exist yet', async () => {
    const c = seedNew();
    table.failNext('Query', named('ValidationException', 'The table does not have the specified index: by-customer'));
    const result = (await classify({ complaintId: c.id, now: T0 })) as { priorComplaints?: number; reasons: string[] };
    expect(result.priorComplaints).toBeUndefined();
    expect(result.reasons.join(' | ')).toMatch(/not counted: the customer index is not available yet \(H-25\)/);
  });

  it('fails the classify task (for the workflow to retry) when counting repeat complaints is throttled', async () => {
    const c = seedNew();
    table.failNext('Query', named('ProvisionedThroughputExceededException'));
    await expect(classify({ complaintId: c.id, now: T0 })).rejects.toMatchObject({ name: 'TransientError' });
    expect(table.get(`C#${c.id}`, 'META')!.classification).toBeUndefined();
  });

  it('registers (H-11) with the clocks started and answers { nextDueAt, management }; a retry changes nothing', async () => {
    const c = seedNew();
    await classify({ complaintId: c.id, now: T0 });
    const first = (await lifecycle({ complaintId: c.id, now: T0, action: 'register' })) as { nextDueAt: string; management: boolean };
    const again = await lifecycle({ complaintId: c.id, now: T0, action: 'register' });
    expect(first.management).toBe(true);
    expect(first.nextDueAt > T0).toBe(true);
    expect(again).toEqual(first);
    const meta = table.get(`C#${c.id}`, 'META')!;
    expect(meta).toMatchObject({ status: 'open', milestone: 'first-contact', version: 2, openTeam: 'customer-service' });
    expect(Object.keys(fromItem(meta).complaint.clocks)).toContain('H-01');
  });

  it('fails with EventNotAllowedError when closing a complaint that is still being handled', async () => {
    const c = registeredComplaint();
    table.seed(metaItem(c));
    await expect(lifecycle({ complaintId: c.id, now: minutesAfter(5), action: 'close' })).rejects.toMatchObject({
      name: 'EventNotAllowedError',
    });
  });

  it('fails with InvalidPayloadError naming the field when the action is unknown', async () => {
    await expect(lifecycle({ complaintId: 'c-new00000000000000000000001', now: T0, action: 'archive' })).rejects.toThrow(/action/);
  });
});

describe('await-milestone (workflow task)', () => {
  it('stores the task token of the awaited milestone (never shown by the API)', async () => {
    const c = registeredComplaint();
    table.seed(metaItem(c));
    const out = await awaitMilestone({ complaintId: c.id, now: T0, milestone: 'first-contact', taskToken: 'tok-abc' });
    expect(out).toEqual({ met: false });
    expect(table.get(`C#${c.id}`, 'META')).toMatchObject({ waitMilestone: 'first-contact', waitToken: 'tok-abc', version: c.version + 1 });
    expect(sfn.calls()).toHaveLength(0);

    const view = await getComplaint(apiEvent({ method: 'GET', pathParameters: { id: c.id }, requestTimeEpoch: epochAt(1) }));
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain('tok-abc');
  });

  it('answers the token itself when the milestone was met before the workflow got there', async () => {
    const c = registeredComplaint();
    const met = {
      ...c,
      points: { ...c.points, acknowledged: minutesAfter(1), dispatched: minutesAfter(2) },
      milestone: 'investigation' as const,
    };
    table.seed(metaItem(met));
    const out = await awaitMilestone({ complaintId: c.id, now: minutesAfter(3), milestone: 'first-contact', taskToken: 'tok-late' });
    expect(out).toEqual({ met: true });
    const call = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(call.taskToken).toBe('tok-late');
    expect(JSON.parse(call.output!)).toMatchObject({ milestone: 'first-contact', nextDueAt: expect.any(String) });
  });

  it('retries storing the token when the complaint changed in between', async () => {
    const c = registeredComplaint();
    table.seed(metaItem(c));
    const conflict = named('ConditionalCheckFailedException');
    table.failNext('Update', conflict);
    const out = await awaitMilestone({ complaintId: c.id, now: T0, milestone: 'first-contact', taskToken: 'tok-2' });
    expect(out).toEqual({ met: false });
    expect(table.get(`C#${c.id}`, 'META')!.waitToken).toBe('tok-2');
  });
});

describe('get-complaint (GET /complaints/{id})', () => {
  it('shows status, milestone, every clock with deadline and remaining time, and the history; contacts masked', async () => {
    const c = registeredComplaint();
    table.seed(metaItem(c));
    table.seed({ pk: `C#${c.id}`, sk: `EV#${T0}#00000001-000`, at: T0, type: 'registered', actor: 'system', detail: {} });
    const res = await getComplaint(apiEvent({ method: 'GET', pathParameters: { id: c.id }, requestTimeEpoch: epochAt(5) }));
    expect(res.statusCode).toBe(200);
    const view = JSON.parse(res.body);
    expect(view).toMatchObject({ id: c.id, status: 'open', milestone: 'first-contact', escalationLevel: 0 });
    expect(view.customer.contact.phone).toBe('138****5678');
    expect(view.description).not.toContain('13812345678');
    const h01 = view.clocks.find((k: { id: string }) => k.id === 'H-01');
    expect(h01).toMatchObject({ deadline: minutesAfter(20), remainingMs: 15 * 60_000, status: 'running', clause: expect.any(String) });
    expect(h01.explanation).toBeTruthy();
    expect(view.history).toEqual([{ at: T0, type: 'registered', actor: 'system', detail: {} }]);
    expect(res.body).not.toContain('li.lei@example.com');
  });

  it('redacts personal data that staff typed into the attribution, opinion and written result (H-42)', async () => {
    const c = {
      ...registeredComplaint(),
      attribution: {
        description: '用户 13812345678 反映',
        scope: 'one home',
        occurredAt: T0,
        affectedParty: 'li.lei@example.com',
        measures: 'call back',
      },
      handlingOpinion: { opinion: '回拨 13812345678', measures: '回电 li.lei@example.com', timetable: '今天' },
      resolution: { what: 'fixed', how: '已邮件告知 li.lei@example.com', followUp: '' },
    };
    table.seed(metaItem(c));
    const res = await getComplaint(apiEvent({ method: 'GET', pathParameters: { id: c.id }, requestTimeEpoch: epochAt(5) }));
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('13812345678');
    expect(res.body).not.toContain('li.lei@example.com');
    expect(JSON.parse(res.body).attribution.occurredAt).toBe(T0);
  });

  it('fails with 404 for an unknown or malformed id', async () => {
    expect((await getComplaint(apiEvent({ method: 'GET', pathParameters: { id: 'c-nothere000000000000000000' } }))).statusCode).toBe(404);
    expect((await getComplaint(apiEvent({ method: 'GET', pathParameters: { id: '../x' } }))).statusCode).toBe(404);
  });
});

describe('Workflow adapter', () => {
  it('treats TaskTimedOut and TaskDoesNotExist on a stale token as not an error', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html (Errors)
    const wf = new Workflow(undefined);
    sfn.on(SendTaskSuccessCommand).rejectsOnce(named('TaskTimedOut')).rejectsOnce(named('TaskDoesNotExist')).rejects(named('InvalidToken'));
    await expect(wf.succeed('t', { milestone: 'survey', nextDueAt: null })).resolves.toBe('stale');
    await expect(wf.succeed('t', { milestone: 'survey', nextDueAt: null })).resolves.toBe('stale');
    await expect(wf.succeed('t', { milestone: 'survey', nextDueAt: null })).rejects.toMatchObject({ name: 'InvalidToken' });
  });
});
