import { describe, expect, it } from 'vitest';
import { addDuration, CALENDAR_COVERAGE, chinaDay, fromLocal, parseIsoDurationMs, toLocal } from '../../functions/domain/calendar';
import { InvalidDurationError } from '../../functions/domain/errors';

const SH = 'Asia/Shanghai';

describe('wall-clock durations', () => {
  it('adds exact elapsed time (PT20M, PT72H, P15D, P1DT2H30M)', () => {
    const start = '2026-09-30T07:00:00.000Z';
    expect(addDuration(start, 'PT20M', 'wall-clock', SH).deadline).toBe('2026-09-30T07:20:00.000Z');
    expect(addDuration(start, 'PT72H', 'wall-clock', SH).deadline).toBe('2026-10-03T07:00:00.000Z');
    expect(addDuration(start, 'P15D', 'wall-clock', SH).deadline).toBe('2026-10-15T07:00:00.000Z');
    expect(addDuration(start, 'P1DT2H30M', 'wall-clock', SH).deadline).toBe('2026-10-01T09:30:00.000Z');
  });

  it('explains in local time: start, duration and deadline', () => {
    const { explanation } = addDuration('2026-09-30T07:00:00.000Z', 'PT20M', 'wall-clock', SH);
    expect(explanation).toContain('2026-09-30 15:00');
    expect(explanation).toContain('2026-09-30 15:20');
    expect(explanation).toContain('PT20M');
  });

  it('counts elapsed time across a DST change in another zone (P1D = 24 h, not the same wall time)', () => {
    // 2026-11-01 02:00 EDT → EST in America/New_York.
    const r = addDuration('2026-10-31T16:00:00.000Z', 'P1D', 'wall-clock', 'America/New_York');
    expect(r.deadline).toBe('2026-11-01T16:00:00.000Z');
    expect(r.explanation).toContain('2026-10-31 12:00');
    expect(r.explanation).toContain('2026-11-01 11:00');
  });

  it('fails on durations that are not exact (months, years, weeks) or malformed', () => {
    for (const bad of ['P1M', 'P1Y', 'P1W', 'PT', 'P', '20 minutes', 'PT-5M']) {
      expect(() => parseIsoDurationMs(bad), bad).toThrow(InvalidDurationError);
    }
  });

  it('fails on an unknown time zone', () => {
    expect(() => addDuration('2026-09-30T07:00:00.000Z', 'PT20M', 'wall-clock', 'Mars/Olympus')).toThrow(/unknown time zone 'Mars\/Olympus'/);
  });

  it('fails when a calendar and a duration do not fit together', () => {
    expect(() => addDuration('2026-09-30T07:00:00.000Z', { workingDays: 2 }, 'wall-clock', SH)).toThrow(InvalidDurationError);
    expect(() => addDuration('2026-09-30T07:00:00.000Z', 'PT48H', 'cn-working-days', SH)).toThrow(InvalidDurationError);
  });
});

describe('China working days (H-12)', () => {
  it('2 working days from the afternoon before the National Day week land on 9 October, same wall time', () => {
    // 2026-09-30 (Wed) 15:00 CST; 1-7 October are holidays; 8 and 9 October are working days.
    const r = addDuration('2026-09-30T07:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(r.deadline).toBe('2026-10-09T07:00:00.000Z');
    expect(r.explanation).toContain('国庆节');
    expect(r.explanation).toContain('counted 2026-10-08, 2026-10-09');
    expect(r.explanation).toContain('2026-10-09 15:00');
  });

  it('counts a Saturday make-up working day (调休) after the National Day week', () => {
    // Friday 2026-10-09 15:00; Saturday 2026-10-10 is a make-up working day.
    const one = addDuration('2026-10-09T07:00:00.000Z', { workingDays: 1 }, 'cn-working-days', SH);
    expect(one.deadline).toBe('2026-10-10T07:00:00.000Z');
    expect(one.explanation).toContain('make-up working day');
    const two = addDuration('2026-10-09T07:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(two.deadline).toBe('2026-10-12T07:00:00.000Z'); // Sunday 11 skipped, Monday 12 counted
  });

  it('counts a Sunday make-up working day before the National Day week', () => {
    // Sunday 2026-09-20 is a working day; Friday 18 → Sunday 20.
    expect(addDuration('2026-09-18T07:00:00.000Z', { workingDays: 1 }, 'cn-working-days', SH).deadline).toBe('2026-09-20T07:00:00.000Z');
    // A start on that Sunday is a start on a working day: next working day is Monday 21.
    expect(addDuration('2026-09-20T02:00:00.000Z', { workingDays: 1 }, 'cn-working-days', SH).deadline).toBe('2026-09-21T02:00:00.000Z');
  });

  it('crosses the Spring Festival 2026 (15-23 February off, Saturday 14 February worked)', () => {
    // Friday 2026-02-13 15:00 → Saturday 14 (make-up) → skip 15..23 → Tuesday 24.
    const r = addDuration('2026-02-13T07:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(r.deadline).toBe('2026-02-24T07:00:00.000Z');
    expect(r.explanation).toContain('春节');
  });

  it('starts on a holiday: counted from the next working day 00:00 local', () => {
    // Saturday 2026-10-03 10:00 (holiday) → from Thursday 8 October 00:00 → 9 Oct (1), 10 Oct make-up (2) → 10 Oct 00:00 CST.
    const r = addDuration('2026-10-03T02:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(r.deadline).toBe('2026-10-09T16:00:00.000Z');
    expect(r.explanation).toContain('starts on a non-working day');
  });

  it('starts on an ordinary weekend: 2 working days from Saturday are Monday and Tuesday, due Wednesday 00:00', () => {
    const r = addDuration('2026-11-28T02:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(r.deadline).toBe('2026-12-01T16:00:00.000Z'); // Wed 2 Dec 00:00 CST
  });

  it('uses local dates of the given zone, keeping the wall time across DST (America/New_York)', () => {
    // Friday 2026-10-30 15:00 EDT (19:00Z) → Monday 2 Nov, Tuesday 3 Nov → 15:00 EST (20:00Z): DST ended on 1 Nov.
    const r = addDuration('2026-10-30T19:00:00.000Z', { workingDays: 2 }, 'cn-working-days', 'America/New_York');
    expect(r.deadline).toBe('2026-11-03T20:00:00.000Z');
  });

  it('a start late in the evening UTC is the next local day in Shanghai', () => {
    // 2026-09-30T17:00Z is 1 October 01:00 CST: a holiday, so counted from 8 October 00:00 → 10 October 00:00 CST.
    expect(addDuration('2026-09-30T17:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH).deadline).toBe('2026-10-09T16:00:00.000Z');
  });

  it('knows the package data: holidays, make-up days and plain weekdays', () => {
    expect(chinaDay('2026-10-01')).toMatchObject({ working: false });
    expect(chinaDay('2026-10-10')).toMatchObject({ working: true });
    expect(chinaDay('2026-10-11')).toMatchObject({ working: false });
    expect(chinaDay('2026-10-12')).toMatchObject({ working: true });
    expect(CALENDAR_COVERAGE.from).toBeLessThanOrEqual(2025);
    expect(CALENDAR_COVERAGE.to).toBeGreaterThanOrEqual(2026);
  });

  it('counts Monday to Friday, marked provisional, in a year the holiday data does not cover yet', () => {
    const year = CALENDAR_COVERAGE.to + 1;
    // 30 December of the last covered year, 15:00 CST: the 3rd working day falls into the next year.
    const start = new Date(Date.UTC(CALENDAR_COVERAGE.to, 11, 30, 7)).toISOString();
    const result = addDuration(start, { workingDays: 3 }, 'cn-working-days', SH);
    expect(result.explanation).toContain(`PROVISIONAL: no official holiday schedule for ${year}`);
    expect(result.explanation).toContain('calendarSupplement');
    // Same wall time on a weekday; never on a Saturday or Sunday.
    const local = new Date(Date.parse(result.deadline) + 8 * 3600_000);
    expect(local.getUTCHours()).toBe(15);
    expect([0, 6]).not.toContain(local.getUTCDay());
    expect(chinaDay(`${year}-06-01`)).toMatchObject({ provisional: true });
  });

});

describe('time zone helpers', () => {
  it('round-trips local wall time', () => {
    const ms = Date.parse('2026-09-30T07:00:00.000Z');
    const l = toLocal(ms, SH);
    expect(l).toMatchObject({ year: 2026, month: 9, day: 30, hour: 15, minute: 0, weekday: 'Wed' });
    expect(fromLocal(l, SH)).toBe(ms);
  });
});

describe('a year supplied by the carrier (calendarSupplement)', () => {
  const supplement = { '2027': { source: 'State Council notice (example)', holidays: ['2027-01-01'], workdays: [] } };

  it('extends the calendar past the package data', () => {
    // Wednesday 2026-12-30 15:00 CST: 31 Dec (1), 1 Jan holiday, 2-3 Jan weekend, 4 Jan (2), 5 Jan (3).
    const r = addDuration('2026-12-30T07:00:00.000Z', { workingDays: 3 }, 'cn-working-days', SH, supplement);
    expect(r.deadline).toBe('2027-01-05T07:00:00.000Z');
    expect(r.explanation).toContain('State Council notice (example)');
  });

  it('a supplied make-up working day counts', () => {
    const withSaturday = { '2027': { ...supplement['2027'], workdays: ['2027-01-02'] } };
    expect(addDuration('2026-12-31T07:00:00.000Z', { workingDays: 1 }, 'cn-working-days', SH, withSaturday).deadline).toBe('2027-01-02T07:00:00.000Z');
  });

  it('marks provisional only the year neither the package nor the supplement covers', () => {
    const r = addDuration('2027-12-30T07:00:00.000Z', { workingDays: 3 }, 'cn-working-days', SH, supplement);
    expect(r.explanation).toContain('no official holiday schedule for 2028');
    expect(r.explanation).not.toContain('for 2027');
  });
});
