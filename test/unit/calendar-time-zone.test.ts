/**
 * The fixed-offset zones (China Standard Time since 1991-09-15, UTC, Etc/GMT±n) are computed
 * without Intl: they must agree with Intl's time zone data on every instant, and hand any other
 * zone or earlier instant to Intl.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLocal, isValidTimeZone, type LocalTime, toLocal } from '../../functions/domain/calendar';

const references = new Map<string, Intl.DateTimeFormat>();
const reference = (timeZone: string) =>
  references.get(timeZone) ??
  references
    .set(
      timeZone,
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'short',
      }),
    )
    .get(timeZone)!;

/** Intl's reading of an instant, the reference. */
function intlLocal(epochMs: number, timeZone: string): LocalTime {
  const f = reference(timeZone);
  const p = Object.fromEntries(f.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    millisecond: ((epochMs % 1000) + 1000) % 1000,
    weekday: p.weekday!,
  };
}

const CST_SINCE = Date.parse('1991-09-14T17:00:00Z');
const UNTIL = Date.parse('2100-01-01T00:00:00Z');
/** Any millisecond from `min` to 2100. */
const instant = (min: number) => fc.date({ min: new Date(min), max: new Date(UNTIL), noInvalidDate: true }).map((d) => d.getTime());
const FIXED_ZONES = ['Asia/Shanghai', 'UTC', 'Etc/UTC', 'Etc/GMT', 'Etc/GMT-8', 'Etc/GMT+5', 'Etc/GMT-14', 'Etc/GMT+12'];

describe('time zones with a fixed offset', () => {
  it('Asia/Shanghai agrees with Intl on every instant from the end of the last DST (1991-09-15) to 2100', () => {
    fc.assert(
      fc.property(instant(CST_SINCE), (t) => {
        expect(toLocal(t, 'Asia/Shanghai')).toEqual(intlLocal(t, 'Asia/Shanghai'));
      }),
      { numRuns: 5_000 },
    );
  });

  it('UTC and Etc/GMT±n agree with Intl on every instant', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXED_ZONES), instant(Date.parse('1900-01-01T00:00:00Z')), (zone, t) => {
        if (zone === 'Asia/Shanghai' && t < CST_SINCE) return;
        expect(toLocal(t, zone)).toEqual(intlLocal(t, zone));
      }),
      { numRuns: 5_000 },
    );
  });

  it("a local time and its day's midnight in the fixed zones map back to the instants Intl gives", () => {
    fc.assert(
      // From the first whole day of China Standard Time on: its midnights are all after 1991-09-15.
      fc.property(fc.constantFrom(...FIXED_ZONES), instant(CST_SINCE + 86_400_000), (zone, t) => {
        const local = intlLocal(t, zone);
        expect(fromLocal(local, zone)).toBe(t);
        const midnight = fromLocal({ ...local, hour: 0, minute: 0, second: 0, millisecond: 0 }, zone);
        expect(intlLocal(midnight, zone)).toEqual({ ...local, hour: 0, minute: 0, second: 0, millisecond: 0 });
      }),
      { numRuns: 5_000 },
    );
  });

  it('Asia/Shanghai before 1991-09-15 follows Intl: the 1991 summer time (+09:00) and the hour that happened twice', () => {
    for (const iso of [
      '1991-09-14T16:59:59.999Z',
      '1991-07-01T00:00:00Z',
      '1991-04-13T18:00:00Z',
      '1986-05-04T12:00:00Z',
      '1949-10-01T02:00:00Z',
    ]) {
      const t = Date.parse(iso);
      expect(toLocal(t, 'Asia/Shanghai'), iso).toEqual(intlLocal(t, 'Asia/Shanghai'));
    }
    expect(toLocal(Date.parse('1991-07-01T00:00:00Z'), 'Asia/Shanghai').hour).toBe(9);
    // 01:30 on 1991-09-15 happened twice: the later instant, as for any zone.
    expect(
      new Date(fromLocal({ year: 1991, month: 9, day: 15, hour: 1, minute: 30, second: 0, millisecond: 0 }, 'Asia/Shanghai')).toISOString(),
    ).toBe('1991-09-14T17:30:00.000Z');
  });

  it('a wall time just before a repeated hour is the one instant that shows it (Intl zones)', () => {
    const at = (year: number, month: number, day: number, hour: number, minute: number, zone: string) =>
      new Date(fromLocal({ year, month, day, hour, minute, second: 0, millisecond: 0 }, zone)).toISOString();
    // Shanghai's summer time ended at 02:00 (+09:00) on 1991-09-15: 00:30 was still +09:00.
    expect(at(1991, 9, 15, 0, 30, 'Asia/Shanghai')).toBe('1991-09-14T15:30:00.000Z');
    // Berlin turns back at 03:00 CEST on 2026-10-25: 01:30 is CEST; 02:30 happened twice (the later: CET).
    expect(at(2026, 10, 25, 1, 30, 'Europe/Berlin')).toBe('2026-10-24T23:30:00.000Z');
    expect(at(2026, 10, 25, 2, 30, 'Europe/Berlin')).toBe('2026-10-25T01:30:00.000Z');
    // A skipped wall time (02:30 on 2026-03-29) moves forward by the gap.
    expect(at(2026, 3, 29, 2, 30, 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('other zones keep using Intl, daylight saving time included', () => {
    const t = Date.parse('2026-07-01T12:00:00Z');
    expect(toLocal(t, 'America/New_York')).toEqual(intlLocal(t, 'America/New_York'));
    expect(toLocal(t, 'America/New_York').hour).toBe(8);
    expect(toLocal(t, 'Asia/Hong_Kong')).toEqual(intlLocal(t, 'Asia/Hong_Kong'));
  });

  it('knows the fixed zones without Intl, and still checks every other name', () => {
    for (const zone of FIXED_ZONES) expect(isValidTimeZone(zone), zone).toBe(true);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
  });

  it('fails for zone names that are not IANA zones, fixed-offset look-alikes included', () => {
    for (const zone of ['Mars/Olympus', 'Etc/GMT+13', 'Etc/GMT-15', 'Etc/GMT+05', 'Asia/Shanghai ']) {
      expect(isValidTimeZone(zone), zone).toBe(false);
      expect(() => toLocal(0, zone), zone).toThrow(`unknown time zone '${zone}'`);
    }
  });
});
