/**
 * Per-cycle and end-to-end times of a complaint (H-14, H-34). The operator's time of a cycle runs
 * from its start (receipt, or the reopen) to the written result reaching the customer; the
 * customer's survey wait is not part of it. End to end runs from receipt to close.
 */
import { parseInstant } from './calendar';
import type { Complaint, HandlingCycle } from './types';

export interface CycleTimes extends HandlingCycle {
  /** The cycle still being handled. */
  readonly current: boolean;
  /** Start to result notice (or to `now` while handled), minus the paused time inside it; ms. */
  readonly operatorMs: number;
  /** Paused time inside the cycle (waiting on the customer); ms. */
  readonly pausedMs: number;
}

export interface ComplaintTimes {
  readonly cycles: readonly CycleTimes[];
  readonly endToEnd: { readonly from: string; readonly to: string | null; readonly elapsedMs: number };
}

function pausedWithin(c: Complaint, from: number, to: number): number {
  const spans = [...c.pauses.map((p) => [parseInstant(p.from), parseInstant(p.to)] as const)];
  if (c.pause) spans.push([parseInstant(c.pause.since), to] as const);
  return spans.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0);
}

function timesOf(c: Complaint, cycle: HandlingCycle, current: boolean, now: number): CycleTimes {
  const start = parseInstant(cycle.startedAt);
  const end = cycle.resultNotifiedAt ? parseInstant(cycle.resultNotifiedAt) : now;
  const pausedMs = pausedWithin(c, start, end);
  return { ...cycle, current, pausedMs, operatorMs: Math.max(0, end - start - pausedMs) };
}

/** The cycle being handled, read from the complaint's points (a reopen stores it in `cycles`). */
export function currentCycle(c: Complaint): HandlingCycle {
  return {
    cycle: c.reopenCount + 1,
    startedAt: c.points.reopened ?? c.receivedAt,
    ...(c.points.responded ? { respondedAt: c.points.responded } : {}),
    ...(c.points.resolved ? { resolvedAt: c.points.resolved } : {}),
    ...(c.points['result-notified'] ? { resultNotifiedAt: c.points['result-notified'] } : {}),
  };
}

export function complaintTimes(c: Complaint, now: string): ComplaintTimes {
  const n = parseInstant(now);
  const handling = c.status !== 'closed' && c.status !== 'failed';
  const cycles = [...(c.cycles ?? []).map((k) => timesOf(c, k, false, n)), timesOf(c, currentCycle(c), handling, n)];
  const closedAt = c.points.closed ?? null;
  const to = closedAt ? parseInstant(closedAt) : n;
  return { cycles, endToEnd: { from: c.receivedAt, to: closedAt, elapsedMs: Math.max(0, to - parseInstant(c.receivedAt)) } };
}
