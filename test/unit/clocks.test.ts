import { describe, expect, it } from 'vitest';
import {
  acknowledgeEscalation,
  applyClockEvents,
  dueClockEvents,
  nextDueAt,
  pauseClocks,
  recordPoint,
  resumeClocks,
  SURVEY_CLOCK_ID,
  viewClocks,
  type ClockEvent,
} from '../../functions/domain/clocks';
import { EscalationNotFoundError, EventNotAllowedError } from '../../functions/domain/errors';
import type { Complaint } from '../../functions/domain/types';
import { DEFAULT_SLA_POLICY as P, resolveSlaPolicy } from '../../workflows/sla-policy';
import { after, DAY, deepFreeze, HOUR, MIN, registered } from './domain-fixtures';

const T0 = '2026-06-01T02:00:00.000Z'; // Monday 10:00 Asia/Shanghai, no holiday near

/** Runs the clock loop as the workflow does: wake at nextDueAt, send what is due, record it. */
function runUntil(c: Complaint, until: string, onEvent?: (e: ClockEvent, now: string) => void): { complaint: Complaint; sent: (ClockEvent & { now: string })[] } {
  const sent: (ClockEvent & { now: string })[] = [];
  for (let i = 0; i < 1000; i++) {
    const next = nextDueAt(c, P);
    if (next === null || next > until) break;
    const events = dueClockEvents(c, next, P);
    expect(events.length, `something must be due at ${next}`).toBeGreaterThan(0);
    for (const e of events) {
      sent.push({ ...e, now: next });
      onEvent?.(e, next);
    }
    c = applyClockEvents(c, events, next);
  }
  return { complaint: c, sent };
}

const only = (sent: (ClockEvent & { now: string })[], id: string) => sent.filter((e) => e.clockId === id).map((e) => ({ kind: e.kind, level: e.level, to: e.to, at: e.dueAt, now: e.now }));

describe('H-01 first response ladder', () => {
  it('warns at 15 min, escalates to the supervisor at 20 and to management at 40 when unacknowledged', () => {
    const { complaint, sent } = runUntil(registered(T0), after(T0, 2 * HOUR));
    expect(only(sent, 'H-01')).toEqual([
      { kind: 'warning', level: undefined, to: 'owner', at: after(T0, 15 * MIN), now: after(T0, 15 * MIN) },
      { kind: 'escalation', level: 1, to: 'supervisor', at: after(T0, 20 * MIN), now: after(T0, 20 * MIN) },
      { kind: 'escalation', level: 2, to: 'management', at: after(T0, 40 * MIN), now: after(T0, 40 * MIN) },
    ]);
    const h01 = complaint.clocks['H-01']!;
    expect(h01.status).toBe('breached');
    expect(h01.breachedAt).toBe(after(T0, 20 * MIN));
    expect(complaint.escalationLevel).toBe(2);
  });

  it('acknowledged at 25 min: no level 2', () => {
    let c = runUntil(registered(T0), after(T0, 20 * MIN)).complaint;
    expect(c.clocks['H-01']!.escalations).toHaveLength(1);
    c = acknowledgeEscalation(c, 'H-01', 1, after(T0, 25 * MIN), 'supervisor@example.com');
    expect(c.clocks['H-01']!.escalations[0]).toMatchObject({ level: 1, ackedAt: after(T0, 25 * MIN), ackedBy: 'supervisor@example.com' });
    const { sent } = runUntil(c, after(T0, 3 * HOUR));
    expect(only(sent, 'H-01')).toEqual([]);
    expect(dueClockEvents(c, after(T0, 3 * HOUR), P).filter((e) => e.clockId === 'H-01')).toEqual([]);
  });

  it('first response at 10 min: met, nothing sent for H-01', () => {
    const c = recordPoint(registered(T0), 'acknowledged', after(T0, 10 * MIN), P);
    expect(c.clocks['H-01']).toMatchObject({ status: 'met', metAt: after(T0, 10 * MIN) });
    expect(c.clocks['H-01']!.breachedAt).toBeUndefined();
    expect(only(runUntil(c, after(T0, 2 * HOUR)).sent, 'H-01')).toEqual([]);
  });

  it('H-01 met late is met-late, not met, and keeps breachedAt, whether or not the escalation was already sent', () => {
    const escalated = runUntil(registered(T0), after(T0, 21 * MIN)).complaint;
    const met = recordPoint(escalated, 'acknowledged', after(T0, 22 * MIN), P).clocks['H-01']!;
    expect(met).toMatchObject({ status: 'met-late', metAt: after(T0, 22 * MIN), breachedAt: after(T0, 20 * MIN) });
    const silent = recordPoint(registered(T0), 'acknowledged', after(T0, 22 * MIN), P).clocks['H-01']!;
    expect(silent).toMatchObject({ status: 'met-late', breachedAt: after(T0, 20 * MIN) });
  });

  it('a late tick catches up the whole ladder in one call, each at its own due time', () => {
    const events = dueClockEvents(registered(T0), after(T0, 45 * MIN), P).filter((e) => e.clockId === 'H-01');
    expect(events).toEqual([
      { clockId: 'H-01', kind: 'escalation', level: 1, to: 'supervisor', dueAt: after(T0, 20 * MIN) },
      { clockId: 'H-01', kind: 'escalation', level: 2, to: 'management', dueAt: after(T0, 40 * MIN) },
    ]);
    // The warning is not sent once its deadline has passed.
    expect(events.some((e) => e.kind === 'warning')).toBe(false);
  });
});

describe('dueClockEvents / applyClockEvents / nextDueAt', () => {
  it('nextDueAt is the earliest pending instant: H-05 warning at 11m15s comes first', () => {
    expect(nextDueAt(registered(T0), P)).toBe(after(T0, 11 * MIN + 15_000));
  });

  it('nextDueAt returns an overdue instant (the workflow fires at once) and null when nothing is left', () => {
    const c = registered(T0);
    expect(nextDueAt(c, P)! < after(T0, DAY)).toBe(true);
    expect(nextDueAt({ ...c, status: 'closed' }, P)).toBeNull();
    expect(dueClockEvents({ ...c, status: 'closed' }, after(T0, 30 * DAY), P)).toEqual([]);
  });

  it('nothing is due before its instant', () => {
    expect(dueClockEvents(registered(T0), after(T0, 11 * MIN), P)).toEqual([]);
  });

  it('recording is idempotent (a retried tick records nothing twice) and never mutates', () => {
    const c = deepFreeze(registered(T0));
    const now = after(T0, 21 * MIN);
    const events = dueClockEvents(c, now, P);
    const once = applyClockEvents(c, events, now);
    const twice = applyClockEvents(once, events, now);
    expect(twice).toEqual(once);
    expect(once.clocks['H-05']!.escalations).toHaveLength(1);
    expect(dueClockEvents(once, now, P)).toEqual([]);
  });

  it('fails to record an event that is not yet due', () => {
    const c = registered(T0);
    expect(() => applyClockEvents(c, [{ clockId: 'H-01', kind: 'escalation', level: 1, to: 'supervisor', dueAt: after(T0, 20 * MIN) }], after(T0, 5 * MIN))).toThrow(RangeError);
  });

  it('fails to acknowledge an escalation that was never sent', () => {
    expect(() => acknowledgeEscalation(registered(T0), 'H-01', 1, T0, 'x')).toThrow(EscalationNotFoundError);
  });

  it('acknowledging twice keeps the first acknowledgment', () => {
    let c = runUntil(registered(T0), after(T0, 20 * MIN)).complaint;
    c = acknowledgeEscalation(c, 'H-01', 1, after(T0, 21 * MIN), 'a');
    expect(acknowledgeEscalation(c, 'H-01', 1, after(T0, 22 * MIN), 'b')).toBe(c);
  });

  it('a custom ladder step after PT5M moves level 2 to 25 min', () => {
    const policy = resolveSlaPolicy({ clocks: { 'H-01': { escalation: [{ level: 1, to: 'supervisor' }, { level: 2, to: 'management', after: 'PT5M' }] } } });
    const c = registered(T0, { policy });
    const events = dueClockEvents(c, after(T0, 25 * MIN), policy).filter((e) => e.clockId === 'H-01');
    expect(events.map((e) => [e.level, e.dueAt])).toEqual([
      [1, after(T0, 20 * MIN)],
      [2, after(T0, 25 * MIN)],
    ]);
  });

  it('several warning thresholds are sent in order', () => {
    const policy = resolveSlaPolicy({ clocks: { 'H-01': { warnAt: [0.5, 0.75] } } });
    const c = registered(T0, { policy });
    const events = dueClockEvents(c, after(T0, 16 * MIN), policy).filter((e) => e.clockId === 'H-01');
    expect(events.map((e) => e.dueAt)).toEqual([after(T0, 10 * MIN), after(T0, 15 * MIN)]);
  });

  it('the working-day clock H-12 escalates on the working-day calendar, level 2 after two more working days', () => {
    const t = '2026-09-30T07:00:00.000Z'; // before the National Day week
    let c = registered(t);
    expect(c.clocks['H-12']!.deadline).toBe('2026-10-09T07:00:00.000Z');
    c = applyClockEvents(c, dueClockEvents(c, '2026-10-09T07:00:00.000Z', P), '2026-10-09T07:00:00.000Z');
    const level2 = dueClockEvents(c, '2026-10-12T07:00:00.000Z', P).find((e) => e.clockId === 'H-12');
    // Saturday 10 October is a make-up working day: 10 and 12 October counted.
    expect(level2).toMatchObject({ level: 2, to: 'management', dueAt: '2026-10-12T07:00:00.000Z' });
  });
});

describe('pause and resume', () => {
  const pauseAt = after(T0, 1 * HOUR);
  const resumeAt = after(T0, 4 * HOUR); // paused 3 h

  it('freezes pausable clocks only; the regulator clock and first-contact clocks keep running', () => {
    const c = pauseClocks(registered(T0), pauseAt, 'waiting for the customer to be home', P);
    expect(c.status).toBe('paused');
    expect(c.pause).toEqual({ since: pauseAt, reason: 'waiting for the customer to be home' });
    expect(c.clocks['H-02']!.status).toBe('paused');
    expect(c.clocks['H-12']!.status).toBe('paused');
    expect(c.clocks['H-14']!.status).toBe('paused');
    expect(c.clocks['MIIT-15D']!.status).toBe('running');
    expect(c.clocks['H-01']!.status).toBe('running');
  });

  it('resume shifts deadlines and unsent warnings of the paused clocks by the paused time, not the others', () => {
    const start = registered(T0);
    const c = resumeClocks(pauseClocks(start, pauseAt, 'customer away', P), resumeAt, P);
    expect(c.status).toBe('open');
    expect(c.pause).toBeUndefined();
    expect(c.pauses).toEqual([{ from: pauseAt, to: resumeAt, reason: 'customer away' }]);
    expect(c.clocks['H-02']!.deadline).toBe(after(T0, 48 * HOUR + 3 * HOUR));
    expect(c.clocks['H-02']!.warnAt).toEqual([after(T0, 36 * HOUR + 3 * HOUR)]);
    expect(c.clocks['H-02']!.pausedMs).toBe(3 * HOUR);
    expect(c.clocks['H-02']!.status).toBe('running');
    expect(c.clocks['H-02']!.explanation).toMatch(/paused 3 h/);
    expect(c.clocks['MIIT-15D']!.deadline).toBe(start.clocks['MIIT-15D']!.deadline);
    expect(c.clocks['MIIT-15D']!.pausedMs).toBe(0);
    expect(c.clocks['H-01']!.deadline).toBe(start.clocks['H-01']!.deadline);
  });

  it('no warning or escalation for a paused clock while paused; the never-pausing ones still fire', () => {
    const c = pauseClocks(registered(T0), pauseAt, 'x', P);
    const due = dueClockEvents(c, after(T0, 13 * DAY), P);
    const ids = new Set(due.map((e) => e.clockId));
    expect(ids.has('H-02')).toBe(false);
    expect(ids.has('H-14')).toBe(false);
    expect(ids.has('MIIT-15D')).toBe(true); // warnings at 7.5 and 12 days
  });

  it('a warning already sent stays where it was; the later ones move', () => {
    const policy = resolveSlaPolicy({ clocks: { 'H-02': { warnAt: [0.25, 0.75] } } });
    let c = registered(T0, { policy });
    const at12h = after(T0, 12 * HOUR);
    c = applyClockEvents(c, dueClockEvents(c, at12h, policy), at12h);
    expect(c.clocks['H-02']!.warningsSent).toEqual([at12h]);
    c = resumeClocks(pauseClocks(c, after(T0, 13 * HOUR), 'x', policy), after(T0, 15 * HOUR), policy);
    expect(c.clocks['H-02']!.warnAt).toEqual([at12h, after(T0, 38 * HOUR)]);
  });

  it('a pause after a breach moves the next escalation level by the paused time', () => {
    let c = registered(T0);
    c = recordPoint(recordPoint(c, 'acknowledged', after(T0, 5 * MIN), P), 'dispatched', after(T0, 5 * MIN), P);
    const at48 = after(T0, 48 * HOUR);
    c = applyClockEvents(c, dueClockEvents(c, at48, P), at48);
    expect(c.clocks['H-02']!.escalations.map((e) => e.level)).toEqual([1]);
    c = resumeClocks(pauseClocks(c, after(T0, 49 * HOUR), 'x', P), after(T0, 51 * HOUR), P);
    expect(c.clocks['H-02']!.status).toBe('breached');
    const level2 = dueClockEvents(c, after(T0, 100 * HOUR), P).find((e) => e.clockId === 'H-02' && e.level === 2);
    expect(level2!.dueAt).toBe(after(T0, 96 * HOUR + 2 * HOUR));
  });

  it('fails to pause twice or resume when not paused', () => {
    const c = pauseClocks(registered(T0), pauseAt, 'x', P);
    expect(() => pauseClocks(c, resumeAt, 'y', P)).toThrow(EventNotAllowedError);
    expect(() => resumeClocks(registered(T0), resumeAt, P)).toThrow(EventNotAllowedError);
  });
});

describe('severity-bound clocks (H-06) and the survey window (H-33)', () => {
  it('a major complaint runs the 2-hour clock; a general one does not', () => {
    expect(registered(T0, { severity: 'major' }).clocks['H-06']).toMatchObject({ deadline: after(T0, 2 * HOUR), status: 'running' });
    expect(registered(T0, { severity: 'urgent' }).clocks['H-06']).toBeDefined();
    expect(registered(T0, { severity: 'general' }).clocks['H-06']).toBeUndefined();
  });

  it('H-06 goes to management 30 min after an unacknowledged supervisor escalation', () => {
    const c = registered(T0, { severity: 'urgent' });
    const h06 = dueClockEvents(c, after(T0, 3 * HOUR), P).filter((e) => e.clockId === 'H-06');
    expect(h06.map((e) => [e.kind, e.level, e.to, e.dueAt])).toEqual([
      ['escalation', 1, 'supervisor', after(T0, 2 * HOUR)],
      ['escalation', 2, 'management', after(T0, 2.5 * HOUR)],
    ]);
  });

  it('the survey window reminds the customer after 1 day and closes after 3', () => {
    const tn = after(T0, 30 * HOUR);
    const c = recordPoint(registered(T0), 'result-notified', tn, P);
    expect(c.clocks[SURVEY_CLOCK_ID]).toMatchObject({ startedAt: tn, deadline: after(tn, 3 * DAY), warnAt: [after(tn, DAY)] });
    const events = dueClockEvents(c, after(tn, 3 * DAY), P).filter((e) => e.clockId === SURVEY_CLOCK_ID);
    expect(events).toEqual([{ clockId: SURVEY_CLOCK_ID, kind: 'survey-closed', to: 'customer', dueAt: after(tn, 3 * DAY) }]);
    const reminder = dueClockEvents(c, after(tn, DAY), P).filter((e) => e.clockId === SURVEY_CLOCK_ID);
    expect(reminder).toEqual([{ clockId: SURVEY_CLOCK_ID, kind: 'survey-reminder', to: 'customer', dueAt: after(tn, DAY) }]);
    const reminded = applyClockEvents(c, reminder, after(tn, DAY));
    expect(reminded.clocks[SURVEY_CLOCK_ID]!.warningsSent).toEqual([after(tn, DAY)]);
  });
});

describe('viewClocks', () => {
  it('shows remaining time, fraction used, and the explanation', () => {
    const views = viewClocks(registered(T0), after(T0, 10 * MIN), P);
    const h01 = views.find((v) => v.id === 'H-01')!;
    expect(h01).toMatchObject({ clause: '§1.2.2, §1.1', remainingMs: 10 * MIN, status: 'running', warned: false });
    expect(h01.elapsedFraction).toBeCloseTo(0.5);
    expect(h01.title.en).toBe('First response');
    expect(h01.explanation).toContain(P.version);
    expect(views.find((v) => v.id === 'H-11')!.remainingMs).toBeNull();
  });
});
