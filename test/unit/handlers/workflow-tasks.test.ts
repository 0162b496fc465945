import { beforeEach, describe, expect, it } from 'vitest';
import { getComplaintHandler } from '../../../functions/app/api/get-complaint';
import { awaitMilestoneHandler, classifyHandler, lifecycleHandler } from '../../../functions/app/tasks/tasks';
import { newComplaint } from '../../../functions/domain/lifecycle';
import { epochAt, minutesAfter, registeredComplaint, T0 } from './fixtures';
import { apiEvent, inMemoryApp, named } from './support';

let app: ReturnType<typeof inMemoryApp>;
let classify: ReturnType<typeof classifyHandler>;
let lifecycle: ReturnType<typeof lifecycleHandler>;
let awaitMilestone: ReturnType<typeof awaitMilestoneHandler>;
let getComplaint: ReturnType<typeof getComplaintHandler>;

beforeEach(() => {
  app = inMemoryApp();
  classify = classifyHandler(app);
  lifecycle = lifecycleHandler(app);
  awaitMilestone = awaitMilestoneHandler(app);
  getComplaint = getComplaintHandler(app);
});

const stored = (id: string) => app.store.peek(id)!;

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
  app.store.seed(c);
  return c;
}

describe('classify and lifecycle (workflow tasks)', () => {
  it('classifies (H-20..H-24) and registers (H-11) in one save, answering the classification and nextDueAt; a retry changes nothing', async () => {
    const c = seedNew();
    const first = (await classify({ complaintId: c.id, now: T0 })) as { management: boolean; nextDueAt: string };
    const again = await classify({ complaintId: c.id, now: T0 });
    expect(first).toMatchObject({ serviceType: 'information-security', management: true, complexity: 'complex' });
    expect(first.nextDueAt > T0).toBe(true);
    expect(again).toEqual(first);
    const { complaint: registered, nextDueAt } = stored(c.id);
    expect(registered).toMatchObject({ status: 'open', milestone: 'first-contact', version: 1, team: 'customer-service' });
    expect(Object.keys(registered.clocks)).toContain('H-01');
    expect(nextDueAt).toBe(first.nextDueAt);
    expect((await app.store.history(c.id)).map((a) => a.type).slice(0, 2)).toEqual(['classified', 'registered']);
    // Open with a clock due: the team's open list and the due ids show it.
    expect((await app.store.listOpen(['customer-service'])).items.map((s) => s.complaint.id)).toEqual([c.id]);
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
      app.store.seed(e);
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
    app.store.seed(c);
    const result = await classify({ complaintId: c.id, now: T0 });
    expect(result).toMatchObject({ severity: 'major', complexity: 'complex', priorComplaints: 3 });
    expect(result.reasons.join(' | ')).toMatch(/3 earlier complaints by this customer in 30 days \(H-25\)/);
    const audit = await app.store.history(c.id);
    expect(audit.find((a) => a.type === 'classified')).toMatchObject({ detail: { priorComplaints: 3, severity: 'major' } });
  });

  it('H-25: classifies without the repeat count, saying so, while the customer index does not exist yet', async () => {
    const c = seedNew();
    app.store.customerIndexBuilding = true;
    const result = await classify({ complaintId: c.id, now: T0 });
    expect(result.priorComplaints).toBeUndefined();
    expect(result.reasons.join(' | ')).toMatch(/not counted: the customer index is not available yet \(H-25\)/);
  });

  it('fails the classify task (for the workflow to retry) when counting repeat complaints is throttled', async () => {
    const c = seedNew();
    app.store.failNext('countCustomerComplaints', named('ProvisionedThroughputExceededException'));
    await expect(classify({ complaintId: c.id, now: T0 })).rejects.toMatchObject({ name: 'TransientError' });
    expect(stored(c.id).complaint.classification).toBeUndefined();
  });

  // Running executions keep the definition they started with: https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html
  it('registers (H-11) on the lifecycle task as well, for executions still on a definition with a Register state: a complaint already registered is left as it is', async () => {
    const c = seedNew();
    const classified = await classify({ complaintId: c.id, now: T0 });
    const registered = await lifecycle({ complaintId: c.id, now: T0, action: 'register' });
    expect(registered).toEqual({ nextDueAt: classified.nextDueAt, management: true });
    expect(stored(c.id).complaint.version).toBe(1);
  });

  it('fails with EventNotAllowedError when closing a complaint that is still being handled', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
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
    app.store.seed(c);
    const out = await awaitMilestone({ complaintId: c.id, now: T0, milestone: 'first-contact', taskToken: 'tok-abc' });
    expect(out).toEqual({ met: false });
    expect(stored(c.id)).toMatchObject({ waitMilestone: 'first-contact', waitToken: 'tok-abc', complaint: { version: c.version + 1 } });
    expect(app.workflow.successes).toHaveLength(0);

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
    app.store.seed(met);
    const out = await awaitMilestone({ complaintId: c.id, now: minutesAfter(3), milestone: 'first-contact', taskToken: 'tok-late' });
    expect(out).toEqual({ met: true });
    expect(app.workflow.successes).toEqual([
      { taskToken: 'tok-late', output: expect.objectContaining({ milestone: 'first-contact', nextDueAt: expect.any(String) }) },
    ]);
  });

  it('stores the token in one conditional write whatever another writer saved before it', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    // Another writer saves just before the token's conditional write (no read precedes it).
    app.store.beforeNext('storeWaitToken', async () => {
      const current = (await app.store.get(c.id))!;
      const saved = await app.store.save(current, { ...current.complaint, version: c.version + 1 }, { expectedVersion: c.version });
      expect(saved.ok).toBe(true);
    });
    const out = await awaitMilestone({ complaintId: c.id, now: T0, milestone: 'first-contact', taskToken: 'tok-2' });
    expect(out).toEqual({ met: false });
    expect(stored(c.id)).toMatchObject({ waitToken: 'tok-2', complaint: { version: c.version + 2 } });
    expect(app.store.calls.filter((m) => m === 'storeWaitToken')).toHaveLength(1);
  });
});

describe('get-complaint (GET /complaints/{id})', () => {
  it('shows status, milestone, every clock with deadline and remaining time, and the history; contacts masked', async () => {
    const c = registeredComplaint();
    await app.store.createIfAbsent(c, 'hash', [{ at: T0, type: 'registered', actor: 'system', detail: {} }]);
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
    app.store.seed(c);
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
