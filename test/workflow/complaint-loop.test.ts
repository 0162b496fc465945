/**
 * The synthesized state machine on the local engine with a virtual clock, DynamoDB Local, local SES
 * and the real handlers: which states ran, at which virtual time, and who was told.
 * Wait-for-callback semantics: https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 * Task timeouts raise States.Timeout: https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attribution,
  type Complaint,
  complaintBody,
  type Harness,
  HOUR,
  linkIn,
  MINUTE,
  resolution,
  runsOf,
  startHarness,
} from './harness';

const SUPERVISOR = 'network-operations-supervisor@example.com';
const MANAGEMENT = 'network-operations-management@example.com';

// complaintBody() gives customers addresses at example.net; staff are at example.com.
const isCustomer = (address: string) => address.endsWith('@example.net');

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

async function toSurvey(c: Complaint): Promise<void> {
  expect((await c.event('dispatched', { owner: 'li.wei', team: 'network-operations' })).status).toBe(200);
  expect((await c.event('acknowledged')).status).toBe(200);
  await h.advance(HOUR);
  expect((await c.event('investigated', { attribution })).status).toBe(200);
  await h.advance(HOUR);
  expect(
    (
      await c.event('responded', {
        measures: '更换板卡 / replace the card',
        timetable: '今天 18:00 前 / today by 18:00',
        opinion: '今天更换板卡 / card replaced today',
        followUpOwner: 'li.wei',
      })
    ).status,
  ).toBe(200);
  await h.advance(HOUR);
  expect((await c.event('resolved', { resolution })).status).toBe(200);
}

/** The console's quality view for March 2026 (the harness's virtual month), as HTML. */
async function qualityPage(): Promise<string> {
  const res = await h.api('GET', '/console/quality?from=2026-03-01&to=2026-03-31');
  expect(res.status).toBe(200);
  return res.body as string;
}

async function answerSurvey(c: Complaint, solved: boolean): Promise<number> {
  const notice = (await c.emails()).find((m) => /投诉处理结果通知|result of your complaint/.test(m.subject));
  expect(notice, 'result notice').toBeDefined();
  const res = await fetch(linkIn(notice!, 'survey'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ solved: solved ? 'yes' : 'no', score: solved ? '5' : '2' }).toString(),
  });
  await h.stack.engine.settle();
  return res.status;
}

describe('the complaint loop on the local engine', () => {
  it('runs the happy path in order, on time, in 12 state transitions, telling nobody but the customer', async () => {
    const c = await h.intake();
    await h.advance(5 * MINUTE);
    await toSurvey(c);
    expect(await answerSurvey(c, true)).toBe(200);

    expect(await c.status()).toBe('SUCCEEDED');
    const states = await c.states();
    expect(states.map((s) => s.name)).toEqual([
      'ClassifyAndRegister',
      'NotifyIntake',
      'AwaitFirstContact',
      'AwaitInvestigation',
      'AwaitHandlingOpinion',
      'SendResponseNotice',
      'AwaitResolution',
      'SendResultNotice',
      'AwaitSurvey',
      'SurveyAnswered',
      'Close',
    ]);
    expect(runsOf(states, 'AwaitInvestigation')).toEqual([5 * MINUTE]);
    expect(runsOf(states, 'SendResultNotice')).toEqual([5 * MINUTE + 3 * HOUR]);
    expect(await c.transitions()).toBeLessThanOrEqual(20);

    const emails = await c.emails();
    expect(emails.every((m) => m.destination.to.every(isCustomer))).toBe(true);
    expect(emails.map((m) => m.subject).join('\n')).not.toMatch(/Escalation|Due soon/);
    const view = await c.view();
    expect(view.status).toBe('closed');
    expect(view.escalationLevel).toBe(0);
  });

  it('escalates a missing first response (H-01) to the supervisor at exactly 20 minutes, then to management', async () => {
    const c = await h.intake();
    await h.advance(41 * MINUTE);

    const clockRuns = runsOf(await c.states(), 'FirstContactClock');
    // H-05 warns at 11.25 min and escalates at 15 and 30; H-01 warns at 15, escalates at 20 and 40.
    expect(clockRuns).toEqual([11.25 * MINUTE, 15 * MINUTE, 20 * MINUTE, 30 * MINUTE, 40 * MINUTE]);

    const emails = await c.emails();
    const h01 = emails.filter((m) => m.subject.includes('H-01'));
    const warning = h01.find((m) => m.subject.includes('Due soon'));
    const level1 = h01.find((m) => m.subject.includes('Escalation level 1'));
    const level2 = h01.find((m) => m.subject.includes('Escalation level 2'));
    expect(warning!.at * 1000 - c.receivedAt).toBe(15 * MINUTE);
    expect(level1?.destination.to).toEqual([SUPERVISOR]);
    expect(level1!.at * 1000 - c.receivedAt).toBe(20 * MINUTE);
    expect(level2?.destination.to).toEqual([MANAGEMENT]);
    expect(level2!.at * 1000 - c.receivedAt).toBe(40 * MINUTE);
    // The supervisor's email says which clock, from which clause, and carries no customer phone number.
    expect(level1!.body.text).toContain('H-01');
    expect(level1!.body.text).not.toContain('13800138000');
    expect(level1!.body.text).not.toContain('138 0013 8000');

    const view = await c.view();
    expect(view.escalationLevel).toBe(2);
    expect(await c.status()).toBe('RUNNING');
  });

  it('does not escalate to management when the supervisor acknowledges in time', async () => {
    const c = await h.intake();
    await h.advance(20 * MINUTE);
    const level1 = (await c.emails()).find((m) => m.subject.includes('H-01') && m.subject.includes('Escalation level 1'))!;
    const ack = await fetch(linkIn(level1, 'ack'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Supervisor%20Wang',
    });
    expect(ack.status).toBe(200);
    await h.advance(25 * MINUTE);
    const subjects = (await c.emails()).map((m) => m.subject);
    expect(subjects.filter((s) => s.includes('H-01') && s.includes('Escalation level 2'))).toEqual([]);
  });

  it('warns the owner before a deadline, with the time left', async () => {
    const c = await h.intake();
    await h.advance(16 * MINUTE);
    const warning = (await c.emails()).find((m) => m.subject.includes('H-01') && m.subject.includes('Due soon'));
    expect(warning?.subject).toContain('5 min');
  });

  it('puts a major complaint on the 2-hour handling clock (H-06) and tells management at intake', async () => {
    const c = await h.intake({
      serviceType: 'network',
      description: '全市大面积断网，无法拨打 110 / city-wide outage, emergency calls fail',
    });
    const atIntake = await c.emails();
    expect(atIntake.some((m) => m.destination.to.includes(MANAGEMENT))).toBe(true);
    const view = await c.view();
    expect(['major', 'urgent']).toContain(view.classification.severity);
    const h06 = view.clocks.find((k: any) => k.id === 'H-06');
    expect(Date.parse(h06.deadline) - c.receivedAt).toBe(2 * HOUR);

    await c.event('dispatched', { owner: 'zhao.lei', team: 'network-operations' });
    await c.event('acknowledged');
    await c.event('investigated', { attribution });
    await h.advance(2 * HOUR + MINUTE);
    const h06Escalation = (await c.emails()).find((m) => m.subject.includes('H-06') && m.subject.includes('Escalation level 1'));
    expect(h06Escalation!.at * 1000 - c.receivedAt).toBe(2 * HOUR);
    expect(runsOf(await c.states(), 'HandlingOpinionClock')).toContain(2 * HOUR);
  });

  it("moves pausable deadlines by the paused time, never the regulator's 15 days", async () => {
    const c = await h.intake();
    await c.event('dispatched', { owner: 'li.wei', team: 'network-operations' });
    await c.event('acknowledged');
    const before = await c.view();
    const deadline = (v: any, id: string) => Date.parse(v.clocks.find((k: any) => k.id === id).deadline);

    await h.advance(HOUR);
    expect((await c.event('paused', { reason: '等待用户在家 / waiting for the customer to be home' })).status).toBe(200);
    await h.advance(3 * HOUR);
    expect((await c.event('resumed')).status).toBe(200);

    const after = await c.view();
    expect(deadline(after, 'H-12') - deadline(before, 'H-12')).toBe(3 * HOUR);
    expect(deadline(after, 'MIIT-15D')).toBe(deadline(before, 'MIIT-15D'));
    expect(after.clocks.find((k: any) => k.id === 'H-12').explanation).toMatch(/paus/i);
    // Resuming re-arms the wait at once so the moved deadlines are the ones kept.
    expect(runsOf(await c.states(), 'InvestigationClock')).toContain(4 * HOUR);
  });

  it('reopens a complaint the customer says is not solved (H-34), one escalation level up', async () => {
    const c = await h.intake();
    await toSurvey(c);
    expect(await answerSurvey(c, false)).toBe(200);

    const states = await c.states();
    expect(states.map((s) => s.name).slice(-4)).toEqual(['SurveyAnswered', 'Reopen', 'SendReopenNotice', 'AwaitHandlingOpinion']);
    // H-31: the customer hears that it is handled again, once, in the complaint's language (zh-CN).
    expect((await c.emails()).filter((m) => m.subject === `您的投诉已重新处理（${c.id}）`)).toHaveLength(1);
    const view = await c.view();
    expect(view.reopenCount).toBe(1);
    expect(view.escalationLevel).toBe(1);
    expect(view.milestone).toBe('handling-opinion');
    expect(await c.status()).toBe('RUNNING');
  });

  it("H-14 is the operator's time: a complaint resolved in hours whose survey nobody answers closes after 3 days, H-14 met, no staff told", async () => {
    const c = await h.intake();
    await toSurvey(c);
    await h.advance(4 * 24 * HOUR);
    expect(await c.status()).toBe('SUCCEEDED');
    const view = await c.view();
    const h14 = view.clocks.find((k: { id: string }) => k.id === 'H-14');
    expect(h14).toMatchObject({ status: 'met' });
    expect(h14.breachedAt).toBeUndefined();
    expect(view.survey).toMatchObject({ outcome: 'no-answer' });
    // The customer heard from the survey (reminder); no supervisor or manager was told anything.
    expect((await c.emails()).every((m) => m.destination.to.every(isCustomer))).toBe(true);
    // Cycle times: the operator's cycle ended with the written result, end to end ran to the close.
    expect(view.times.cycles).toHaveLength(1);
    expect(view.times.cycles[0].operatorMs).toBeLessThan(4 * HOUR);
    expect(view.times.endToEnd.elapsedMs).toBeGreaterThan(3 * 24 * HOUR);
  });

  it('H-34: a reopened cycle gets its own response and resolution deadlines, 48 h from the reopen', async () => {
    const c = await h.intake();
    await toSurvey(c);
    const reopenedAt = h.clock.now();
    expect(await answerSurvey(c, false)).toBe(200);
    const view = await c.view();
    const deadlineOf = (id: string) => Date.parse(view.clocks.find((k: { id: string }) => k.id === id).deadline);
    expect(deadlineOf('H-34') - reopenedAt).toBe(48 * HOUR);
    expect(deadlineOf('H-34-resolution') - reopenedAt).toBe(48 * HOUR);
    expect(view.times.cycles.map((k: { cycle: number; current: boolean }) => [k.cycle, k.current])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('H-36: archives a closed complaint in the quality view, with an improvement measure recorded after close', async () => {
    const c = await h.intake();
    await toSurvey(c);
    expect(await answerSurvey(c, true)).toBe(200);
    expect((await c.view()).status).toBe('closed');
    const before = await qualityPage();
    const measure = await c.event('improvement', { measure: '夜间割接提前一天短信通知', category: 'notice' });
    expect(measure.status).toBe(200);

    const page = await qualityPage();
    // The close added to the day's aggregate; the page reads aggregates, not complaints.
    expect(Number(/data-archived="(\d+)"/.exec(page)![1])).toBeGreaterThanOrEqual(1);
    expect(/data-archived="(\d+)"/.exec(page)![1]).toBe(/data-archived="(\d+)"/.exec(before)![1]);
    expect(page).toMatch(
      new RegExp(`<tr data-improvement="${c.id}">[\\s\\S]*?agent-007[\\s\\S]*?notice[\\s\\S]*?夜间割接提前一天短信通知`),
    );
    expect(page).toContain('data-metric="handling-response"');
  });

  it('fails on a lifecycle event that does not fit, naming what the complaint waits for', async () => {
    const c = await h.intake();
    const res = await c.event('resolved', { resolution });
    expect(res.status).toBe(409);
    expect(res.body.expected).toEqual(expect.arrayContaining(['acknowledged', 'dispatched']));
    expect(runsOf(await c.states(), 'AwaitInvestigation')).toEqual([]);
  });

  it('gives a duplicate intake the same complaint and one execution', async () => {
    const body = complaintBody();
    const first = await h.api('POST', '/complaints', body);
    const second = await h.api('POST', '/complaints', body);
    expect(first.status).toBe(202);
    expect(second).toEqual(first);
    const runs: any = await h.stack.engine.listExecutions({ stateMachineArn: h.stack.stateMachineArn, maxResults: 1000 });
    expect(runs.executions.filter((e: any) => e.name === first.body.complaintId)).toHaveLength(1);
  });

  it('fails a reused request id with a different body, starting nothing', async () => {
    const body = complaintBody();
    const first = await h.api('POST', '/complaints', body);
    const second = await h.api('POST', '/complaints', { ...body, description: 'something else' });
    expect(second.status).toBe(409);
    const runs: any = await h.stack.engine.listExecutions({ stateMachineArn: h.stack.stateMachineArn, maxResults: 1000 });
    expect(runs.executions.filter((e: any) => e.name === first.body.complaintId)).toHaveLength(1);
  });
});

describe('a sweep over generated complaints', () => {
  it('ends every complaint closed or escalated to a person', async () => {
    // Each plan: how far the handlers get (0 = nothing, 4 = resolved, 5 = solved, 6 = not solved),
    // the minutes between their steps, and whether they pause on the way and never resume.
    const plans = fc.sample(
      fc.record({
        reach: fc.integer({ min: 0, max: 6 }),
        gaps: fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 6, maxLength: 6 }),
        pauseForever: fc.boolean(),
        serviceType: fc.constantFrom('network', 'data', 'device', 'information-security'),
        channel: fc.constantFrom('phone', 'online', 'on-site', 'third-party-platform'),
      }),
      { numRuns: 30, seed: 20261128 },
    );
    const complaints = await Promise.all(plans.map((p) => h.intake({ serviceType: p.serviceType, channel: p.channel })));
    const start = h.clock.now();

    type Step = { at: number; run: () => Promise<unknown> };
    const steps: Step[] = [];
    plans.forEach((plan, i) => {
      const c = complaints[i]!;
      const team = plan.serviceType === 'network' || plan.serviceType === 'data' ? 'network-operations' : 'customer-service';
      const actions: Array<() => Promise<unknown>> = [
        async () => {
          await c.event('dispatched', { owner: `owner-${i}`, team });
          await c.event('acknowledged');
        },
        () => c.event('investigated', { attribution }),
        () =>
          c.event('responded', {
            measures: '更换板卡 / replace the card',
            timetable: '今天 18:00 前 / today by 18:00',
            opinion: 'plan',
            followUpOwner: `owner-${i}`,
          }),
        () => c.event('resolved', { resolution }),
        () => answerSurvey(c, true),
        () => answerSurvey(c, false),
      ];
      let at = start;
      const todo = plan.reach === 6 ? [...actions.slice(0, 4), actions[5]!] : actions.slice(0, plan.reach);
      // A complaint paused for the customer who never comes back stops after first contact.
      if (plan.pauseForever && todo.length > 0)
        todo.splice(1, todo.length, () => c.event('paused', { reason: '客户出差 / customer away' }));
      todo.forEach((run, k) => {
        at += plan.gaps[k]! * MINUTE;
        steps.push({ at, run });
      });
    });
    steps.sort((a, b) => a.at - b.at);
    for (const step of steps) {
      if (step.at > h.clock.now()) await h.advance(step.at - h.clock.now());
      await step.run();
    }
    // Past the regulator's 15 days, which no pause stops.
    await h.advance(start + 16 * 24 * HOUR - h.clock.now());

    let closed = 0;
    let escalated = 0;
    for (const [i, c] of complaints.entries()) {
      const [status, view, emails] = await Promise.all([c.status(), c.view(), c.emails()]);
      const toPeople = emails.filter((m) => m.destination.to.some((to) => !isCustomer(to)));
      const plan = plans[i]!;
      const expectClosed = (plan.reach === 4 || plan.reach === 5) && !plan.pauseForever;
      if (status === 'SUCCEEDED') {
        expect(view.status, `complaint ${i}`).toBe('closed');
        closed += 1;
      } else {
        expect(status, `complaint ${i}`).toBe('RUNNING');
        expect(view.escalationLevel, `complaint ${i}`).toBeGreaterThanOrEqual(1);
        expect(
          toPeople.some((m) => /Escalation level/.test(m.subject)),
          `complaint ${i}`,
        ).toBe(true);
        escalated += 1;
      }
      expect(status === 'SUCCEEDED', `complaint ${i} (plan ${JSON.stringify(plans[i])})`).toBe(expectClosed);
    }
    expect(closed + escalated).toBe(plans.length);
  }, 300_000);
});
