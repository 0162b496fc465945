/**
 * What the customer is told (H-13, H-31) and what happens when their email is refused (12.1), on
 * the local engine with a virtual clock: emails are counted from the local SES per notice and
 * language, and the local SES's sandbox mode refuses unverified recipients as SES does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffAddresses } from '../../local/local-stack';
import { unionEnvironment } from '../../local/stack/template';
import { attribution, type Complaint, type Harness, HOUR, MINUTE, runsOf, startHarness } from './harness';

const SUPERVISOR = 'network-operations-supervisor@example.com';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

const opinion = {
  opinion: '光交箱板卡故障 / a faulty line card in the cabinet',
  measures: '更换板卡并观察三晚 / replace the card, watch three evenings',
  timetable: '今天 18:00 前更换 / replaced today by 18:00',
  followUpOwner: 'li.wei',
};

async function toHandlingOpinion(c: Complaint): Promise<void> {
  expect((await c.event('dispatched', { owner: 'li.wei', team: 'network-operations' })).status).toBe(200);
  expect((await c.event('acknowledged')).status).toBe(200);
  await h.advance(HOUR);
  expect((await c.event('investigated', { attribution })).status).toBe(200);
}

const toCustomer = async (c: Complaint) => (await c.emails()).filter((m) => m.destination.to.every((a) => a.endsWith('@example.net')));
const sentAt = (c: Complaint, at: number) => at * 1000 - c.receivedAt;

describe('H-13: the initial handling result reaches the complainant', () => {
  it('fails on responded without measures or timetable, naming the field (400)', async () => {
    const c = await h.intake();
    await toHandlingOpinion(c);
    const res = await c.event('responded', { opinion: opinion.opinion, timetable: opinion.timetable });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('measures');
  });

  it('sends opinion, measures, timetable and follow-up owner in English to an English complaint; H-13 stops then', async () => {
    const c = await h.intake({ language: 'en' });
    await toHandlingOpinion(c);
    await h.advance(2 * HOUR);
    expect((await c.event('responded', opinion)).status).toBe(200);

    expect(runsOf(await c.states(), 'SendResponseNotice')).toEqual([3 * HOUR]);
    const mails = await toCustomer(c);
    // The intake acknowledgment and the response notice, both in English only.
    expect(mails.map((m) => m.subject)).toEqual([
      `We have received your complaint (${c.id})`,
      `How we are handling your complaint (${c.id})`,
    ]);
    const notice = mails[1]!;
    expect(sentAt(c, notice.at)).toBe(3 * HOUR);
    for (const s of ['Measures: 更换板卡并观察三晚', 'Timetable: 今天 18:00 前更换', 'Followed up by: li.wei'])
      expect(notice.body.text).toContain(s);
    expect(notice.body.text).not.toContain('您好');

    const view = await c.view();
    const h13 = view.clocks.find((k: any) => k.id === 'H-13');
    expect(Date.parse(view.points['response-notified']) - c.receivedAt).toBe(3 * HOUR);
    expect(Date.parse(h13.metAt) - c.receivedAt).toBe(3 * HOUR);
    expect(view.history.map((e: any) => e.type)).toContain('response-notified');
    expect(view.milestone).toBe('resolution');
  });
});

describe('H-31: pause, resume and reopen notices, each once', () => {
  it('tells a Chinese complaint of each pause and each resume in Chinese, a second pause getting its own notice', async () => {
    const c = await h.intake();
    await h.advance(5 * MINUTE);
    expect((await c.event('paused', { reason: '等待用户在家' })).status).toBe(200);
    await h.advance(HOUR);
    expect((await c.event('resumed')).status).toBe(200);
    await h.advance(HOUR);
    expect((await c.event('paused', { reason: '等待用户提供账单' })).status).toBe(200);
    await h.advance(HOUR);

    const mails = await toCustomer(c);
    expect(mails.map((m) => [m.subject, sentAt(c, m.at)])).toEqual([
      [`您的投诉已受理（${c.id}）`, 0],
      [`您的投诉处理暂停，等待您的回复（${c.id}）`, 5 * MINUTE],
      [`您的投诉已继续处理（${c.id}）`, 5 * MINUTE + HOUR],
      [`您的投诉处理暂停，等待您的回复（${c.id}）`, 5 * MINUTE + 2 * HOUR],
    ]);
    expect(mails[1]!.body.text).toContain('等待用户在家');
    expect(mails[3]!.body.text).toContain('等待用户提供账单');
    for (const m of mails) expect(m.body.text).not.toContain('---- English ----');
    const view = await c.view();
    expect(view.history.filter((e: any) => e.type === 'notified').map((e: any) => e.detail.kind)).toEqual([
      'intake-acknowledgment',
      'pause-notice',
      'resume-notice',
      'pause-notice',
    ]);
  });
});

describe('12.1: a customer address SES refuses never fails the complaint', () => {
  it('records the refusal, publishes it for an SMS gateway, and the loop goes on (staff still get mail)', async () => {
    // A new account: SES in its sandbox, only the staff contacts verified.
    h.stack.ses.setSandbox({ verified: staffAddresses(unionEnvironment(h.stack.app.functions).env.CONTACTS) });
    try {
      const c = await h.intake();
      await h.advance(21 * MINUTE);
      expect(await c.status()).toBe('RUNNING');
      const states = (await c.states()).map((s) => s.name);
      expect(states).toContain('AwaitFirstContact');
      expect(states).not.toContain('EscalateFailure');
      expect(await toCustomer(c)).toEqual([]);
      // The supervisor's escalation at 20 minutes still goes out.
      expect((await c.emails()).some((m) => m.destination.to.includes(SUPERVISOR) && m.subject.includes('Escalation level 1'))).toBe(true);

      const view = await c.view();
      expect(view.customer.emailUndeliverable).toMatchObject({ notice: 'intake-acknowledgment', reason: 'MessageRejected' });
      expect(view.history).toContainEqual(
        expect.objectContaining({
          type: 'email-rejected',
          detail: { kind: 'intake-acknowledgment', audience: 'customer', reason: 'MessageRejected' },
        }),
      );
      const event = h.stack.awsLite
        .events()
        .find((e) => (e.detail as any).complaintId === c.id && (e.detail as any).kind === 'intake-acknowledgment');
      expect(event?.detail).toMatchObject({ audience: 'customer', emailed: false, emailRejected: true });

      // Handling goes on as usual.
      await toHandlingOpinion(c);
      expect((await c.event('responded', opinion)).status).toBe(200);
      expect(runsOf(await c.states(), 'SendResponseNotice')).toHaveLength(1);
      expect((await c.view()).points['response-notified']).toBeDefined();
    } finally {
      h.stack.ses.setSandbox(undefined);
    }
  });
});
