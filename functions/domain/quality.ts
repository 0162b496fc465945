/**
 * What one archived complaint adds to the quality data (H-36, H-40, H-06), as flat counters that
 * add up. A complaint is archived once, when it closes or fails; the store adds its counters to
 * the day's aggregate in the same write, so the quality view sums a few aggregates instead of
 * reading every complaint of the period.
 *
 * Definitions (the console's quality view and the README say the same):
 * - First response (H-01, H-40): receipt → the H-01 clock met (acknowledged). Target 20 minutes.
 * - Handling response (H-06 §2.2 "服务处理平均响应时间", average within 45 minutes): receipt → the
 *   first instant at which the owning team has both taken the work order and answered the
 *   customer, i.e. the later of `dispatched` and `acknowledged`. Counted once both happened.
 * - Each clock ends in one outcome: on time (met by its deadline), late (met after it: 'met-late'),
 *   breached (never met, its deadline passed), pending (a failed complaint's clock not yet due
 *   when the complaint failed: no outcome yet, so it is left out of the rate).
 */

import { toLocal } from './calendar';
import { SURVEY_CLOCK_ID } from './clocks';
import { type ClockState, type Complaint, surveyAnswer } from './types';

export const FIRST_RESPONSE_TARGET_MS = 20 * 60_000;
export const FIRST_RESPONSE_CLOCK = 'H-01';
/** H-06 §2.2: 服务处理平均响应时间应控制在45分钟以内. */
export const HANDLING_RESPONSE_TARGET_MS = 45 * 60_000;

export type Counters = Readonly<Record<string, number>>;

/** An improvement measure (H-36): who recorded what, drawn from which complaint. */
export interface Improvement {
  readonly at: string;
  readonly complaintId: string;
  readonly actor: string;
  readonly measure: string;
  readonly category?: string;
}
export type ClockOutcome = 'onTime' | 'late' | 'breached' | 'pending';
export const CLOCK_OUTCOMES: readonly ClockOutcome[] = ['onTime', 'late', 'breached', 'pending'];

/** Counter names: plain measures, and `clock.<id>.<outcome>` per clock. */
export const COUNTER = {
  closed: 'closed',
  failed: 'failed',
  answered: 'survey.answered',
  satisfied: 'survey.satisfied',
  noAnswer: 'survey.noAnswer',
  reopened: 'reopened',
  firstCount: 'firstResponse.count',
  firstSumMs: 'firstResponse.sumMs',
  firstWithin: 'firstResponse.withinTarget',
  handlingCount: 'handlingResponse.count',
  handlingSumMs: 'handlingResponse.sumMs',
  handlingWithin: 'handlingResponse.withinTarget',
} as const;

export const clockCounter = (id: string, outcome: ClockOutcome) => `clock.${id}.${outcome}`;

/** `clock.<id>.<outcome>` → [id, outcome], or undefined for other counters. */
export function parseClockCounter(name: string): [string, ClockOutcome] | undefined {
  const m = /^clock\.(.+)\.(onTime|late|breached|pending)$/.exec(name);
  return m ? [m[1]!, m[2] as ClockOutcome] : undefined;
}

export function isSatisfied(survey: { solved: boolean; score?: number }): boolean {
  return survey.score !== undefined ? survey.score >= 4 : survey.solved;
}

/** When the complaint was archived: closed, or failed (then a person owns it). */
export function archivedAt(c: Pick<Complaint, 'status' | 'points' | 'failedAt'>): string | undefined {
  if (c.status === 'closed') return c.points.closed;
  if (c.status === 'failed') return c.failedAt;
  return undefined;
}

/** How a clock ended, as stopped at close or as it stood at failure (`at`). */
export function clockOutcome(s: ClockState, at: string): ClockOutcome {
  if (s.status === 'met') return s.breachedAt ? 'late' : 'onTime';
  if (s.status === 'met-late') return 'late';
  if (s.breachedAt || s.deadline <= at) return 'breached';
  return 'pending';
}

/** When H-01 was met by the acknowledgement (a clock merely stopped at close was never met). */
function firstResponseAt(c: Complaint): string | undefined {
  const s = c.clocks[FIRST_RESPONSE_CLOCK];
  return s && (s.status === 'met' || s.status === 'met-late') ? s.metAt : undefined;
}

/** Receipt → the later of dispatched and acknowledged (H-06 handling response); undefined until both. */
export function handlingResponseMs(c: Pick<Complaint, 'receivedAt' | 'points'>): number | undefined {
  const { dispatched, acknowledged } = c.points;
  if (!dispatched || !acknowledged) return undefined;
  const handled = [dispatched, acknowledged].sort()[1]!;
  return Date.parse(handled) - Date.parse(c.receivedAt);
}

/** The counters an archived complaint adds (empty for one not archived). */
export function qualityContribution(c: Complaint): Counters {
  const at = archivedAt(c);
  if (!at) return {};
  const out: Record<string, number> = {};
  const add = (name: string, n = 1) => {
    out[name] = (out[name] ?? 0) + n;
  };
  add(c.status === 'closed' ? COUNTER.closed : COUNTER.failed);
  for (const s of Object.values(c.clocks)) {
    if (s.id !== SURVEY_CLOCK_ID) add(clockCounter(s.id, clockOutcome(s, at)));
  }
  const answer = surveyAnswer(c);
  if (answer) {
    add(COUNTER.answered);
    if (isSatisfied(answer)) add(COUNTER.satisfied);
  } else if (c.survey) add(COUNTER.noAnswer);
  if (c.reopenCount > 0) add(COUNTER.reopened);
  const first = firstResponseAt(c);
  if (first) {
    const ms = Date.parse(first) - Date.parse(c.receivedAt);
    add(COUNTER.firstCount);
    add(COUNTER.firstSumMs, ms);
    if (ms <= FIRST_RESPONSE_TARGET_MS) add(COUNTER.firstWithin);
  }
  const handling = handlingResponseMs(c);
  if (handling !== undefined) {
    add(COUNTER.handlingCount);
    add(COUNTER.handlingSumMs, handling);
    if (handling <= HANDLING_RESPONSE_TARGET_MS) add(COUNTER.handlingWithin);
  }
  return out;
}

export function addCounters(a: Counters, b: Counters): Counters {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The local date (YYYY-MM-DD) of an instant in the policy time zone. */
export function localDay(iso: string, timeZone: string): string {
  const l = toLocal(Date.parse(iso), timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/** Where an archived complaint's counters go: the local day it was archived (policy time zone) and its team. */
export function qualityBucket(c: Complaint, timeZone: string): { readonly day: string; readonly team: string } | undefined {
  const at = archivedAt(c);
  if (!at) return undefined;
  return { day: localDay(at, timeZone), team: c.team ?? c.classification?.team ?? 'unassigned' };
}
