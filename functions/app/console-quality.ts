/**
 * The console's quality view (H-40 targets) over complaints closed in a period (pure).
 * - SLA compliance per clock: share of closed complaints whose clock never breached.
 * - Satisfaction: share of answered surveys that are satisfied (score 4 or 5; without a score,
 *   "solved"); unanswered surveys are counted apart, not as unsatisfied. Target 95 %.
 * - First response: receipt → the H-01 clock met (acknowledged), averaged. Target 20 minutes.
 * - Reopen rate: share of closed complaints reopened at least once (H-34).
 */
import { fromLocal, toLocal } from '../domain/calendar';
import { SURVEY_CLOCK_ID, clockDefinition } from '../domain/clocks';
import type { Complaint } from '../domain/types';
import type { SlaPolicy } from '../../workflows/sla-policy';

export const SATISFACTION_TARGET = 0.95;
export const FIRST_RESPONSE_TARGET_MS = 20 * 60_000;
export const FIRST_RESPONSE_CLOCK = 'H-01';
/** Longest period the view reads at once (one index query per month). */
export const MAX_PERIOD_DAYS = 366;

export interface Period {
  /** Local dates (policy time zone), both inclusive. */
  readonly from: string;
  readonly to: string;
  /** The instants bounding them: [fromIso, toIso). */
  readonly fromIso: string;
  readonly toIso: string;
}

export class InvalidPeriodError extends Error {
  override readonly name = 'InvalidPeriodError';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function civil(date: string): { year: number; month: number; day: number } {
  const m = DATE.exec(date);
  if (!m) throw new InvalidPeriodError(`'${date}' is not a date (YYYY-MM-DD)`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new InvalidPeriodError(`'${date}' is not a date`);
  return { year, month, day };
}

const startOfLocalDay = (d: { year: number; month: number; day: number }, tz: string) =>
  fromLocal({ ...d, hour: 0, minute: 0, second: 0, millisecond: 0 }, tz);

function localDate(ms: number, tz: string): string {
  const l = toLocal(ms, tz);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/** `from`/`to` query parameters (local dates, inclusive); default: the 30 days ending today. */
export function parsePeriod(query: Readonly<Record<string, string | undefined>> | null, now: string, timeZone: string): Period {
  const nowMs = Date.parse(now);
  const to = query?.to?.trim() || localDate(nowMs, timeZone);
  const toDay = civil(to);
  // Civil-date arithmetic: UTC here only counts days back from `to`.
  const from = query?.from?.trim() || localDate(Date.UTC(toDay.year, toDay.month - 1, toDay.day) - 29 * DAY_MS, 'UTC');
  const fromDay = civil(from);
  if (from > to) throw new InvalidPeriodError(`the period starts (${from}) after it ends (${to})`);
  const days = (Date.UTC(toDay.year, toDay.month - 1, toDay.day) - Date.UTC(fromDay.year, fromDay.month - 1, fromDay.day)) / DAY_MS + 1;
  if (days > MAX_PERIOD_DAYS) throw new InvalidPeriodError(`the period is ${days} days; at most ${MAX_PERIOD_DAYS}`);
  const next = new Date(Date.UTC(toDay.year, toDay.month - 1, toDay.day) + DAY_MS);
  const fromMs = startOfLocalDay(fromDay, timeZone);
  const toMs = startOfLocalDay({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, timeZone);
  return { from, to, fromIso: new Date(fromMs).toISOString(), toIso: new Date(toMs).toISOString() };
}

export interface ClockCompliance {
  readonly id: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly clause: string;
  readonly total: number;
  readonly onTime: number;
  readonly rate: number;
}

export interface Quality {
  readonly closed: number;
  readonly clocks: readonly ClockCompliance[];
  readonly satisfaction: { readonly answered: number; readonly satisfied: number; readonly noAnswer: number; readonly rate: number | null; readonly target: number };
  readonly firstResponse: { readonly count: number; readonly averageMs: number | null; readonly withinTarget: number; readonly targetMs: number };
  readonly reopen: { readonly reopened: number; readonly rate: number | null };
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

export function isSatisfied(survey: { solved: boolean; score?: number }): boolean {
  return survey.score !== undefined ? survey.score >= 4 : survey.solved;
}

export function computeQuality(closed: readonly Complaint[], policy: SlaPolicy): Quality {
  const byClock = new Map<string, { total: number; onTime: number }>();
  let answered = 0;
  let satisfied = 0;
  let noAnswer = 0;
  const responses: number[] = [];
  let reopened = 0;
  for (const c of closed) {
    for (const s of Object.values(c.clocks)) {
      if (s.id === SURVEY_CLOCK_ID) continue;
      const entry = byClock.get(s.id) ?? { total: 0, onTime: 0 };
      entry.total += 1;
      if (!s.breachedAt) entry.onTime += 1;
      byClock.set(s.id, entry);
    }
    const survey = c.survey;
    if (survey && 'solved' in survey) {
      answered += 1;
      if (isSatisfied(survey)) satisfied += 1;
    } else if (survey) noAnswer += 1;
    const first = c.clocks[FIRST_RESPONSE_CLOCK];
    if (first?.metAt) responses.push(Date.parse(first.metAt) - Date.parse(c.receivedAt));
    if (c.reopenCount > 0) reopened += 1;
  }
  // Policy order first (as the handbook lists them), then clocks the policy no longer has.
  const order = policy.clocks.map((c) => c.id);
  const ids = [...byClock.keys()].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a.localeCompare(b);
  });
  const clocks = ids.map((id) => {
    const { total, onTime } = byClock.get(id)!;
    const def = clockDefinition(policy, id);
    return { id, title: def?.title ?? { zh: id, en: id }, clause: def?.clause ?? '', total, onTime, rate: onTime / total };
  });
  return {
    closed: closed.length,
    clocks,
    satisfaction: { answered, satisfied, noAnswer, rate: ratio(satisfied, answered), target: SATISFACTION_TARGET },
    firstResponse: {
      count: responses.length,
      averageMs: responses.length ? responses.reduce((a, b) => a + b, 0) / responses.length : null,
      withinTarget: responses.filter((ms) => ms <= FIRST_RESPONSE_TARGET_MS).length,
      targetMs: FIRST_RESPONSE_TARGET_MS,
    },
    reopen: { reopened, rate: ratio(reopened, closed.length) },
  };
}
