/**
 * Local wall time in an IANA time zone. The zones the product runs in by default have one fixed
 * UTC offset over every instant it handles, so those are plain arithmetic; any other zone (or an
 * instant before the offset became fixed) goes through Intl. The first Intl.DateTimeFormat of a
 * process loads the time zone data, the largest single cost of a function's cold start, so a
 * function that only ever sees China Standard Time never pays it.
 */
import { InvalidDurationError } from './errors';

/** A calendar day of wall time. */
export const DAY_MS = 86_400_000;

const HOUR_MS = 3_600_000;

interface FixedOffset {
  readonly offsetMs: number;
  /** The first instant from which the offset never changes (tz database). */
  readonly since: number;
}

const ALWAYS = Number.NEGATIVE_INFINITY;
/** China's last daylight saving time ended on 1991-09-15 02:00 local (+09:00); UTC+8 ever since. */
const CHINA_STANDARD_TIME: FixedOffset = { offsetMs: 8 * HOUR_MS, since: Date.UTC(1991, 8, 14, 17) };
const FIXED_ZONES: Readonly<Record<string, FixedOffset>> = {
  'Asia/Shanghai': CHINA_STANDARD_TIME,
  UTC: { offsetMs: 0, since: ALWAYS },
  'Etc/UTC': { offsetMs: 0, since: ALWAYS },
  'Etc/GMT': { offsetMs: 0, since: ALWAYS },
};
/** Etc/GMT+5 is UTC−5 (POSIX sign): Etc/GMT-14 to Etc/GMT+12. */
const ETC_GMT = /^Etc\/GMT([+-])(\d{1,2})$/;

function fixedOffset(timeZone: string): FixedOffset | undefined {
  const fixed = FIXED_ZONES[timeZone];
  if (fixed) return fixed;
  const etc = ETC_GMT.exec(timeZone);
  if (!etc) return undefined;
  const hours = Number(etc[2]);
  const west = etc[1] === '+';
  if (hours > (west ? 12 : 14) || etc[2]!.startsWith('0')) return undefined;
  return { offsetMs: (west ? -hours : hours) * HOUR_MS, since: ALWAYS };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        weekday: 'short',
      });
    } catch {
      throw new InvalidDurationError(`unknown time zone '${timeZone}'`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws InvalidDurationError naming the zone unless it is a known IANA zone. */
export function assertTimeZone(timeZone: string): void {
  if (!fixedOffset(timeZone)) formatter(timeZone);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    assertTimeZone(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** 'Mon', 'Tue', ... */
  readonly weekday: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export function toLocal(epochMs: number, timeZone: string): LocalTime {
  const fixed = fixedOffset(timeZone);
  if (fixed && epochMs >= fixed.since) return wallFields(epochMs + fixed.offsetMs);
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((epochMs % 1000) + 1000) % 1000,
    weekday: parts.weekday!,
  };
}

/** The fields of a wall time held as ms since 1970-01-01 00:00 local. */
export function wallFields(wallMs: number): LocalTime {
  const d = new Date(wallMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: WEEKDAYS[d.getUTCDay()]!,
  };
}

function offsetMs(epochMs: number, timeZone: string): number {
  const l = toLocal(epochMs, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond) - epochMs;
}

/** The instant of a local wall time (a wall time skipped by a DST jump maps to the instant after it). */
export function fromLocal(
  l: Pick<LocalTime, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond'>,
  timeZone: string,
): number {
  const guess = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
  const fixed = fixedOffset(timeZone);
  if (fixed && guess - fixed.offsetMs >= fixed.since) return guess - fixed.offsetMs;
  // The instants whose offset makes them this wall time: the offsets in force a day either side
  // cover a transition. A repeated hour (clocks turned back) is its later instant; a skipped hour
  // (clocks turned forward) has none and moves forward by the gap.
  const first = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(first, timeZone);
  const candidates = [first, second, guess - offsetMs(guess - DAY_MS, timeZone), guess - offsetMs(guess + DAY_MS, timeZone)];
  const exact = candidates.filter((instant) => offsetMs(instant, timeZone) === guess - instant);
  return exact.length > 0 ? Math.max(...exact) : Math.max(first, second);
}
