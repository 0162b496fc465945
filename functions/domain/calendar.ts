/**
 * Deadline arithmetic: wall-clock durations and China working days (H-12).
 *
 * Semantics (decided here, tested in test/unit/calendar.test.ts):
 * - Wall clock: ISO 8601 durations of days/hours/minutes/seconds are exact elapsed time
 *   ('P1D' = 24 h), independent of the time zone.
 * - Working days: n working days from an instant = the same local wall time on the n-th
 *   working day after the start's local date. A start on a non-working day counts from the
 *   next working day's 00:00 local (so 2 working days from Saturday = Wednesday 00:00, i.e.
 *   Monday and Tuesday counted whole). Working days are Monday to Friday minus statutory
 *   holidays plus make-up working days (调休), by local date in the given time zone.
 * - Holiday data: the chinese-days package's JSON (State Council schedules). Its dayjs-like
 *   helpers format dates in the host's zone, so the data is read directly instead.
 *   A year the data does not cover yet (the next year's schedule is published each November)
 *   counts Monday to Friday and marks the deadline provisional in its explanation: a complaint
 *   must never fail registration because a holiday table is late. A carrier adds the year
 *   (SLA policy `calendarSupplement`: the State Council's dated schedule, with its source); a
 *   supplemented year replaces the package's.
 */
import calendarData from 'chinese-days/dist/chinese-days.json';
import { InvalidDurationError } from './errors';

export type CalendarKind = 'wall-clock' | 'cn-working-days';
export type Duration = string | { readonly workingDays: number };

const HOLIDAYS: Readonly<Record<string, string>> = calendarData.holidays;
const WORKDAYS: Readonly<Record<string, string>> = calendarData.workdays;

const coveredYears = Object.keys(HOLIDAYS).map((d) => Number(d.slice(0, 4)));
/** Years the holiday data covers (inclusive). */
export const CALENDAR_COVERAGE = { from: Math.min(...coveredYears), to: Math.max(...coveredYears) } as const;

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** True for 'PT20M', 'P15D', 'P1DT2H', ...; years, months and weeks are not accepted (not exact). */
export function isIsoDuration(value: string): boolean {
  const m = ISO_DURATION.exec(value);
  return m !== null && value !== 'P' && !value.endsWith('T') && m.slice(1).some((g) => g !== undefined);
}

export function parseIsoDurationMs(value: string): number {
  if (!isIsoDuration(value)) {
    throw new InvalidDurationError(`'${value}' is not an ISO 8601 duration of days, hours, minutes or seconds (e.g. PT20M, P15D)`);
  }
  const [, d, h, mi, s] = ISO_DURATION.exec(value)!;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(mi ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
}

/** A short human text for a duration: '20 min', '72 h', '2 working days', '15 d'. */
export function describeDuration(duration: Duration): string {
  if (typeof duration !== 'string') return `${duration.workingDays} working day${duration.workingDays === 1 ? '' : 's'}`;
  return describeMs(parseIsoDurationMs(duration));
}

export function describeMs(ms: number): string {
  const neg = ms < 0;
  let rest = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(rest / 1440);
  rest -= d * 1440;
  const h = Math.floor(rest / 60);
  const m = rest - h * 60;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m || (!d && !h) ? `${m} min` : ''].filter(Boolean);
  return (neg ? '-' : '') + parts.join(' ');
}

// ---- time zones ----------------------------------------------------------------------

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

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
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

export function toLocal(epochMs: number, timeZone: string): LocalTime {
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
  const first = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(first, timeZone);
  return Math.max(first, second);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD HH:mm' in the zone (what people read in emails and explanations). */
export function formatLocal(iso: string | number, timeZone: string): string {
  const l = toLocal(typeof iso === 'number' ? iso : parseInstant(iso), timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

export function parseInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidDurationError(`'${iso}' is not an ISO 8601 instant`);
  return ms;
}

// ---- working days --------------------------------------------------------------------

interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}
const civilKey = (d: CivilDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
function nextCivil(d: CivilDate): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** A year's schedule supplied by the carrier: statutory holidays and make-up working days (local dates). */
export interface CalendarYear {
  readonly source: string;
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}
/** Year (e.g. '2027') → schedule. */
export type CalendarSupplement = Readonly<Record<string, CalendarYear>>;

export interface DayInfo {
  readonly date: string;
  readonly working: boolean;
  /** Holiday or make-up working day name (e.g. "National Day,国庆节,3"), if any. */
  readonly name?: string;
  /** No official schedule for this year: Monday to Friday assumed. */
  readonly provisional?: boolean;
}

/** Is this local date (YYYY-MM-DD) a working day in mainland China? Throws outside the data's years. */
export function chinaDay(date: string, supplement?: CalendarSupplement): DayInfo {
  const year = Number(date.slice(0, 4));
  const supplied = supplement?.[String(year)];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (supplied) {
    if (supplied.workdays.includes(date)) return { date, working: true, name: `make-up working day,调休上班 (${supplied.source})` };
    if (supplied.holidays.includes(date)) return { date, working: false, name: `statutory holiday,法定节假日 (${supplied.source})` };
    return { date, working: weekday >= 1 && weekday <= 5 };
  }
  if (year < CALENDAR_COVERAGE.from || year > CALENDAR_COVERAGE.to) {
    return { date, working: weekday >= 1 && weekday <= 5, provisional: true };
  }
  if (WORKDAYS[date]) return { date, working: true, name: WORKDAYS[date] };
  if (HOLIDAYS[date]) return { date, working: false, name: HOLIDAYS[date] };
  return { date, working: weekday >= 1 && weekday <= 5 };
}

export interface DeadlineResult {
  readonly deadline: string;
  readonly explanation: string;
}

export function addDuration(
  startIso: string,
  duration: Duration,
  calendar: CalendarKind,
  timeZone: string,
  supplement?: CalendarSupplement,
): DeadlineResult {
  const start = parseInstant(startIso);
  formatter(timeZone); // fail fast on a bad zone
  if (calendar === 'wall-clock') {
    if (typeof duration !== 'string') {
      throw new InvalidDurationError('a wall-clock duration must be an ISO 8601 string (working days need calendar cn-working-days)');
    }
    const deadline = start + parseIsoDurationMs(duration);
    return {
      deadline: new Date(deadline).toISOString(),
      explanation: `${duration} (${describeDuration(duration)}) of wall-clock time from ${formatLocal(start, timeZone)} → ${formatLocal(deadline, timeZone)} (${timeZone})`,
    };
  }
  if (typeof duration === 'string') {
    throw new InvalidDurationError("calendar cn-working-days takes { workingDays: n }, not an ISO duration");
  }
  const n = duration.workingDays;
  if (!Number.isInteger(n) || n < 1) throw new InvalidDurationError(`workingDays must be a positive integer, got ${n}`);

  const local = toLocal(start, timeZone);
  let date: CivilDate = local;
  let wall = { hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond };
  const notes: string[] = [];
  const startDay = chinaDay(civilKey(date), supplement);
  if (!startDay.working) {
    // Counted from the next working day's 00:00 local.
    const skipped: string[] = [civilKey(date) + (startDay.name ? ` ${holidayLabel(startDay.name)}` : '')];
    date = nextCivil(date);
    while (!chinaDay(civilKey(date), supplement).working) {
      skipped.push(dayLabel(chinaDay(civilKey(date), supplement)));
      date = nextCivil(date);
    }
    wall = { hour: 0, minute: 0, second: 0, millisecond: 0 };
    notes.push(`starts on a non-working day (${skipped.join(', ')}): counted from ${civilKey(date)} 00:00`);
  }
  const counted: string[] = [];
  const skipped: string[] = [];
  const provisionalYears = new Set<string>();
  while (counted.length < n) {
    date = nextCivil(date);
    const info = chinaDay(civilKey(date), supplement);
    if (info.provisional) provisionalYears.add(info.date.slice(0, 4));
    if (info.working) counted.push(info.name ? `${info.date} (make-up working day, ${holidayLabel(info.name)})` : info.date);
    else skipped.push(dayLabel(info));
  }
  const deadline = fromLocal({ ...date, ...wall }, timeZone);
  if (skipped.length) notes.push(`skipped ${compactSkipped(skipped)}`);
  notes.push(`counted ${counted.join(', ')}`);
  if (provisionalYears.size) {
    notes.push(
      `PROVISIONAL: no official holiday schedule for ${[...provisionalYears].join(', ')} in the calendar data ` +
        `(covers ${CALENDAR_COVERAGE.from}-${CALENDAR_COVERAGE.to}), Monday to Friday assumed; add the year to the SLA policy's calendarSupplement`,
    );
  }
  return {
    deadline: new Date(deadline).toISOString(),
    explanation:
      `${describeDuration(duration)} (China statutory calendar, ${timeZone}) from ${formatLocal(start, timeZone)}: ` +
      `${notes.join('; ')} → ${formatLocal(deadline, timeZone)}`,
  };
}

function holidayLabel(name: string): string {
  const [en, zh] = name.split(',');
  return zh ? `${zh} ${en}` : name;
}
function dayLabel(info: DayInfo): string {
  return info.name ? `${info.date} ${holidayLabel(info.name)}` : `${info.date} weekend`;
}
function compactSkipped(days: string[]): string {
  return days.length <= 3 ? days.join(', ') : `${days[0]} … ${days[days.length - 1]} (${days.length} days)`;
}
