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
 * - Working time: each working day is 24 h of local wall time, a non-working day none. A
 *   deadline n working days out is where n × 24 h of working time has run; a fraction of it
 *   (warnings) and a pause's lost working time are measured the same way. An instant that
 *   ends exactly with a working day is taken as the next working day's 00:00, so nothing
 *   computed here lands on a non-working day.
 * - Holiday data: the chinese-days package's JSON (State Council schedules), its holidays and
 *   make-up working days only: bumping the package brings each new year's schedule. Its module
 *   is not loaded (it builds tables at load and its helpers format dates in the host's zone).
 * - A year the data does not cover yet (the next year's schedule is published each November):
 *   the statutory days fixed by law (全国年节及纪念日放假办法, as revised in 2024, in force from
 *   2025) are derived from the lunar calendar and the Qingming solar term (lunar-festivals.ts); only the State
 *   Council's bridge days and make-up working days are unknown, so such a day and any deadline
 *   that uses it are PROVISIONAL: a complaint must never fail registration because a holiday
 *   table is late. A carrier adds the year (SLA policy `calendarSupplement`: the State Council's
 *   dated schedule, with its source); a supplemented year replaces the package's.
 */

// Named imports: the bundle keeps these two tables of the JSON and drops the rest.
import { holidays, workdays } from 'chinese-days/dist/chinese-days.json';
import { InvalidDurationError } from './errors';
import { LUNAR_FESTIVAL_YEARS, LUNAR_FESTIVALS } from './lunar-festivals';
import { assertTimeZone, DAY_MS, fromLocal, toLocal, wallFields } from './time-zone';

export { fromLocal, isValidTimeZone, type LocalTime, toLocal } from './time-zone';

export type CalendarKind = 'wall-clock' | 'cn-working-days';
export type Duration = string | { readonly workingDays: number };

const HOLIDAYS: Readonly<Record<string, string>> = holidays;
const WORKDAYS: Readonly<Record<string, string>> = workdays;

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

// ---- time zones (time-zone.ts) ---------------------------------------------------------

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
  /** No official schedule for this year: statutory days derived from the law, make-up days unknown. */
  readonly provisional?: boolean;
  /** A statutory day derived from the law (provisional years only). */
  readonly derived?: boolean;
}

const isWeekday = (date: string) => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5;
};

/** Is this local date (YYYY-MM-DD) a working day in mainland China? */
export function chinaDay(date: string, supplement?: CalendarSupplement): DayInfo {
  const year = Number(date.slice(0, 4));
  const supplied = supplement?.[String(year)];
  if (supplied) {
    if (supplied.workdays.includes(date)) return { date, working: true, name: `make-up working day,调休上班 (${supplied.source})` };
    if (supplied.holidays.includes(date)) return { date, working: false, name: `statutory holiday,法定节假日 (${supplied.source})` };
    return { date, working: isWeekday(date) };
  }
  if (year < CALENDAR_COVERAGE.from || year > CALENDAR_COVERAGE.to) {
    const statutory = statutoryDays(year).get(date);
    if (statutory) return { date, working: false, name: statutory, provisional: true, derived: true };
    return { date, working: isWeekday(date), provisional: true };
  }
  if (WORKDAYS[date]) return { date, working: true, name: WORKDAYS[date] };
  if (HOLIDAYS[date]) return { date, working: false, name: HOLIDAYS[date] };
  return { date, working: isWeekday(date) };
}

// ---- statutory days fixed by law (years without an official schedule) -------------------

const utcDayKey = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Day number (days since 1970-01-01) of a month × 100 + day date in `year`. */
const dayOf = (year: number, monthDay: number) => Date.UTC(year, Math.floor(monthDay / 100) - 1, monthDay % 100) / DAY_MS;

const statutoryCache = new Map<number, ReadonlyMap<string, string>>();

/**
 * The statutory days of 全国年节及纪念日放假办法 (revised 2024, in force from 2025) for a year:
 * 元旦 1/1; 春节 除夕 to 正月初三; 清明 on the Qingming solar term; 劳动节 5/1-5/2; 端午 五月初五;
 * 中秋 八月十五; 国庆 10/1-10/3. Date → "English,中文" name. Empty outside LUNAR_FESTIVAL_YEARS.
 */
export function statutoryDays(year: number): ReadonlyMap<string, string> {
  const cached = statutoryCache.get(year);
  if (cached) return cached;
  const days = new Map<string, string>();
  const festivals = LUNAR_FESTIVALS[year - LUNAR_FESTIVAL_YEARS.from];
  if (festivals) {
    const [springFestival, qingming, dragonBoat, midAutumn] = festivals;
    // Two festivals on one date (中秋 on 10/3 in 2028) share the day: the law adds none.
    const add = (date: string, en: string, zh: string) => {
      const [en0, zh0] = days.get(date)?.split(',') ?? [];
      days.set(date, en0 ? `${en0} & ${en},${zh0}、${zh}` : `${en},${zh}`);
    };
    const fixed = (md: string, en: string, zh: string) => add(`${year}-${md}`, en, zh);
    fixed('01-01', "New Year's Day", '元旦');
    const newYear = dayOf(year, springFestival);
    for (let d = newYear - 1; d <= newYear + 2; d++) add(utcDayKey(d), 'Spring Festival', '春节');
    add(utcDayKey(dayOf(year, qingming)), 'Tomb-sweeping Day', '清明节');
    fixed('05-01', 'Labour Day', '劳动节');
    fixed('05-02', 'Labour Day', '劳动节');
    add(utcDayKey(dayOf(year, dragonBoat)), 'Dragon Boat Festival', '端午节');
    add(utcDayKey(dayOf(year, midAutumn)), 'Mid-autumn Festival', '中秋节');
    for (const md of ['10-01', '10-02', '10-03']) fixed(md, 'National Day', '国庆节');
  }
  statutoryCache.set(year, days);
  return days;
}

// ---- coverage (the calendar alarm) ------------------------------------------------------

/** The last local date an official schedule covers: the package's years, extended by consecutive supplied years. */
export function officialCalendarCoverage(supplement?: CalendarSupplement): string {
  let last = CALENDAR_COVERAGE.to;
  while (supplement?.[String(last + 1)]) last++;
  return `${last}-12-31`;
}

/** Days from now's local date to the last officially covered date (negative once past it). */
export function officialCoverageDaysAhead(now: string, timeZone: string, supplement?: CalendarSupplement): number {
  const today = toLocal(parseInstant(now), timeZone);
  const todayDay = Date.UTC(today.year, today.month - 1, today.day) / DAY_MS;
  const lastDay = Date.parse(`${officialCalendarCoverage(supplement)}T00:00:00Z`) / DAY_MS;
  return lastDay - todayDay;
}

// ---- deadlines --------------------------------------------------------------------------

export interface DeadlineResult {
  readonly deadline: string;
  readonly explanation: string;
  /** The deadline used a year without an official schedule (make-up working days unknown). */
  readonly provisional: boolean;
  readonly provisionalYears: readonly string[];
}

export function addDuration(
  startIso: string,
  duration: Duration,
  calendar: CalendarKind,
  timeZone: string,
  supplement?: CalendarSupplement,
): DeadlineResult {
  const start = parseInstant(startIso);
  assertTimeZone(timeZone);
  if (calendar === 'wall-clock') {
    if (typeof duration !== 'string') {
      throw new InvalidDurationError('a wall-clock duration must be an ISO 8601 string (working days need calendar cn-working-days)');
    }
    const deadline = start + parseIsoDurationMs(duration);
    return {
      deadline: new Date(deadline).toISOString(),
      explanation: `${duration} (${describeDuration(duration)}) of wall-clock time from ${formatLocal(start, timeZone)} → ${formatLocal(deadline, timeZone)} (${timeZone})`,
      provisional: false,
      provisionalYears: [],
    };
  }
  if (typeof duration === 'string') {
    throw new InvalidDurationError('calendar cn-working-days takes { workingDays: n }, not an ISO duration');
  }
  const n = duration.workingDays;
  if (!Number.isInteger(n) || n < 1) throw new InvalidDurationError(`workingDays must be a positive integer, got ${n}`);
  return addWorkingDays(start, n, timeZone, supplement);
}

/** Walks the local dates: which days count, which are skipped, and the deadline (see the module comment). */
function addWorkingDays(start: number, n: number, timeZone: string, supplement?: CalendarSupplement): DeadlineResult {
  const local = toLocal(start, timeZone);
  const seen: DayInfo[] = [];
  const day = (d: CivilDate) => {
    const info = chinaDay(civilKey(d), supplement);
    seen.push(info);
    return info;
  };
  let date: CivilDate = local;
  let wall = { hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond };
  const notes: string[] = [];
  const counted: string[] = [];
  const skipped: string[] = [];
  const countOrSkip = (info: DayInfo) =>
    info.working
      ? counted.push(info.name ? `${info.date} (make-up working day, ${holidayLabel(info.name)})` : info.date)
      : skipped.push(dayLabel(info));
  const startDay = day(date);
  if (!startDay.working) {
    // Whole working days from the next working day's 00:00; due at 00:00 of the working day after the n-th.
    const before: string[] = [dayLabel(startDay)];
    date = nextCivil(date);
    for (let info = day(date); !info.working; info = day(date)) {
      before.push(dayLabel(info));
      date = nextCivil(date);
    }
    wall = { hour: 0, minute: 0, second: 0, millisecond: 0 };
    notes.push(`starts on a non-working day (${compactSkipped(before)}): counted from ${civilKey(date)} 00:00`);
    countOrSkip(seen[seen.length - 1]!);
    while (counted.length < n) {
      date = nextCivil(date);
      countOrSkip(day(date));
    }
    date = nextCivil(date);
    for (let info = day(date); !info.working; info = day(date)) {
      skipped.push(dayLabel(info));
      date = nextCivil(date);
    }
  } else {
    while (counted.length < n) {
      date = nextCivil(date);
      countOrSkip(day(date));
    }
  }
  const deadline = fromLocal({ ...date, ...wall }, timeZone);
  if (skipped.length) notes.push(`skipped ${compactSkipped(skipped)}`);
  notes.push(`counted ${counted.join(', ')}`);
  const provisionalYears = [...new Set(seen.filter((d) => d.provisional).map((d) => d.date.slice(0, 4)))];
  if (provisionalYears.length) notes.push(provisionalNote(provisionalYears, seen));
  return {
    deadline: new Date(deadline).toISOString(),
    explanation:
      `${n} working day${n === 1 ? '' : 's'} (China statutory calendar, ${timeZone}) from ${formatLocal(start, timeZone)}: ` +
      `${notes.join('; ')} → ${formatLocal(deadline, timeZone)}`,
    provisional: provisionalYears.length > 0,
    provisionalYears,
  };
}

function provisionalNote(years: readonly string[], seen: readonly DayInfo[]): string {
  const derived = seen.filter((d) => d.derived).map(dayLabel);
  return (
    `PROVISIONAL: no official holiday schedule for ${years.join(', ')} in the calendar data ` +
    `(covers ${CALENDAR_COVERAGE.from}-${CALENDAR_COVERAGE.to}): statutory days fixed by law derived` +
    (derived.length ? ` (${derived.join(', ')})` : ' (none in the span)') +
    `, bridge days and make-up working days unknown; add the year to the SLA policy's calendarSupplement`
  );
}

// ---- working time -----------------------------------------------------------------------

/** An instant computed on the working-day calendar, with the years it used that have no official schedule. */
export interface WorkingInstant {
  readonly at: string;
  readonly provisionalYears: readonly string[];
}

/** Local wall time as ms since 1970-01-01 00:00 (a day is always DAY_MS of it). */
function wallOf(epochMs: number, timeZone: string): number {
  const l = toLocal(epochMs, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
}
function instantOfWall(wall: number, timeZone: string): number {
  return fromLocal(wallFields(wall), timeZone);
}

/** A working-day clock's budget in working time. */
export const workingDaysMs = (n: number) => n * DAY_MS;

/** Where `ms` of working time from `startIso` has run (at a day's end: the next working day's 00:00). */
export function addWorkingMs(startIso: string, ms: number, timeZone: string, supplement?: CalendarSupplement): WorkingInstant {
  const start = parseInstant(startIso);
  let pos = wallOf(start, timeZone);
  let rest = Math.max(0, ms);
  const years = new Set<string>();
  for (let i = 0; i < 40_000; i++) {
    const day = Math.floor(pos / DAY_MS);
    const info = chinaDay(utcDayKey(day), supplement);
    if (info.provisional) years.add(info.date.slice(0, 4));
    const end = (day + 1) * DAY_MS;
    if (info.working && rest < end - pos) {
      const at = i === 0 && rest === 0 ? start : instantOfWall(pos + rest, timeZone);
      return { at: new Date(at).toISOString(), provisionalYears: [...years] };
    }
    if (info.working) rest -= end - pos;
    pos = end;
  }
  throw new InvalidDurationError(`no working day within 100 years of ${startIso}`);
}

/** Working time between two instants (0 when `toIso` is not after `fromIso`). */
export function workingMsBetween(
  fromIso: string,
  toIso: string,
  timeZone: string,
  supplement?: CalendarSupplement,
): { readonly ms: number; readonly provisionalYears: readonly string[] } {
  const from = wallOf(parseInstant(fromIso), timeZone);
  const to = wallOf(parseInstant(toIso), timeZone);
  let ms = 0;
  const years = new Set<string>();
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const info = chinaDay(utcDayKey(day), supplement);
    if (info.provisional) years.add(info.date.slice(0, 4));
    if (info.working) ms += Math.min(to, (day + 1) * DAY_MS) - Math.max(from, day * DAY_MS);
  }
  return { ms, provisionalYears: [...years] };
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
