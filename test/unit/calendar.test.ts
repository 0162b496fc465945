import { spawnSync } from 'node:child_process';
import { getLunarDate } from 'chinese-days';
import calendarData from 'chinese-days/dist/chinese-days.json';
import { describe, expect, it } from 'vitest';
import {
  addDuration,
  addWorkingMs,
  CALENDAR_COVERAGE,
  chinaDay,
  fromLocal,
  officialCalendarCoverage,
  officialCoverageDaysAhead,
  parseIsoDurationMs,
  statutoryDays,
  toLocal,
  workingMsBetween,
} from '../../functions/domain/calendar';
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
    expect(() => addDuration('2026-09-30T07:00:00.000Z', 'PT20M', 'wall-clock', 'Mars/Olympus')).toThrow(
      /unknown time zone 'Mars\/Olympus'/,
    );
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
    // Saturday 2026-10-03 10:00 (holiday) → from Thursday 8 October 00:00: 8 Oct (1), 9 Oct (2) → make-up Saturday 10 Oct 00:00 CST.
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

  it('H-12 counts the statutory days fixed by law, marked provisional, in a year the holiday data does not cover yet', () => {
    const year = CALENDAR_COVERAGE.to + 1;
    // 30 December of the last covered year, 15:00 CST: 31 Dec (1), 1 Jan 元旦 by law, weekend, then (2) and (3).
    const start = new Date(Date.UTC(CALENDAR_COVERAGE.to, 11, 30, 7)).toISOString();
    const result = addDuration(start, { workingDays: 3 }, 'cn-working-days', SH);
    expect(result.explanation).toContain(`PROVISIONAL: no official holiday schedule for ${year}`);
    expect(result.explanation).toContain(`${year}-01-01 元旦`);
    expect(result.explanation).toContain('calendarSupplement');
    expect(result).toMatchObject({ provisional: true, provisionalYears: [String(year)] });
    // Same wall time on a weekday; never on a Saturday or Sunday.
    const local = new Date(Date.parse(result.deadline) + 8 * 3600_000);
    expect(local.getUTCHours()).toBe(15);
    expect([0, 6]).not.toContain(local.getUTCDay());
    expect(chinaDay(`${year}-01-01`)).toMatchObject({ working: false, provisional: true, derived: true });
    expect(chinaDay(`${year}-06-01`)).toMatchObject({ provisional: true });
  });

  it('H-12 starts on a non-working day: lists the whole working days it counts', () => {
    // Saturday 2026-09-26 (中秋 week-end, 25-27 September off): Monday 28 and Tuesday 29 counted, due Wednesday 30 00:00.
    const r = addDuration('2026-09-26T02:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(r.deadline).toBe('2026-09-29T16:00:00.000Z');
    expect(r.explanation).toContain('counted from 2026-09-28 00:00');
    expect(r.explanation).toContain('counted 2026-09-28, 2026-09-29');
    expect(r.explanation).toContain('2026-09-26 中秋 Mid-autumn Festival');
    // From the National Day week: 8 and 9 October counted, due at the make-up Saturday's 00:00.
    const national = addDuration('2026-10-03T02:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(national.explanation).toContain('counted 2026-10-08, 2026-10-09');
    expect(national.provisional).toBe(false);
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
    expect(addDuration('2026-12-31T07:00:00.000Z', { workingDays: 1 }, 'cn-working-days', SH, withSaturday).deadline).toBe(
      '2027-01-02T07:00:00.000Z',
    );
  });

  it('marks provisional only the year neither the package nor the supplement covers', () => {
    const r = addDuration('2027-12-30T07:00:00.000Z', { workingDays: 3 }, 'cn-working-days', SH, supplement);
    expect(r.explanation).toContain('no official holiday schedule for 2028');
    expect(r.explanation).not.toContain('for 2027');
  });
});

describe('H-12 statutory days fixed by law (years without an official schedule)', () => {
  const lunar = (date: string) => {
    const l = getLunarDate(new Date(`${date}T12:00:00Z`));
    return `${l.lunarMon}/${l.lunarDay}`;
  };

  it('H-12 derives 2027: 元旦, 除夕 to 初三, 清明, 劳动节, 端午, 中秋, 国庆', () => {
    expect([...statutoryDays(2027).keys()].sort()).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
    // The lunar dates, read back from the package's lunar calendar.
    expect(lunar('2027-02-05')).toBe('12/29'); // 除夕: the twelfth month has 29 days in 2026/27
    expect(lunar('2027-02-06')).toBe('1/1');
    expect(lunar('2027-02-08')).toBe('1/3');
    expect(lunar('2027-06-09')).toBe('5/5');
    expect(lunar('2027-09-15')).toBe('8/15');
    expect(statutoryDays(2027).get('2027-02-05')).toBe('Spring Festival,春节');
  });

  it('H-12 the derivation agrees with the official schedules the package has (2025-2026 whole; 2024 before the 除夕 revision)', () => {
    const holidays: Record<string, string> = calendarData.holidays;
    for (const year of [2025, 2026]) {
      const days = [...statutoryDays(year).keys()];
      expect(days).toHaveLength(13);
      expect(
        days.filter((d) => !holidays[d]),
        String(year),
      ).toEqual([]);
    }
    // The 2024 revision (in force 2025) added 除夕 and 5/2; 2024's schedule did not give 除夕 (9 February) off.
    expect([...statutoryDays(2024).keys()].filter((d) => !holidays[d])).toEqual(['2024-02-09']);
  });

  it('H-12 two festivals on one date share the day (中秋 on 3 October 2028)', () => {
    expect(statutoryDays(2028).get('2028-10-03')).toBe('Mid-autumn Festival & National Day,中秋节、国庆节');
    expect(statutoryDays(2028).size).toBe(12);
  });

  it('H-12 does not depend on the host time zone', () => {
    const script =
      "const c = require('./functions/domain/calendar.ts');" +
      'console.log(JSON.stringify([2027, 2030, 2035].map((y) => [...c.statutoryDays(y).keys()])));';
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([2027, 2030, 2035].map((y) => [...statutoryDays(y).keys()]));
  });

  it('H-12 2027-01-01 and the 2027 Spring Festival are never counted as working days', () => {
    // Thursday 2026-12-31 10:00: 1 Jan 元旦, 2-3 Jan weekend → Monday 4 (1), Tuesday 5 (2).
    const newYear = addDuration('2026-12-31T02:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(newYear.deadline).toBe('2027-01-05T02:00:00.000Z');
    expect(newYear.explanation).toContain('2027-01-01 元旦');
    // Thursday 2027-02-04 10:00: 除夕 5 Feb to 初三 8 Feb off → Tuesday 9 (1), Wednesday 10 (2).
    const spring = addDuration('2027-02-04T02:00:00.000Z', { workingDays: 2 }, 'cn-working-days', SH);
    expect(spring.deadline).toBe('2027-02-10T02:00:00.000Z');
    expect(spring).toMatchObject({ provisional: true, provisionalYears: ['2027'] });
    expect(spring.explanation).toMatch(/PROVISIONAL.*statutory days fixed by law derived \(2027-02-05 春节 Spring Festival, 2027-02-06/);
    expect(spring.explanation).toContain('counted 2027-02-09, 2027-02-10');
  });

  it('H-12 清明, 端午, 中秋 and 国庆 2027 are skipped', () => {
    const one = (start: string) => addDuration(start, { workingDays: 1 }, 'cn-working-days', SH).deadline;
    expect(one('2027-04-02T02:00:00.000Z')).toBe('2027-04-06T02:00:00.000Z'); // Fri → weekend, 清明 Mon 5 → Tue 6
    expect(one('2027-06-08T02:00:00.000Z')).toBe('2027-06-10T02:00:00.000Z'); // Tue → 端午 Wed 9 → Thu 10
    expect(one('2027-09-14T02:00:00.000Z')).toBe('2027-09-16T02:00:00.000Z'); // Tue → 中秋 Wed 15 → Thu 16
    expect(one('2027-09-30T02:00:00.000Z')).toBe('2027-10-04T02:00:00.000Z'); // Thu → 国庆 Fri 1 to Sun 3 → Mon 4
    expect(one('2027-04-30T02:00:00.000Z')).toBe('2027-05-03T02:00:00.000Z'); // Fri → 劳动节 Sat 1, Sun 2 → Mon 3
  });

  it('H-12 a supplied year replaces the derivation (bridge days and make-up days from the notice)', () => {
    const supplement = { '2027': { source: 'notice (example)', holidays: ['2027-02-09'], workdays: ['2027-02-07'] } };
    expect(chinaDay('2027-02-07', supplement)).toMatchObject({ working: true });
    expect(chinaDay('2027-02-09', supplement)).toMatchObject({ working: false });
    expect(chinaDay('2027-02-09', supplement).provisional).toBeUndefined();
  });
});

describe('H-12 working time', () => {
  const H = 3_600_000;

  it('H-12 counts 24 h per working day and nothing on weekends, holidays, with make-up days counted', () => {
    expect(workingMsBetween('2026-06-01T02:00:00.000Z', '2026-06-02T02:00:00.000Z', SH).ms).toBe(24 * H); // Mon 10:00 → Tue 10:00
    expect(workingMsBetween('2026-06-06T02:00:00.000Z', '2026-06-07T10:00:00.000Z', SH).ms).toBe(0); // Sat → Sun
    expect(workingMsBetween('2026-06-05T10:00:00.000Z', '2026-06-08T01:00:00.000Z', SH).ms).toBe(15 * H); // Fri 18:00 → Mon 09:00
    expect(workingMsBetween('2026-09-30T16:00:00.000Z', '2026-10-07T16:00:00.000Z', SH).ms).toBe(0); // 国庆 1-7 October
    expect(workingMsBetween('2026-10-10T01:00:00.000Z', '2026-10-11T01:00:00.000Z', SH).ms).toBe(15 * H); // make-up Saturday 09:00 → Sunday
    expect(workingMsBetween('2026-06-02T02:00:00.000Z', '2026-06-01T02:00:00.000Z', SH).ms).toBe(0);
  });

  it('H-12 adding working time never lands on a non-working day; an exact day end is the next working day 00:00', () => {
    expect(addWorkingMs('2026-06-05T02:00:00.000Z', 24 * H, SH).at).toBe('2026-06-08T02:00:00.000Z'); // Fri 10:00 → Mon 10:00
    expect(addWorkingMs('2026-06-05T02:00:00.000Z', 14 * H, SH).at).toBe('2026-06-07T16:00:00.000Z'); // Fri's end → Mon 00:00
    expect(addWorkingMs('2026-09-30T07:00:00.000Z', 9 * H + 1, SH).at).toBe('2026-10-07T16:00:00.001Z'); // past 国庆
    expect(addWorkingMs('2026-06-06T02:00:00.000Z', 0, SH).at).toBe('2026-06-07T16:00:00.000Z'); // Saturday → Monday 00:00
    expect(addWorkingMs('2026-06-03T02:00:00.000Z', 0, SH).at).toBe('2026-06-03T02:00:00.000Z');
    expect(addWorkingMs('2026-12-31T02:00:00.000Z', 24 * H, SH)).toEqual({ at: '2027-01-04T02:00:00.000Z', provisionalYears: ['2027'] });
  });

  it('H-12 n working days of working time reach the same deadline as counting days', () => {
    for (const start of [
      '2026-09-30T07:00:00.000Z',
      '2026-10-03T02:00:00.000Z',
      '2026-02-13T07:00:00.000Z',
      '2026-11-28T02:00:00.000Z',
      '2027-02-04T02:00:00.000Z',
    ]) {
      for (const n of [1, 2, 5]) {
        expect(addWorkingMs(start, n * 24 * H, SH).at, `${start} + ${n}`).toBe(
          addDuration(start, { workingDays: n }, 'cn-working-days', SH).deadline,
        );
      }
    }
  });
});

describe('H-12 official calendar coverage (for the calendar alarm)', () => {
  const supplement = (years: string[]) => Object.fromEntries(years.map((y) => [y, { source: 'notice', holidays: [], workdays: [] }]));

  it('H-12 ends with the last official year: the package, extended by consecutive supplied years', () => {
    expect(officialCalendarCoverage()).toBe(`${CALENDAR_COVERAGE.to}-12-31`);
    expect(officialCalendarCoverage(supplement([String(CALENDAR_COVERAGE.to + 1)]))).toBe(`${CALENDAR_COVERAGE.to + 1}-12-31`);
    // A gap year is not covered: the coverage stops before it.
    expect(officialCalendarCoverage(supplement([String(CALENDAR_COVERAGE.to + 2)]))).toBe(`${CALENDAR_COVERAGE.to}-12-31`);
  });

  it('H-12 counts the days ahead from the local date, negative once past', () => {
    // 2026-12-01T23:00Z is 2 December 07:00 in Shanghai, still 1 December in Los Angeles.
    expect(officialCoverageDaysAhead('2026-12-01T23:00:00.000Z', SH)).toBe(29);
    expect(officialCoverageDaysAhead('2026-12-01T23:00:00.000Z', 'America/Los_Angeles')).toBe(30);
    expect(officialCoverageDaysAhead('2026-12-01T23:00:00.000Z', SH, supplement(['2027']))).toBe(394);
    expect(officialCoverageDaysAhead('2027-01-10T02:00:00.000Z', SH)).toBe(-10);
  });
});
