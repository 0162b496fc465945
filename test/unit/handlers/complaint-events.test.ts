import { beforeEach, describe, expect, it } from 'vitest';
import { complaintEventsHandler } from '../../../functions/app/api/events';
import { epochAt, registeredComplaint, surveyingComplaint } from './fixtures';
import { apiEvent, inMemoryApp, named, PUBLIC_BASE_URL, SIGNED_CALLER, sha256Hex } from './support';

let app: ReturnType<typeof inMemoryApp>;
let handler: ReturnType<typeof complaintEventsHandler>;
const complaint = registeredComplaint();
const id = complaint.id;

beforeEach(() => {
  app = inMemoryApp();
  handler = complaintEventsHandler({ ...app, publicBaseUrl: PUBLIC_BASE_URL });
  app.store.seed(complaint, { waitMilestone: 'first-contact', waitToken: 'token-first-contact' });
});

const stored = () => app.store.peek(id)!;
const saves = () => app.store.calls.filter((m) => m === 'save');

function post(body: unknown, minutes = 5, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return handler(
    apiEvent({
      body: JSON.stringify(body),
      headers,
      pathParameters: { id },
      path: `/complaints/${id}/events`,
      requestTimeEpoch: epochAt(minutes),
    }),
  );
}

const investigated = {
  eventId: 'ev-inv',
  actor: 'agent-7',
  type: 'investigated',
  attribution: { description: '光缆中断', scope: '小区', occurredAt: '2026-03-02T01:00:00Z', affectedParty: '住户', measures: '熔接' },
};

describe('complaint-events (POST /complaints/{id}/events)', () => {
  it('applies an event once: saves the complaint, the EVID marker and audit lines, answers the view', async () => {
    const res = await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' });

    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.applied).toEqual({
      eventId: 'ev-1',
      type: 'acknowledged',
      appliedAt: new Date(epochAt(5)).toISOString(),
      duplicate: false,
    });
    expect(body.complaint.points.acknowledged).toBe(new Date(epochAt(5)).toISOString());
    expect(stored().complaint.version).toBe(3);
    expect(await app.store.getEventMarker(id, 'ev-1')).toMatchObject({ eventId: 'ev-1', type: 'acknowledged' });
    expect(body.complaint.history.map((h: { type: string }) => h.type)).toContain('acknowledged');
    // The milestone (acknowledged + dispatched) is not met yet: the workflow is not told.
    expect(app.workflow.successes).toHaveLength(0);
  });

  it('records the signed IAM principal beside the typed actor on every audit line of the event (H-37)', async () => {
    await post({ eventId: 'ev-1', actor: 'somebody-else', type: 'acknowledged' });

    const lines = await app.store.history(id);
    const ofEvent = lines.filter((item) => item.at === new Date(epochAt(5)).toISOString());
    expect(ofEvent.length).toBeGreaterThan(0);
    for (const line of ofEvent) expect((line.detail as Record<string, unknown>).signedBy, String(line.type)).toBe(SIGNED_CALLER);
    expect(ofEvent.find((line) => line.type === 'acknowledged')).toMatchObject({ actor: 'somebody-else' });
  });

  it('fails with 403 and writes nothing when the request carries no verified principal', async () => {
    const res = await handler(
      apiEvent({
        body: JSON.stringify({ eventId: 'ev-1', actor: 'a', type: 'acknowledged' }),
        headers: { 'content-type': 'application/json' },
        pathParameters: { id },
        requestTimeEpoch: epochAt(5),
        userArn: null,
      }),
    );
    expect(res.statusCode).toBe(403);
    expect(app.store.calls).toHaveLength(0);
  });

  it('answers a second delivery of the same eventId with the first result, applied once', async () => {
    await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' }, 5);
    const again = await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' }, 9);

    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).applied).toMatchObject({
      eventId: 'ev-1',
      appliedAt: new Date(epochAt(5)).toISOString(),
      duplicate: true,
    });
    expect(stored().complaint.version).toBe(3);
    expect(saves()).toHaveLength(1);
  });

  it('tells the waiting milestone with SendTaskSuccess { milestone, nextDueAt } when the event meets it', async () => {
    await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' }, 5);
    const res = await post({ eventId: 'ev-2', actor: 'agent-7', type: 'dispatched', owner: 'wang', team: 'network-operations' }, 6);

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).complaint.milestone).toBe('investigation');
    expect(app.workflow.successes).toEqual([
      { taskToken: 'token-first-contact', output: { milestone: 'first-contact', nextDueAt: stored().nextDueAt } },
    ]);
  });

  it('fails with 409 naming what the complaint waits for when the event does not fit, and writes nothing', async () => {
    const res = await post(investigated);

    expect(res.statusCode).toBe(409);
    const body = JSON.parse(res.body);
    expect(body.expected).toEqual(expect.arrayContaining(['acknowledged', 'dispatched']));
    expect(saves()).toHaveLength(0);
    expect(stored().complaint.version).toBe(complaint.version);
    expect(await app.store.getEventMarker(id, 'ev-inv')).toBeUndefined();
  });

  it('H-36: records an improvement measure on a closed complaint with who and what, in the quality data of its day', async () => {
    app.store.seed({
      ...complaint,
      status: 'closed',
      milestone: undefined,
      points: { ...complaint.points, closed: new Date(epochAt(1)).toISOString() },
    });
    const res = await post({ eventId: 'ev-imp', actor: 'qa.lead', type: 'improvement', measure: '割接前短信通知', category: 'notice' }, 60);
    expect(res.statusCode).toBe(200);
    const at = new Date(epochAt(60)).toISOString();
    expect(JSON.parse(res.body).complaint.history.at(-1)).toMatchObject({
      type: 'improvement',
      actor: 'qa.lead',
      detail: { measure: '割接前短信通知', category: 'notice' },
    });
    // 2026-03-02 11:00 in Shanghai.
    expect((await app.store.readQuality('2026-03-02', '2026-03-02')).improvements).toEqual([
      { at, actor: 'qa.lead', measure: '割接前短信通知', category: 'notice', complaintId: id },
    ]);
    expect(await app.store.getEventMarker(id, 'ev-imp')).toBeDefined();
  });

  it('fails with 400 naming the fields of an invalid event, including unknown ones', async () => {
    const res = await post({ eventId: 'bad id!', actor: '', type: 'dispatched', team: 'sales', extra: 1 });
    expect(res.statusCode).toBe(400);
    const paths = JSON.parse(res.body).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['eventId', 'actor', 'owner', 'team', 'extra']));
    expect(app.store.calls).toHaveLength(0);
  });

  it('fails with 404 for an unknown complaint', async () => {
    const res = await handler(
      apiEvent({
        body: JSON.stringify({ eventId: 'e', actor: 'a', type: 'acknowledged' }),
        headers: { 'content-type': 'application/json' },
        pathParameters: { id: 'c-doesnotexist0000000000000' },
        requestTimeEpoch: epochAt(1),
      }),
    );
    expect(res.statusCode).toBe(404);
  });

  it('retries the load-apply-save when another writer saved in between (version conflict)', async () => {
    // Another writer (the workflow storing its token) saves between this load and this save.
    app.store.beforeNext('save', async () => {
      expect(await app.store.storeWaitToken(id, 'first-contact', ['acknowledged'], 'token-rearmed')).toEqual({ stored: true });
    });
    const res = await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' });
    expect(res.statusCode).toBe(200);
    expect(saves()).toHaveLength(2);
    expect(stored().complaint.version).toBe(complaint.version + 2);
    expect(stored().complaint.points.acknowledged).toBeDefined();
    expect(stored().waitToken).toBe('token-rearmed');
  });

  it('re-arms the waiting state with SendTaskFailure ClocksChanged on pause and on resume (its clock step sends the notice, H-31)', async () => {
    await post({ eventId: 'ev-p', actor: 'agent-7', type: 'paused', reason: '等待客户提供信息' }, 5);
    // The re-armed waiting state stores its new token (await-milestone).
    expect(await app.store.storeWaitToken(id, 'first-contact', ['acknowledged'], 'token-rearmed')).toEqual({ stored: true });
    const res = await post({ eventId: 'ev-r', actor: 'agent-7', type: 'resumed' }, 65);
    expect(res.statusCode).toBe(200);
    expect(app.workflow.failures.map((f) => [f.taskToken, f.error])).toEqual([
      ['token-first-contact', 'ClocksChanged'],
      ['token-rearmed', 'ClocksChanged'],
    ]);
  });

  it('applies reclassified (H-21, H-23): corrected classification and clocks, the waiting state re-armed with ClocksChanged', async () => {
    const res = await post({ eventId: 'ev-rc', actor: 'lead.zhao', type: 'reclassified', severity: 'urgent', reason: '无法拨打120' }, 30);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.complaint.classification).toMatchObject({ severity: 'urgent', type: 'urgent', management: true });
    expect(body.complaint.clocks.map((k: { id: string }) => k.id)).toContain('H-06');
    expect(body.complaint.history.find((h: { type: string }) => h.type === 'reclassified')).toMatchObject({
      actor: 'lead.zhao',
      detail: { before: { severity: 'general' }, after: { severity: 'urgent' } },
    });
    expect(app.workflow.failures).toEqual([expect.objectContaining({ taskToken: 'token-first-contact', error: 'ClocksChanged' })]);
  });

  it('fails with 400 naming severity when reclassified corrects nothing', async () => {
    const res = await post({ eventId: 'ev-rc', actor: 'lead.zhao', type: 'reclassified', reason: 'x' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors.map((e: { path: string }) => e.path)).toContain('severity');
  });

  it('treats a stale task token (TaskTimedOut) as done: 200, nothing queued', async () => {
    app.workflow.endTask('token-first-contact');
    await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' }, 5);
    const res = await post({ eventId: 'ev-2', actor: 'agent-7', type: 'dispatched', owner: 'wang', team: 'network-operations' }, 6);
    expect(res.statusCode).toBe(200);
    expect(app.workflow.successes).toHaveLength(0);
    expect(app.deadLetters.letters).toHaveLength(0);
  });

  it('fails over to the dead-letter queue when SendTaskSuccess fails, still answering 200 (the event is applied)', async () => {
    app.workflow.failNext('succeed', named('ServiceUnavailable'));
    await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' }, 5);
    const res = await post({ eventId: 'ev-2', actor: 'agent-7', type: 'dispatched', owner: 'wang', team: 'network-operations' }, 6);
    expect(res.statusCode).toBe(200);
    expect(app.deadLetters.letters).toEqual([
      { op: 'send-task-success', complaintId: id, milestone: 'first-contact', error: 'ServiceUnavailable' },
    ]);
  });

  it('fails with 503 when the callback and the dead-letter queue both fail; the retry of the same eventId calls back again', async () => {
    app.workflow.failNext('succeed', named('ServiceUnavailable'));
    app.deadLetters.failNext(named('ServiceUnavailable'));
    await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' }, 5);
    const res = await post({ eventId: 'ev-2', actor: 'agent-7', type: 'dispatched', owner: 'wang', team: 'network-operations' }, 6);
    expect(res.statusCode).toBe(503);

    const retry = await post({ eventId: 'ev-2', actor: 'agent-7', type: 'dispatched', owner: 'wang', team: 'network-operations' }, 7);
    expect(retry.statusCode).toBe(200);
    expect(JSON.parse(retry.body).applied.duplicate).toBe(true);
    expect(app.workflow.successes.map((s) => s.taskToken)).toEqual(['token-first-contact']);
  });

  it('never returns the task token or unmasked contacts', async () => {
    const res = await post({ eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' });
    expect(res.body).not.toContain('token-first-contact');
    expect(res.body).not.toContain('13812345678');
    expect(res.body).not.toContain('li.lei@example.com');
  });
});

describe('GET /complaints/{id}/links/{kind}: a customer link for an SMS gateway (12.8)', () => {
  const surveying = surveyingComplaint('c-test0000000000000000000021');
  const get = (kind: string, minutes: number, complaintId = surveying.id) =>
    handler(
      apiEvent({
        method: 'GET',
        pathParameters: { id: complaintId, kind },
        path: `/complaints/${complaintId}/links/${kind}`,
        requestTimeEpoch: epochAt(minutes),
      }),
    );

  it('answers a fresh single-use survey link that lives a day at most, stored hashed, not cached', async () => {
    app.store.seed(surveying);
    const res = await get('survey', 60);
    expect(res.statusCode).toBe(200);
    expect(res.headers!['Cache-Control']).toBe('no-store');
    const body = JSON.parse(res.body) as { url: string; expiresAt: string; kind: string };
    expect(body.kind).toBe('survey');
    const token = /^https:\/\/api\.example\.com\/prod\/survey\/((?:c-[A-Za-z0-9-]+_)?[A-Za-z0-9_-]{43})$/.exec(body.url)![1]!;
    expect(await app.store.getLink(sha256Hex(token))).toMatchObject({
      purpose: 'survey',
      complaintId: surveying.id,
      expiresAt: body.expiresAt,
    });
    expect(Date.parse(body.expiresAt) - epochAt(60)).toBe(24 * 3_600_000);
    const again = JSON.parse((await get('survey', 61)).body) as { url: string };
    expect(again.url).not.toBe(body.url);
  });

  it('fails with 409 when the survey is not open, 404 for an unknown kind or complaint', async () => {
    expect((await get('survey', 60, id)).statusCode).toBe(409);
    app.store.seed(surveying);
    expect((await get('ack', 60)).statusCode).toBe(404);
    expect((await get('survey', 60, 'c-missing000000000000000000')).statusCode).toBe(404);
  });
});
