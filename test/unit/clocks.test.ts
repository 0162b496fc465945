import { describe, expect, it } from 'vitest';
import {
  acknowledgeEscalation,
  applyClockEvents,
  type ClockEvent,
  clockEventsAudit,
  dueClockEvents,
  endCappedPause,
  nextDueAt,
  pauseClocks,
  recordPoint,
  resumeClocks,
  SURVEY_CLOCK_ID,
  viewClocks,
} from '../../functions/domain/clocks';
import { EscalationNotFoundError, EventNotAllowedError } from '../../functions/domain/errors';
import { DEFAULT_SLA_POLICY as P, resolveSlaPolicy } from '../../functions/domain/sla-policy';
import type { Complaint } from '../../functions/domain/types';
import { after, DAY, deepFreeze, HOUR, MIN, registered } from './domain-fixtures';

const T0 = '2026-06-01T02:00:00.000Z'; // Monday 10:00 Asia/Shanghai, no holiday near

/** Runs the clock loop as the workflow does: wake at nextDueAt, send what is due, record it. */
function runUntil(
  c: Complaint,
  until: string,
  onEvent?: (e: ClockEvent, now: string) => void,
): { complaint: Complaint; sent: (ClockEvent & { now: string })[] } {
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

const only = (sent: (ClockEvent & { now: string })[], id: string) =>
  sent.filter((e) => e.clockId === id).map((e) => ({ kind: e.kind, level: e.level, to: e.to, at: e.dueAt, now: e.now }));

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
      // The warning is not sent once its deadline has passed, but it is recorded as skipped, not dropped.
      { clockId: 'H-01', kind: 'warning-skipped', to: 'owner', dueAt: after(T0, 15 * MIN) },
      { clockId: 'H-01', kind: 'escalation', level: 1, to: 'supervisor', dueAt: after(T0, 20 * MIN) },
      { clockId: 'H-01', kind: 'escalation', level: 2, to: 'management', dueAt: after(T0, 40 * MIN) },
    ]);
  });

  it('a warning whose tick comes late but before the deadline is still sent, and its audit line says how late', () => {
    const c = registered(T0);
    const at = after(T0, 18 * MIN); // the 75 % warning was due at 15 min
    const events = dueClockEvents(c, at, P).filter((e) => e.clockId === 'H-01');
    expect(events).toEqual([{ clockId: 'H-01', kind: 'warning', to: 'owner', dueAt: after(T0, 15 * MIN) }]);
    expect(clockEventsAudit(events, at)[0]!.detail).toMatchObject({ late: true, lateByMs: 3 * MIN });
  });

  it('a skipped warning is recorded once, with its reason, and never comes back', () => {
    const c = registered(T0);
    const at = after(T0, 21 * MIN);
    const events = dueClockEvents(c, at, P).filter((e) => e.clockId === 'H-01');
    const skipped = events.filter((e) => e.kind === 'warning-skipped');
    expect(clockEventsAudit(skipped, at)[0]).toMatchObject({
      type: 'clock-warning-skipped',
      detail: { reason: expect.stringMatching(/deadline had passed/), lateByMs: 6 * MIN },
    });
    const after21 = applyClockEvents(c, events, at);
    expect(after21.clocks['H-01']!.warningsSkipped).toEqual([after(T0, 15 * MIN)]);
    expect(after21.clocks['H-01']!.warningsSent).toEqual([]);
    expect(dueClockEvents(after21, after(T0, 22 * MIN), P).filter((e) => e.clockId === 'H-01')).toEqual([]);
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
    expect(() =>
      applyClockEvents(
        c,
        [{ clockId: 'H-01', kind: 'escalation', level: 1, to: 'supervisor', dueAt: after(T0, 20 * MIN) }],
        after(T0, 5 * MIN),
      ),
    ).toThrow(RangeError);
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
    const policy = resolveSlaPolicy({
      clocks: {
        'H-01': {
          escalation: [
            { level: 1, to: 'supervisor' },
            { level: 2, to: 'management', after: 'PT5M' },
          ],
        },
      },
    });
    const c = registered(T0, { policy });
    const events = dueClockEvents(c, after(T0, 25 * MIN), policy).filter((e) => e.clockId === 'H-01' && e.kind === 'escalation');
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
    const h06 = dueClockEvents(c, after(T0, 3 * HOUR), P).filter((e) => e.clockId === 'H-06' && e.kind !== 'warning-skipped');
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

describe('H-12 working-day clock: warnings, pauses and the provisional flag', () => {
  const SAT = '2026-06-06T02:00:00.000Z';
  const h12 = (c: Complaint) => c.clocks['H-12']!;

  it('H-12 places the 75 % warning at 75 % of the working time, never on a holiday', () => {
    // Wednesday 2026-09-30 15:00 CST: due Friday 9 October 15:00; 36 of 48 working hours run on 9 October 03:00.
    const c = registered('2026-09-30T07:00:00.000Z');
    expect(h12(c).deadline).toBe('2026-10-09T07:00:00.000Z');
    expect(h12(c).warnAt).toEqual(['2026-10-08T19:00:00.000Z']);
    expect(h12(c).provisional).toBeUndefined();
  });

  it('H-12 a pause over a weekend moves the working-day deadline by nothing; the wall-clock ones by the paused time', () => {
    const c = registered('2026-06-04T02:00:00.000Z'); // Thursday 10:00: due Monday 8 June 10:00
    expect(h12(c).deadline).toBe('2026-06-08T02:00:00.000Z');
    const r = resumeClocks(pauseClocks(c, SAT, 'customer away for the weekend', P), '2026-06-07T10:00:00.000Z', P); // Sat 10:00 → Sun 18:00
    expect(h12(r).deadline).toBe('2026-06-08T02:00:00.000Z');
    expect(h12(r).warnAt).toEqual(h12(c).warnAt);
    expect(h12(r).explanation).toContain('lost 0 min of working time (only non-working days), deadline stays 2026-06-08 10:00');
    expect(r.clocks['H-02']!.deadline).toBe(after(c.clocks['H-02']!.deadline, 32 * HOUR));
  });

  it('H-12 a pause from Monday 10:00 to Tuesday 10:00 moves it by one working day', () => {
    const c = registered(T0); // Monday 2026-06-01 10:00: due Wednesday 10:00
    const r = resumeClocks(pauseClocks(c, T0, 'x', P), after(T0, DAY), P);
    expect(h12(r).deadline).toBe('2026-06-04T02:00:00.000Z');
    expect(h12(r).warnAt).toEqual([after(h12(c).warnAt[0]!, DAY)]);
  });

  it('H-12 a working-day deadline never lands on a non-working day after a pause', () => {
    // Wednesday 2026-06-03 10:00: due Friday 10:00. 24 working hours lost → Monday 10:00, not Saturday.
    const c = registered('2026-06-03T02:00:00.000Z');
    const r = resumeClocks(pauseClocks(c, '2026-06-03T04:00:00.000Z', 'x', P), '2026-06-04T04:00:00.000Z', P);
    expect(h12(r).deadline).toBe('2026-06-08T02:00:00.000Z');
    // The warning (Thursday 22:00) moves by the same working day: Friday 22:00.
    expect(h12(r).warnAt).toEqual(['2026-06-05T14:00:00.000Z']);
  });

  it('H-12 a pause over the National Day week moves it by the working hours inside it only', () => {
    const c = registered('2026-09-30T07:00:00.000Z'); // due 9 October 15:00
    // Paused 30 September 23:00 → 8 October 00:00: 1 working hour lost (the rest is 国庆).
    const r = resumeClocks(pauseClocks(c, '2026-09-30T15:00:00.000Z', 'x', P), '2026-10-07T16:00:00.000Z', P);
    expect(h12(r).deadline).toBe('2026-10-09T08:00:00.000Z');
    expect(r.clocks['H-12']!.pausedMs).toBe(7 * DAY + HOUR);
  });

  it('H-12 a pause on the make-up Saturday 10 October 2026 counts that day as working time', () => {
    const c = registered('2026-10-09T02:00:00.000Z'); // Friday 10:00: Sat 10 (1), Mon 12 (2) → Monday 10:00
    expect(h12(c).deadline).toBe('2026-10-12T02:00:00.000Z');
    // Paused Saturday 09:00 → Sunday 09:00: 15 working hours lost (Sunday is not worked) → Monday 25:00 = Tuesday 01:00.
    const r = resumeClocks(pauseClocks(c, '2026-10-10T01:00:00.000Z', 'x', P), '2026-10-11T01:00:00.000Z', P);
    expect(h12(r).deadline).toBe('2026-10-12T17:00:00.000Z');
  });

  it('H-12 the next escalation level moves by the working time a pause took, not the wall time', () => {
    let c = registered(T0); // due Wednesday 3 June 10:00
    const due = h12(c).deadline;
    c = applyClockEvents(
      c,
      dueClockEvents(c, due, P).filter((e) => e.clockId === 'H-12'),
      due,
    );
    expect(h12(c).escalations.map((e) => e.level)).toEqual([1]);
    // Level 2 would be Friday 10:00. Paused Thursday 18:00 → Monday 09:00: 32 of 48 working hours had run; 16 remain → Tuesday 01:00.
    c = resumeClocks(pauseClocks(c, '2026-06-04T10:00:00.000Z', 'x', P), '2026-06-08T01:00:00.000Z', P);
    const level2 = dueClockEvents(c, '2026-06-09T00:00:00.000Z', P).find((e) => e.clockId === 'H-12' && e.level === 2);
    expect(level2?.dueAt).toBe('2026-06-08T17:00:00.000Z');
  });

  it('H-12 a deadline in 2027 (no official schedule) is provisional and skips the statutory days', () => {
    const c = registered('2027-02-04T02:00:00.000Z'); // Thursday before 除夕
    expect(h12(c)).toMatchObject({ deadline: '2027-02-10T02:00:00.000Z', provisional: true });
    expect(h12(c).explanation).toContain('PROVISIONAL');
    expect(c.clocks['H-02']!.provisional).toBeUndefined();
    // A 2026 start whose pause pushes the deadline into 2027 becomes provisional on resume.
    const late = registered('2026-12-28T02:00:00.000Z'); // Monday: due Wednesday 30 December
    expect(h12(late).provisional).toBeUndefined();
    const r = resumeClocks(pauseClocks(late, '2026-12-28T04:00:00.000Z', 'x', P), '2026-12-31T04:00:00.000Z', P);
    expect(h12(r)).toMatchObject({ deadline: '2027-01-05T02:00:00.000Z', provisional: true }); // 1 January skipped
  });
});

describe('pause record and cap', () => {
  const capped = resolveSlaPolicy({ pause: { maxTotal: 'PT2H' } });
  const pauseAt = after(T0, HOUR);

  it('records who paused and why, on the pause and in the history', () => {
    const p = pauseClocks(registered(T0), pauseAt, 'customer abroad', P, 'agent.li@example.com');
    expect(p.pause).toEqual({ since: pauseAt, reason: 'customer abroad', by: 'agent.li@example.com' });
    const r = resumeClocks(p, after(T0, 2 * HOUR), P);
    expect(r.pauses).toEqual([{ from: pauseAt, to: after(T0, 2 * HOUR), reason: 'customer abroad', by: 'agent.li@example.com' }]);
    expect(r.clocks['H-02']!.explanation).toContain('customer abroad, by agent.li@example.com');
  });

  it('without a cap nothing extra is due while paused', () => {
    expect(P.pause).toEqual({});
    const p = pauseClocks(registered(T0), pauseAt, 'x', P);
    expect(dueClockEvents(p, after(T0, 30 * DAY), P).filter((e) => e.kind === 'pause-cap-reached')).toEqual([]);
  });

  it('the cap running out during a pause is due for the clock tick, which makes the frozen clocks run again', () => {
    const c = registered(T0);
    const p = pauseClocks(c, pauseAt, 'x', capped, 'agent');
    const capEndsAt = after(T0, 3 * HOUR);
    expect(p.pause?.capEndsAt).toBe(capEndsAt);
    const due = dueClockEvents(p, capEndsAt, capped).filter((e) => e.kind === 'pause-cap-reached');
    expect(due.map((e) => e.clockId).sort()).toEqual(
      Object.values(p.clocks)
        .filter((s) => s.status === 'paused')
        .map((s) => s.id)
        .sort(),
    );
    expect(dueClockEvents(p, after(capEndsAt, -1), capped).some((e) => e.kind === 'pause-cap-reached')).toBe(false);
    const ran = endCappedPause(applyClockEvents(p, due, capEndsAt), capEndsAt, capped);
    expect(ran.status).toBe('paused');
    expect(ran.clocks['H-02']).toMatchObject({
      status: 'running',
      deadline: after(c.clocks['H-02']!.deadline, 2 * HOUR),
      pausedMs: 2 * HOUR,
    });
    expect(ran.clocks['H-02']!.explanation).toContain('pause cap PT2H was used up');
    expect(ran.clocks['H-12']!.deadline).toBe(after(c.clocks['H-12']!.deadline, 2 * HOUR)); // Monday working hours
    // Resuming later moves nothing again; the history keeps where the cap ended it.
    const r = resumeClocks(ran, after(T0, 10 * HOUR), capped);
    expect(r.clocks['H-02']!.deadline).toBe(ran.clocks['H-02']!.deadline);
    expect(r.pauses).toEqual([{ from: pauseAt, to: after(T0, 10 * HOUR), reason: 'x', by: 'agent', capEndsAt }]);
  });

  it('a resume after the cap ran out but before the tick credits only the cap', () => {
    const c = registered(T0);
    const r = resumeClocks(pauseClocks(c, pauseAt, 'x', capped), after(T0, 6 * HOUR), capped);
    expect(r.clocks['H-02']!.deadline).toBe(after(c.clocks['H-02']!.deadline, 2 * HOUR));
    expect(r.clocks['H-02']!.explanation).toMatch(/paused 2 h .*the pause cap PT2H used up before the resume/);
  });

  it('the cap counts all pauses: the second pause gets what is left, and with none left nothing freezes', () => {
    const c = registered(T0);
    let r = resumeClocks(pauseClocks(c, pauseAt, 'x', capped), after(T0, 2 * HOUR + 30 * MIN), capped); // 1 h 30 used
    r = pauseClocks(r, after(T0, 3 * HOUR), 'y', capped);
    expect(r.pause?.capEndsAt).toBe(after(T0, 3 * HOUR + 30 * MIN));
    r = resumeClocks(r, after(T0, 5 * HOUR), capped);
    expect(r.clocks['H-02']!.deadline).toBe(after(c.clocks['H-02']!.deadline, 2 * HOUR));
    const third = pauseClocks(r, after(T0, 6 * HOUR), 'z', capped);
    expect(Object.values(third.clocks).some((s) => s.status === 'paused')).toBe(false);
    expect(third.status).toBe('paused');
    expect(dueClockEvents(third, after(T0, 6 * HOUR), capped).some((e) => e.kind === 'pause-cap-reached')).toBe(false);
  });

  it('fails to accept a cap that is not an exact ISO duration', () => {
    expect(() => resolveSlaPolicy({ pause: { maxTotal: 'P1M' } })).toThrow(/pause\.maxTotal/);
  });
});
