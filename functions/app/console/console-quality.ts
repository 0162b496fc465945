/**
 * The console's quality view (H-36, H-40 targets, H-06) over the complaints archived in a period:
 * closed, or failed (a person took them over). Pure: it reads the period's summed counters
 * (domain/quality.ts defines each one), never the complaints themselves.
 * - SLA compliance per clock: met on time / clocks with an outcome; met late and breached are
 *   shown apart; a failed complaint's clock not yet due when it failed has no outcome (pending).
 * - Satisfaction: share of answered surveys that are satisfied (score 4 or 5; without a score,
 *   "solved"); unanswered surveys are counted apart, not as unsatisfied. Target 95 %.
 * - First response (H-01): receipt → the H-01 clock met (acknowledged), averaged. Target 20 minutes.
 * - Handling response (H-06): receipt → the later of dispatched and acknowledged (the owning team
 *   has taken the work order and answered the customer), averaged. Target 45 minutes.
 * - Reopen rate: share of archived complaints reopened at least once (H-34).
 * - Improvement measures recorded in the period (H-36), with who recorded them.
 */

import { fromLocal, toLocal } from '../../domain/calendar';
import { clockDefinition } from '../../domain/clocks';
import {
  addCounters,
  type ClockOutcome,
  COUNTER,
  type Counters,
  FIRST_RESPONSE_TARGET_MS,
  HANDLING_RESPONSE_TARGET_MS,
  parseClockCounter,
  qualityContribution,
} from '../../domain/quality';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { Complaint } from '../../domain/types';
import type { Improvement, QualityData } from '../ports';

export { FIRST_RESPONSE_TARGET_MS, HANDLING_RESPONSE_TARGET_MS, isSatisfied } from '../../domain/quality';
export const SATISFACTION_TARGET = 0.95;
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
  /** Clocks with an outcome (met on time, met late, breached). */
  readonly total: number;
  readonly onTime: number;
  readonly late: number;
  readonly breached: number;
  /** Clocks of failed complaints not yet due when they failed: no outcome, not in the rate. */
  readonly pending: number;
  /** onTime / total; null while no clock has an outcome. */
  readonly rate: number | null;
}

export interface ResponseTime {
  readonly count: number;
  readonly averageMs: number | null;
  readonly withinTarget: number;
  readonly targetMs: number;
}

export interface Quality {
  readonly closed: number;
  readonly failed: number;
  readonly clocks: readonly ClockCompliance[];
  readonly satisfaction: {
    readonly answered: number;
    readonly satisfied: number;
    readonly noAnswer: number;
    readonly rate: number | null;
    readonly target: number;
  };
  readonly firstResponse: ResponseTime;
  /** H-06: receipt → the later of dispatched and acknowledged. */
  readonly handlingResponse: ResponseTime;
  readonly reopen: { readonly reopened: number; readonly rate: number | null };
  readonly byTeam: Readonly<Record<string, { readonly closed: number; readonly failed: number }>>;
  readonly improvements: readonly Improvement[];
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

function responseTime(n: Counters, count: string, sumMs: string, within: string, targetMs: number): ResponseTime {
  const c = n[count] ?? 0;
  return { count: c, averageMs: c ? (n[sumMs] ?? 0) / c : null, withinTarget: n[within] ?? 0, targetMs };
}

function clockCompliance(n: Counters, policy: SlaPolicy): ClockCompliance[] {
  const byClock = new Map<string, Record<ClockOutcome, number>>();
  for (const [name, value] of Object.entries(n)) {
    const parsed = parseClockCounter(name);
    if (!parsed) continue;
    const entry = byClock.get(parsed[0]) ?? { onTime: 0, late: 0, breached: 0, pending: 0 };
    entry[parsed[1]] += value;
    byClock.set(parsed[0], entry);
  }
  // Policy order first (as the handbook lists them), then clocks the policy no longer has.
  const order = policy.clocks.map((c) => c.id);
  const rank = (id: string) => (order.indexOf(id) < 0 ? Infinity : order.indexOf(id));
  return [...byClock.keys()]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((id) => {
      const o = byClock.get(id)!;
      const total = o.onTime + o.late + o.breached;
      const def = clockDefinition(policy, id);
      return { id, title: def?.title ?? { zh: id, en: id }, clause: def?.clause ?? '', total, ...o, rate: ratio(o.onTime, total) };
    })
    .filter((c) => c.total + c.pending > 0);
}

/** The quality view from a period's data (the store's day aggregates summed). */
export function qualityFromData(data: QualityData, policy: SlaPolicy): Quality {
  const n = data.counters;
  const closed = n[COUNTER.closed] ?? 0;
  const failed = n[COUNTER.failed] ?? 0;
  const answered = n[COUNTER.answered] ?? 0;
  const satisfied = n[COUNTER.satisfied] ?? 0;
  const reopened = n[COUNTER.reopened] ?? 0;
  return {
    closed,
    failed,
    clocks: clockCompliance(n, policy),
    satisfaction: {
      answered,
      satisfied,
      noAnswer: n[COUNTER.noAnswer] ?? 0,
      rate: ratio(satisfied, answered),
      target: SATISFACTION_TARGET,
    },
    firstResponse: responseTime(n, COUNTER.firstCount, COUNTER.firstSumMs, COUNTER.firstWithin, FIRST_RESPONSE_TARGET_MS),
    handlingResponse: responseTime(n, COUNTER.handlingCount, COUNTER.handlingSumMs, COUNTER.handlingWithin, HANDLING_RESPONSE_TARGET_MS),
    reopen: { reopened, rate: ratio(reopened, closed + failed) },
    byTeam: data.byTeam,
    improvements: data.improvements,
  };
}

/** The quality of archived complaints, counted one by one (what the day aggregates add up to). */
export function computeQuality(archived: readonly Complaint[], policy: SlaPolicy, improvements: readonly Improvement[] = []): Quality {
  const counters = archived.reduce<Counters>((sum, c) => addCounters(sum, qualityContribution(c)), {});
  const byTeam: Record<string, { closed: number; failed: number }> = {};
  for (const c of archived) {
    const team = (byTeam[c.team ?? c.classification?.team ?? 'unassigned'] ??= { closed: 0, failed: 0 });
    if (c.status === 'closed') team.closed += 1;
    if (c.status === 'failed') team.failed += 1;
  }
  return qualityFromData({ counters, byTeam, improvements }, policy);
}
