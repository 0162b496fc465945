/**
 * Which event stops each handbook clock, and what keeps running when the loop fails: H-14/H-03,
 * H-06, H-34, MIIT Order No. 35, §4.1 channel limits, clocks from receipt. Expected instants are
 * written out, not computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { dueClockEvents, nextDueAt, SURVEY_CLOCK_ID, viewClocks } from '../../functions/domain/clocks';
import { complaintTimes } from '../../functions/domain/cycles';
import { EventNotAllowedError } from '../../functions/domain/errors';
import {
  answerSurvey,
  applyLifecycleEvent,
  expectedEvents,
  markFailed,
  markResponseNotified,
  markResultNotified,
  newComplaint,
  register,
  reopen,
} from '../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../functions/domain/lifecycle-events';
import { DEFAULT_SLA_POLICY as P, resolveSlaPolicy } from '../../functions/domain/sla-policy';
import type { Complaint } from '../../functions/domain/types';
import { after, DAY, HOUR, intake, MIN, registered } from './domain-fixtures';

const T0 = '2026-06-01T02:00:00.000Z'; // Monday 10:00 Asia/Shanghai
let seq = 0;
const ev = <T extends LifecycleEvent['type']>(type: T, extra: Record<string, unknown> = {}) =>
  ({ eventId: `f-${++seq}`, actor: 'agent-7', type, ...extra }) as Extract<LifecycleEvent, { type: T }>;
const apply = (c: Complaint, e: LifecycleEvent, at: string) => applyLifecycleEvent(c, e, at, P).complaint;
const viewClocksOf = (c: Complaint) => viewClocks(c, c.receivedAt, P);

const attribution = {
  description: '板卡故障',
  scope: '3 号楼',
  occurredAt: '2026-05-31T12:00:00.000Z',
  affectedParty: '本用户',
  measures: '更换板卡',
};
const resolution = { what: '信号恢复', how: '更换了基站板卡', followUp: '一周后回访' };

function toResolved(c: Complaint, resolvedAt = after(T0, 3 * MIN)): Complaint {
  c = apply(c, ev('acknowledged'), after(T0, MIN));
  c = apply(c, ev('dispatched', { owner: 'li.si', team: 'network-operations' }), after(T0, MIN));
  c = apply(c, ev('investigated', { attribution }), after(T0, 2 * MIN));
  c = apply(c, ev('responded', { opinion: '更换板卡', measures: '更换', timetable: '今日', followUpOwner: 'li.si' }), after(T0, 2 * MIN));
  c = markResponseNotified(c, after(T0, 2 * MIN), P).complaint;
  return apply(c, ev('resolved', { resolution }), resolvedAt);
}

describe("H-14 / H-03: the 72 h closed loop is the operator's time", () => {
  it('H-14 is met when the written result reaches the customer, and the survey wait never breaches or escalates it', () => {
    let c = toResolved(registered(T0));
    c = markResultNotified(c, after(T0, 4 * MIN), P).complaint;
    expect(c.clocks['H-14']).toMatchObject({ status: 'met', metAt: after(T0, 4 * MIN) });
    // Three days of unanswered survey: only the customer's reminder and the survey's close, nothing for staff.
    const kinds = (at: string) => dueClockEvents(c, at, P).map((e) => `${e.clockId}:${e.kind}`);
    expect(kinds(after(T0, 4 * MIN + 3 * DAY - 1))).toEqual([`${SURVEY_CLOCK_ID}:survey-reminder`]);
    expect(kinds(after(T0, 4 * MIN + 3 * DAY))).toEqual([`${SURVEY_CLOCK_ID}:survey-closed`]);
  });

  it('H-14 breaches when the written result is late, whatever the survey does', () => {
    let c = toResolved(registered(T0), after(T0, 80 * HOUR));
    c = markResultNotified(c, after(T0, 80 * HOUR), P).complaint;
    expect(c.clocks['H-14']!.breachedAt).toBe(after(T0, 72 * HOUR));
  });
});

describe('H-34: a "not solved" reopen starts the operator\'s obligations again', () => {
  const reopened = () => {
    let c = toResolved(registered(T0));
    c = markResultNotified(c, after(T0, 4 * MIN), P).complaint;
    c = answerSurvey(c, { solved: false }, after(T0, 10 * HOUR), P).complaint;
    return reopen(c, after(T0, 10 * HOUR), P).complaint;
  };

  it('the reopened cycle gets a response clock (H-34) and a resolution clock (H-34-resolution) of its own', () => {
    const c = reopened();
    expect(c.clocks['H-34']).toMatchObject({ status: 'running', startedAt: after(T0, 10 * HOUR), deadline: after(T0, 58 * HOUR) });
    expect(c.clocks['H-34-resolution']).toMatchObject({
      status: 'running',
      startedAt: after(T0, 10 * HOUR),
      deadline: after(T0, 58 * HOUR),
    });
    expect(nextDueAt(c, P)).toBe(after(T0, 10 * HOUR + 36 * HOUR)); // the 75 % warnings of both
  });

  it('keeps the first cycle and shows per-cycle and end-to-end times', () => {
    let c = reopened();
    c = apply(
      c,
      ev('responded', { opinion: '再次处理', measures: '换机', timetable: '明日', followUpOwner: 'li.si' }),
      after(T0, 12 * HOUR),
    );
    c = apply(c, ev('resolved', { resolution }), after(T0, 20 * HOUR));
    c = markResultNotified(c, after(T0, 20 * HOUR), P).complaint;
    expect(c.cycles).toEqual([
      { cycle: 1, startedAt: T0, respondedAt: after(T0, 2 * MIN), resolvedAt: after(T0, 3 * MIN), resultNotifiedAt: after(T0, 4 * MIN) },
    ]);
    const times = complaintTimes(c, after(T0, 30 * HOUR));
    expect(times.cycles.map((k) => [k.cycle, k.operatorMs, k.current])).toEqual([
      [1, 4 * MIN, false],
      [2, 10 * HOUR, true],
    ]);
    expect(times.endToEnd).toEqual({ from: T0, to: null, elapsedMs: 30 * HOUR });
  });
});

describe('H-06: a major problem is handled within 2 h', () => {
  const major = () => registered(T0, { severity: 'major', complexity: 'complex' });

  it('stops when service is restored, not at the handling opinion', () => {
    let c = major();
    c = apply(c, ev('acknowledged'), after(T0, MIN));
    c = apply(c, ev('dispatched', { owner: 'li.si', team: 'network-operations' }), after(T0, MIN));
    c = apply(c, ev('investigated', { attribution }), after(T0, 20 * MIN));
    c = apply(
      c,
      ev('responded', { opinion: '抢修中', measures: '更换光缆', timetable: '2 小时内', followUpOwner: 'li.si' }),
      after(T0, 30 * MIN),
    );
    expect(c.clocks['H-06']!.status).toBe('running');
    expect(expectedEvents(c)).toContain('service-restored');
    c = apply(c, ev('service-restored', { note: '光缆已熔接' }), after(T0, 90 * MIN));
    expect(c.clocks['H-06']).toMatchObject({ status: 'met', metAt: after(T0, 90 * MIN) });
    expect(c.points['service-restored']).toBe(after(T0, 90 * MIN));
    expect(expectedEvents(c)).not.toContain('service-restored');
  });

  it('stops at resolution when no separate restoration is reported', () => {
    const c = toResolved(major(), after(T0, 3 * HOUR));
    expect(c.clocks['H-06']).toMatchObject({ metAt: after(T0, 3 * HOUR), breachedAt: after(T0, 2 * HOUR) });
  });

  it('fails on a second service-restored', () => {
    const c = apply(major(), ev('service-restored'), after(T0, 10 * MIN));
    expect(() => apply(c, ev('service-restored'), after(T0, 20 * MIN))).toThrow(EventNotAllowedError);
  });
});

describe('MIIT Order No. 35: 15 days to reply', () => {
  it("stops when the operator's reply reaches the complainant, not at close", () => {
    let c = registered(T0);
    c = apply(c, ev('acknowledged'), after(T0, MIN));
    c = apply(c, ev('dispatched', { owner: 'li.si', team: 'network-operations' }), after(T0, MIN));
    c = apply(c, ev('investigated', { attribution }), after(T0, 2 * MIN));
    c = apply(c, ev('responded', { opinion: '更换板卡', measures: '更换', timetable: '今日', followUpOwner: 'li.si' }), after(T0, 3 * DAY));
    expect(c.clocks['MIIT-15D']!.status).toBe('running'); // an opinion nobody has told the customer is no reply
    c = markResponseNotified(c, after(T0, 3 * DAY + 5_000), P).complaint;
    expect(c.clocks['MIIT-15D']).toMatchObject({ status: 'met', metAt: after(T0, 3 * DAY + 5_000) });
  });

  it('a failed complaint keeps warning and escalating on MIIT-15D and H-14, and on nothing else', () => {
    const failed = markFailed(registered(T0), after(T0, HOUR), 'States.TaskFailed').complaint;
    const miit = (at: string) =>
      dueClockEvents(failed, at, P)
        .filter((e) => e.clockId === 'MIIT-15D')
        .map((e) => [e.kind, e.level ?? 0, e.dueAt]);
    expect([...new Set(dueClockEvents(failed, after(T0, 16 * DAY), P).map((e) => e.clockId))].sort()).toEqual(['H-14', 'MIIT-15D']);
    expect(miit(after(T0, 12 * DAY))).toEqual([
      ['warning', 0, after(T0, 7.5 * DAY)],
      ['warning', 0, after(T0, 12 * DAY)],
    ]);
    expect(miit(after(T0, 16 * DAY))).toEqual([
      ['warning-skipped', 0, after(T0, 7.5 * DAY)],
      ['warning-skipped', 0, after(T0, 12 * DAY)],
      ['escalation', 1, after(T0, 15 * DAY)],
      ['escalation', 2, after(T0, 16 * DAY)],
    ]);
    expect(nextDueAt(failed, P)).toBe(after(T0, 54 * HOUR)); // H-14's warning at 75 % of 72 h
  });
});

describe('clocks run from receipt (H-01, H-05, H-11)', () => {
  it('a complaint received 10 min before registration has 10 min of H-01 left', () => {
    const received = after(T0, -10 * MIN);
    const c = register(newComplaint(intake(), { id: 'c-rcpt0001', receivedAt: received, policyVersion: P.version }), T0, P).complaint;
    expect(c.clocks['H-01']).toMatchObject({ startedAt: received, deadline: after(T0, 10 * MIN) });
    expect(c.clocks['H-05']).toMatchObject({ startedAt: received, deadline: after(T0, 5 * MIN) });
    expect(c.clocks['H-12']!.startedAt).toBe(T0);
  });
});

describe('§4.1 response limits per channel', () => {
  it('an online complaint gets the online duration; a phone complaint keeps the default', () => {
    const policy = resolveSlaPolicy({ clocks: { 'H-01': { byChannel: { online: 'PT1H' } } } });
    const online = registered(T0, { input: { channel: 'online' }, policy });
    const phone = registered(T0, { input: { channel: 'phone' }, policy });
    expect(online.clocks['H-01']!.deadline).toBe(after(T0, HOUR));
    expect(online.clocks['H-01']!.explanation).toMatch(/online channel, §4\.1/);
    expect(phone.clocks['H-01']!.deadline).toBe(after(T0, 20 * MIN));
  });
});

describe('H-12 across the year end: provisional deadlines are shown as such', () => {
  it('a complaint registered on 2026-12-31 has a provisional H-12 (2027 has no official schedule yet) and the view says so', () => {
    const c = registered('2026-12-31T02:00:00.000Z'); // Thursday 10:00 in Shanghai; 2027-01-01 is 元旦
    const views = Object.fromEntries(viewClocksOf(c).map((v) => [v.id, v]));
    expect(views['H-12']).toMatchObject({ provisional: true, deadline: '2027-01-05T02:00:00.000Z' }); // Mon 4 and Tue 5 Jan counted
    expect(views['H-01']!.provisional).toBe(false);
  });
});
