import { beforeEach, describe, expect, it } from 'vitest';
import { clockTickHandler, notifyHandler } from '../../../functions/app/tasks/notify';
import { applyLifecycleEvent } from '../../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../../functions/domain/lifecycle-events';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import type { Complaint } from '../../../functions/domain/types';
import { CONTACT, minutesAfter, registeredComplaint, surveyingComplaint, T0 } from './fixtures';
import { inMemoryApp, named, sha256Hex } from './support';

let app: ReturnType<typeof inMemoryApp>;
let notify: ReturnType<typeof notifyHandler>;
let clockTick: ReturnType<typeof clockTickHandler>;

beforeEach(() => {
  app = inMemoryApp();
  notify = notifyHandler(app.notifyDeps);
  clockTick = clockTickHandler(app.notifyDeps);
});

const emails = () => app.mailbox.sent;
const toCustomer = () => app.mailbox.to('li.lei@example.com');
const events = () => app.events.published;
const stored = (id: string) => app.store.peek(id)!.complaint;
const linkOf = (token: string) => app.store.allLinks().get(sha256Hex(token));

describe('notify (workflow task)', () => {
  it('sends the intake acknowledgment once when the task is retried', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    const payload = { complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] };

    const first = await notify(payload);
    const second = await notify(payload);

    expect(emails()).toHaveLength(1);
    expect(emails()[0]!.to).toEqual(['li.lei@example.com']);
    expect(emails()[0]!.html).toContain('<html');
    expect(app.store.notification(c.id, 'intake-acknowledgment')).toMatchObject({ status: 'sent', messageIds: [emails()[0]!.messageId] });
    expect(second).toEqual(first);
  });

  it('publishes each notification as an event without personal data', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    await notify({ complaintId: c.id, now: T0, kinds: ['intake-acknowledgment', 'management-intake'] });

    const published = events();
    expect(published.map((e) => e.detail.kind)).toEqual(['intake-acknowledgment', 'management-intake']);
    expect(published[0]!.detailType).toBe('Complaint Notification');
    for (const e of published) {
      expect(JSON.stringify(e.detail)).not.toContain('13812345678');
      expect(JSON.stringify(e.detail)).not.toContain('li.lei@example.com');
    }
    // H-24: management at intake goes to the team's management contacts.
    expect(emails()[1]!.to).toEqual(['noc-mgmt@example.com']);
  });

  it('tells a phone-only customer through the event only (no email), once', async () => {
    const c = registeredComplaint('c-test0000000000000000000002', { phone: '13900001111' });
    app.store.seed(c);
    await notify({ complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] });
    await notify({ complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] });
    expect(emails()).toHaveLength(0);
    expect(events()).toHaveLength(1);
    const detail = events()[0]!.detail as { message: { text: string } };
    expect(detail).toMatchObject({ kind: 'intake-acknowledgment', audience: 'customer', emailed: false });
    expect(detail.message.text).toContain(c.id);
    expect(JSON.stringify(detail)).not.toContain('13900001111');
  });

  it('releases the claim when SES rejects, so the retry sends the email', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    app.mailbox.failNext(named('TooManyRequestsException'));
    const payload = { complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] };

    await expect(notify(payload)).rejects.toMatchObject({ name: 'TransientError' });
    await notify(payload);

    expect(app.mailbox.attempts).toHaveLength(2);
    expect(emails()).toHaveLength(1);
    expect(app.store.notification(c.id, 'intake-acknowledgment')).toMatchObject({ status: 'sent', messageIds: [emails()[0]!.messageId] });
  });

  it('does not email again when only the event failed: the retry publishes it', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    app.events.failNext(named('ThrottlingException', 'slow down'));
    const payload = { complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] };

    await expect(notify(payload)).rejects.toMatchObject({ name: 'TransientError' });
    await notify(payload);

    expect(emails()).toHaveLength(1);
    expect(events()).toHaveLength(1);
    expect(app.store.notification(c.id, 'intake-acknowledgment')).toMatchObject({ status: 'sent' });
  });

  it('fails with TransientError while another attempt holds a fresh claim (no second email)', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    // Another attempt claimed it a moment ago.
    expect(await app.store.claimNotification(c.id, 'intake-acknowledgment', Date.now(), 60_000)).toBe('claimed');
    await expect(notify({ complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] })).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect(emails()).toHaveLength(0);
  });

  it("'failure' goes to operations and the team's supervisors and marks the complaint failed", async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    const cause = JSON.stringify({ errorMessage: 'boom for 13812345678', errorType: 'Error', trace: ['at secret (file.ts:1)'] });
    const out = await notify({
      complaintId: c.id,
      now: minutesAfter(3),
      kinds: ['failure'],
      error: { Error: 'States.TaskFailed', Cause: cause },
    });

    // The loop stopped, but the closed-loop clock (H-14) still needs attention: its warning at 54 h.
    expect(out).toEqual({ nextDueAt: new Date(Date.parse(T0) + 54 * 3_600_000).toISOString() });
    expect(emails()[0]!.to).toEqual(['ops@example.com', 'noc-sup@example.com']);
    const text = emails()[0]!.text;
    expect(text).toContain('States.TaskFailed');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('file.ts');
    expect(stored(c.id).status).toBe('failed');
    // H-36: archived as failed in the quality data of its day, with its clocks as they stood.
    const quality = await app.store.readQuality('2026-03-02', '2026-03-02');
    expect(quality.counters).toMatchObject({ failed: 1, 'clock.H-01.pending': 1 });
    expect(quality.byTeam['network-operations']).toEqual({ closed: 0, failed: 1 });
  });

  it("'failure' of a complaint that cannot be read still reaches operations", async () => {
    await notify({ complaintId: 'c-missing000000000000000000', now: T0, kinds: ['failure'], error: { Error: 'ComplaintNotFoundError' } });
    expect(emails()[0]!.to).toEqual(['ops@example.com']);
  });

  it('fails with InvalidPayloadError on a payload outside the contract', async () => {
    await expect(notify({ complaintId: 'c-1', now: T0, kinds: ['sms-blast'] })).rejects.toMatchObject({ name: 'InvalidPayloadError' });
    expect(app.store.calls).toHaveLength(0);
  });

  it('fails with ComplaintNotFoundError (not retried) for an unknown complaint', async () => {
    await expect(notify({ complaintId: 'c-missing000000000000000000', now: T0, kinds: ['intake-acknowledgment'] })).rejects.toMatchObject({
      name: 'ComplaintNotFoundError',
    });
  });

  it('turns DynamoDB throttling into TransientError (the state machine retries it)', async () => {
    app.store.seed(registeredComplaint());
    app.store.failNext('get', named('ProvisionedThroughputExceededException'));
    await expect(notify({ complaintId: 'c-test0000000000000000000001', now: T0, kinds: ['intake-acknowledgment'] })).rejects.toMatchObject({
      name: 'TransientError',
    });
  });
});

/** Handled up to the handling opinion (milestone resolution), as the workflow finds it at SendResponseNotice. */
function respondedComplaint(id = 'c-test0000000000000000000007', language: 'zh-CN' | 'en' = 'zh-CN', contact = CONTACT): Complaint {
  let c: Complaint = { ...registeredComplaint(id, contact), language };
  const events = [
    { eventId: 'a', actor: 'x', type: 'acknowledged' },
    { eventId: 'b', actor: 'x', type: 'dispatched', owner: 'wang', team: 'network-operations' },
    {
      eventId: 'c',
      actor: 'x',
      type: 'investigated',
      attribution: { description: 'd', scope: 's', occurredAt: T0, affectedParty: 'a', measures: 'm' },
    },
    {
      eventId: 'd',
      actor: 'x',
      type: 'responded',
      opinion: '光交箱板卡故障',
      measures: '更换板卡 13812345678',
      timetable: '今天 18:00 前',
      followUpOwner: 'lead',
    },
  ] as const;
  events.forEach((e, i) => {
    c = applyLifecycleEvent(c, e as LifecycleEvent, minutesAfter(10 + i), DEFAULT_SLA_POLICY).complaint;
  });
  return { ...c, version: 7 };
}

const audit = async (id: string) => (await app.store.history(id)).map((e) => ({ type: e.type, detail: e.detail }));

describe('notify: the customer is kept informed (H-13, H-31)', () => {
  it('H-13: the response notice carries opinion, measures, timetable and follow-up owner, once, and stops H-13', async () => {
    const c = respondedComplaint();
    app.store.seed(c);
    const payload = { complaintId: c.id, now: minutesAfter(20), kinds: ['response-notice'] };
    await notify(payload);
    await notify(payload);
    expect(toCustomer()).toHaveLength(1);
    const text = toCustomer()[0]!.text;
    for (const s of ['光交箱板卡故障', '更换板卡 138****5678', '今天 18:00 前', 'lead', '处理措施', '时间安排']) expect(text).toContain(s);
    // A zh-CN complaint, with the default setting: Chinese only.
    expect(text).not.toContain('---- English ----');
    expect(stored(c.id).points['response-notified']).toBe(minutesAfter(20));
    expect((await audit(c.id)).map((a) => a.type)).toEqual(expect.arrayContaining(['notified', 'response-notified', 'clock-met']));
    expect(events()[0]!.detail).toMatchObject({ kind: 'response-notice', audience: 'customer', emailed: true });
  });

  it('an English complaint is answered in English', async () => {
    const c = respondedComplaint('c-test0000000000000000000008', 'en');
    app.store.seed(c);
    await notify({ complaintId: c.id, now: minutesAfter(20), kinds: ['response-notice'] });
    const mail = toCustomer()[0]!;
    expect(mail.subject).toBe(`How we are handling your complaint (${c.id})`);
    expect(mail.text).toContain('Measures: ');
    expect(mail.text).not.toContain('您好');
  });

  it('12.1: a refused customer address is recorded, published for an SMS gateway, and the loop goes on', async () => {
    const c = respondedComplaint('c-test0000000000000000000009');
    app.store.seed(c);
    app.mailbox.refuse('li.lei@example.com');
    const payload = { complaintId: c.id, now: minutesAfter(20), kinds: ['response-notice'] };
    const out = await notify(payload);
    expect(out).toHaveProperty('nextDueAt');
    // A retry does not try again.
    await notify(payload);
    expect(app.mailbox.attempts).toHaveLength(1);
    expect(emails()).toHaveLength(0);
    expect(stored(c.id).emailUndeliverable).toEqual({ at: minutesAfter(20), notice: 'response-notice', reason: 'MessageRejected' });
    expect(stored(c.id).points['response-notified']).toBe(minutesAfter(20));
    expect(await audit(c.id)).toContainEqual({
      type: 'email-rejected',
      detail: { kind: 'response-notice', audience: 'customer', reason: 'MessageRejected' },
    });
    const detail = events()[0]!.detail as { message: { text: string } };
    expect(detail).toMatchObject({ kind: 'response-notice', audience: 'customer', emailed: false, emailRejected: true });
    expect(detail.message.text).toContain('更换板卡');
    expect(JSON.stringify(detail)).not.toContain('li.lei@example.com');
  });

  it('12.1: a refused staff address alerts operations and the loop goes on', async () => {
    const c = registeredComplaint('c-test0000000000000000000010');
    app.store.seed(c);
    app.mailbox.refuse('noc-mgmt@example.com');
    await notify({ complaintId: c.id, now: T0, kinds: ['intake-acknowledgment', 'management-intake'] });
    const toOps = app.mailbox.to('ops@example.com');
    expect(toOps).toHaveLength(1);
    expect(toOps[0]!.subject).toContain(c.id);
    expect(toOps[0]!.text).toContain('n***@example.com');
    expect(toOps[0]!.text).not.toContain('noc-mgmt@example.com');
    expect(await audit(c.id)).toContainEqual({
      type: 'email-rejected',
      detail: { kind: 'management-intake', audience: 'management', reason: 'MessageRejected' },
    });
    expect(stored(c.id).emailUndeliverable).toBeUndefined();
  });

  it('12.6: fails with the SES error redacted when a send fails for another reason', async () => {
    const c = registeredComplaint('c-test0000000000000000000011');
    app.store.seed(c);
    app.mailbox.failNext(named('AccountSuspendedException', 'cannot send to li.lei@example.com'));
    const error = (await notify({ complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('AccountSuspendedException');
    expect(error.message).toContain('l***@example.com');
    expect(`${error.message}${error.stack}`).not.toContain('li.lei@example.com');
  });

  it('12.8: the result notice event names the link kind, never a token or URL', async () => {
    const c = surveyingComplaint('c-test0000000000000000000012');
    const resolved = { ...c, status: 'open' as const, points: { ...c.points, 'result-notified': undefined } };
    delete (resolved.points as Record<string, unknown>)['result-notified'];
    app.store.seed(resolved);
    await notify({ complaintId: c.id, now: minutesAfter(40), kinds: ['result-notice'] });
    expect(toCustomer()[0]!.text).toMatch(/\/survey\/[A-Za-z0-9_-]{43}/);
    expect(events()[0]!.detail).toMatchObject({ kind: 'result-notice', link: 'survey' });
    const detail = JSON.stringify(events()[0]!.detail);
    expect(detail).not.toMatch(/\/survey\/|https?:/);
  });
});

describe('clock-tick (workflow task)', () => {
  it('H-01: escalates to the supervisor at 20 minutes with a single-use ack link stored hashed, once per retry', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    const payload = { complaintId: c.id, now: minutesAfter(20), milestone: 'first-contact' };

    const first = (await clockTick(payload)) as { nextDueAt: string | null; expired: boolean };
    const sent = emails().length;
    await clockTick(payload);

    expect(emails()).toHaveLength(sent);
    const h01 = emails().find((e) => e.subject.includes('H-01'))!;
    expect(h01.to).toEqual(['noc-sup@example.com']);
    const text = h01.text;
    const token = /https:\/\/api\.example\.com\/prod\/ack\/((?:c-[A-Za-z0-9-]+_)?[A-Za-z0-9_-]{43})/.exec(text)![1]!;
    expect(linkOf(token)).toMatchObject({ purpose: 'ack', complaintId: c.id, clockId: 'H-01', level: 1, to: 'supervisor' });
    expect(JSON.stringify([...app.store.allLinks()])).not.toContain(token);
    expect(text).not.toContain('13812345678');

    expect(stored(c.id).escalationLevel).toBe(1);
    expect(first).toEqual({ nextDueAt: app.store.peek(c.id)!.nextDueAt, expired: false });
    expect(first.nextDueAt! > minutesAfter(20)).toBe(true);
  });

  it('sends nothing and answers the next due instant when nothing is due yet', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    const out = await clockTick({ complaintId: c.id, now: minutesAfter(1), milestone: 'first-contact' });
    expect(emails()).toHaveLength(0);
    expect(out).toMatchObject({ expired: false, nextDueAt: expect.any(String) });
  });

  it('survey: reminds the customer once with a fresh single-use link, then closes the survey unanswered (expired)', async () => {
    const c = surveyingComplaint();
    app.store.seed(c);
    const resultNotified = c.points['result-notified']!;
    const dayAfter = minutesAfter(24 * 60, resultNotified);
    const reminder = (await clockTick({ complaintId: c.id, now: dayAfter, milestone: 'survey' })) as { expired: boolean };
    await clockTick({ complaintId: c.id, now: dayAfter, milestone: 'survey' });
    expect(reminder.expired).toBe(false);
    expect(toCustomer()).toHaveLength(1);
    expect(toCustomer()[0]!.subject).toContain(c.id);
    const token = /\/survey\/((?:c-[A-Za-z0-9-]+_)?[A-Za-z0-9_-]{43})/.exec(toCustomer()[0]!.text)![1]!;
    expect(linkOf(token)).toMatchObject({ purpose: 'survey', complaintId: c.id });

    const closed = (await clockTick({ complaintId: c.id, now: minutesAfter(3 * 24 * 60, resultNotified), milestone: 'survey' })) as {
      expired: boolean;
    };
    expect(closed.expired).toBe(true);
    expect(stored(c.id).survey).toMatchObject({ outcome: 'no-answer' });
    // H-14's 72-hour closed loop is breached by then: that escalation goes to the supervisor, not the customer.
    expect(toCustomer()).toHaveLength(1);
  });

  it('H-31: sends the pending pause and resume notices once each and clears them', async () => {
    const c = registeredComplaint('c-test0000000000000000000013');
    const paused = applyLifecycleEvent(
      c,
      { eventId: 'p', actor: 'x', type: 'paused', reason: '等待客户提供地址' },
      minutesAfter(2),
      DEFAULT_SLA_POLICY,
    ).complaint;
    const resumed = applyLifecycleEvent(
      paused,
      { eventId: 'r', actor: 'x', type: 'resumed' },
      minutesAfter(60),
      DEFAULT_SLA_POLICY,
    ).complaint;
    app.store.seed({ ...resumed, version: 4 });
    await clockTick({ complaintId: c.id, now: minutesAfter(60), milestone: 'first-contact' });
    await clockTick({ complaintId: c.id, now: minutesAfter(61), milestone: 'first-contact' });
    const subjects = toCustomer().map((e) => e.subject);
    expect(subjects).toEqual([`您的投诉处理暂停，等待您的回复（${c.id}）`, `您的投诉已继续处理（${c.id}）`]);
    expect(toCustomer()[0]!.text).toContain('等待客户提供地址');
    expect(stored(c.id).pendingNotices).toBeUndefined();
    expect((await audit(c.id)).filter((a) => a.type === 'notified').map((a) => a.detail.kind)).toEqual(['pause-notice', 'resume-notice']);
  });

  it('survey: a tick after the close sends no reminder and reports expired', async () => {
    const c = surveyingComplaint();
    app.store.seed(c);
    const out = (await clockTick({
      complaintId: c.id,
      now: minutesAfter(4 * 24 * 60, c.points['result-notified']!),
      milestone: 'survey',
    })) as { expired: boolean };
    expect(out.expired).toBe(true);
    expect(toCustomer()).toHaveLength(0);
  });
});
