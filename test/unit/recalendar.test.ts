import { describe, expect, it } from 'vitest';
import { applyClockEvents, dueClockEvents, pauseClocks, recordPoint, resumeClocks } from '../../functions/domain/clocks';
import { recalendarClocks } from '../../functions/domain/recalendar';
import { DEFAULT_SLA_POLICY as P, resolveSlaPolicy } from '../../functions/domain/sla-policy';
import type { Complaint } from '../../functions/domain/types';
import { deepFreeze, registered } from './domain-fixtures';

/** A hypothetical 2027 State Council schedule: 春节 5-11 February off, Saturday 13 February worked; Saturday 9 January worked. */
const NOTICE = 'State Council notice 2027 (example)';
const official = resolveSlaPolicy({
  calendarSupplement: {
    '2027': {
      source: NOTICE,
      holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
      workdays: ['2027-01-09', '2027-02-13'],
    },
  },
});
const h12 = (c: Complaint) => c.clocks['H-12']!;

describe('H-12 recalendar: an official schedule recomputes provisional working-day clocks', () => {
  it('H-12 the official bridge days move a provisional deadline later, with its warning; the explanation says why', () => {
    const c = deepFreeze(registered('2027-02-04T02:00:00.000Z')); // Thursday 10:00: provisional, due Wednesday 10 February
    expect(h12(c)).toMatchObject({ deadline: '2027-02-10T02:00:00.000Z', provisional: true });
    const now = '2027-02-05T00:00:00.000Z';
    const r = recalendarClocks(c, official, now);
    expect(r.changed).toBe(true);
    // 5-11 February off → Friday 12 (1), make-up Saturday 13 (2).
    expect(h12(r.complaint).deadline).toBe('2027-02-13T02:00:00.000Z');
    expect(h12(r.complaint).provisional).toBeUndefined();
    expect(h12(r.complaint).warnAt).toEqual(['2027-02-12T14:00:00.000Z']); // 36 working hours: Thursday 14 h + Friday 22 h
    expect(h12(r.complaint).explanation).toContain(
      `recalculated 2027-02-05 08:00: the official holiday schedule for 2027 (${NOTICE}) moved the deadline from 2027-02-10 10:00 to 2027-02-13 10:00`,
    );
    expect(h12(r.complaint).explanation).not.toContain('PROVISIONAL');
    expect(r.audit).toEqual([
      {
        at: now,
        type: 'clock-recalculated',
        actor: 'system',
        detail: {
          clockId: 'H-12',
          from: '2027-02-10T02:00:00.000Z',
          to: '2027-02-13T02:00:00.000Z',
          reason: `the official holiday schedule for 2027 (${NOTICE})`,
        },
      },
    ]);
    // Wall-clock clocks are not touched.
    expect(r.complaint.clocks['H-02']).toBe(c.clocks['H-02']);
  });

  it('H-12 an official make-up day moves it earlier; a deadline that has now passed escalates at the next tick', () => {
    const c = registered('2027-01-08T02:00:00.000Z'); // Friday 10:00: provisional, due Tuesday 12 January 10:00
    expect(h12(c).deadline).toBe('2027-01-12T02:00:00.000Z');
    const now = '2027-01-11T05:00:00.000Z'; // Monday 13:00
    const r = recalendarClocks(c, official, now);
    expect(h12(r.complaint).deadline).toBe('2027-01-11T02:00:00.000Z'); // Saturday 9 (1), Monday 11 (2)
    const due = dueClockEvents(r.complaint, now, official).filter((e) => e.clockId === 'H-12' && e.kind !== 'warning-skipped');
    expect(due).toEqual([{ clockId: 'H-12', kind: 'escalation', level: 1, to: 'supervisor', dueAt: '2027-01-11T02:00:00.000Z' }]);
  });

  it('H-12 replays the pauses on the official calendar (working time lost inside each pause)', () => {
    // Monday 1 February 10:00, paused Tuesday 10:00 → Thursday 11 February 10:00 (across 春节).
    let c = registered('2027-02-01T02:00:00.000Z');
    c = resumeClocks(pauseClocks(c, '2027-02-02T02:00:00.000Z', 'customer travelling', P), '2027-02-11T02:00:00.000Z', P);
    // Provisionally 24 working hours were left at the pause; the 11th was a working day: due Friday 12 February 10:00.
    expect(h12(c)).toMatchObject({ deadline: '2027-02-12T02:00:00.000Z', provisional: true });
    const r = recalendarClocks(c, official, '2027-02-11T03:00:00.000Z');
    // Officially the 11th is a holiday: the 24 hours are Friday 12 February, due at the make-up Saturday's 00:00.
    expect(h12(r.complaint).deadline).toBe('2027-02-12T16:00:00.000Z');
    expect(h12(r.complaint).explanation).toContain('paused 2027-02-02 10:00 → 2027-02-11 10:00: lost 2 d 14 h of working time');
  });

  it('H-12 a clock still frozen in a pause is recomputed without that pause (resume moves it later)', () => {
    const c = pauseClocks(registered('2027-02-04T02:00:00.000Z'), '2027-02-04T03:00:00.000Z', 'x', P);
    const r = recalendarClocks(c, official, '2027-02-04T04:00:00.000Z');
    expect(h12(r.complaint)).toMatchObject({ status: 'paused', deadline: '2027-02-13T02:00:00.000Z' });
    // Resuming on the official calendar: 4 February 11:00 → 12 February 10:00 held 23 working hours (13 on the 4th,
    // 10 on the 12th): Saturday 13 10:00 + 23 h = Saturday's 14 h, Sunday off, Monday 15 09:00.
    const resumed = resumeClocks(r.complaint, '2027-02-12T02:00:00.000Z', official);
    expect(h12(resumed).deadline).toBe('2027-02-15T01:00:00.000Z');
  });

  it('H-12 warnings already sent stay; a breach already escalated stands', () => {
    let c = registered('2027-01-08T02:00:00.000Z'); // due Tuesday 12 January 10:00 provisionally
    const warned = '2027-01-11T14:00:00.000Z'; // 36 working hours: Friday 14 h + Monday 22 h
    c = applyClockEvents(c, dueClockEvents(c, warned, P), warned);
    const late = '2027-01-12T03:00:00.000Z';
    c = applyClockEvents(c, dueClockEvents(c, late, P), late);
    expect(h12(c).warningsSent).toHaveLength(1);
    expect(h12(c).status).toBe('breached');
    const r = recalendarClocks(c, official, late);
    expect(h12(r.complaint).warnAt).toEqual(h12(c).warnAt);
    expect(h12(r.complaint)).toMatchObject({ status: 'breached', breachedAt: h12(c).breachedAt, deadline: '2027-01-11T02:00:00.000Z' });
    expect(h12(r.complaint).explanation).toContain('the breach at 2027-01-12 10:00 stands');
  });

  it('H-12 changes nothing without a new official schedule, for met clocks, and for clocks that were never provisional', () => {
    const provisional = registered('2027-02-04T02:00:00.000Z');
    const same = recalendarClocks(provisional, P, '2027-02-04T03:00:00.000Z');
    expect(same).toEqual({ complaint: provisional, audit: [], changed: false });
    const met = recordPoint(provisional, 'investigated', '2027-02-04T05:00:00.000Z', P);
    expect(recalendarClocks(met, official, '2027-02-04T06:00:00.000Z').changed).toBe(false);
    const official2026 = registered('2026-06-01T02:00:00.000Z');
    expect(recalendarClocks(official2026, official, '2026-06-01T03:00:00.000Z').changed).toBe(false);
  });

  it('H-12 a clock stored before the flag existed is recognised by its PROVISIONAL explanation', () => {
    const c = registered('2027-02-04T02:00:00.000Z');
    const { provisional: _p, ...unflagged } = h12(c);
    const stored: Complaint = { ...c, clocks: { ...c.clocks, 'H-12': unflagged } };
    expect(h12(recalendarClocks(stored, official, '2027-02-05T00:00:00.000Z').complaint).deadline).toBe('2027-02-13T02:00:00.000Z');
  });
});
