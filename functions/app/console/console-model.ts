/**
 * What the console shows, computed from complaints (pure: no I/O, `now` from the caller):
 * filters, rows of open complaints with one bar per clock, and the bar state (on time, warned,
 * breached) decided in one place so the list and the complaint page never disagree.
 */
import { type ClockView, viewClocks } from '../../domain/clocks';
import type { SlaPolicy } from '../../domain/sla-policy';
import { type Complaint, SERVICE_TYPES, SEVERITIES, type ServiceType, type Severity, TEAMS, type Team } from '../../domain/types';

/** 'met' and 'met-late' are finished clocks; the others are still active. */
export type BarState = 'on-time' | 'warned' | 'breached' | 'met' | 'met-late';

export interface ClockBar {
  readonly view: ClockView;
  readonly state: BarState;
  readonly paused: boolean;
  /** 0..1, for the bar's width (elapsedFraction capped: an overdue bar is full). */
  readonly fill: number;
}

export interface ConsoleFilters {
  readonly team?: Team;
  readonly severity?: Severity;
  readonly serviceType?: ServiceType;
}

export class InvalidFilterError extends Error {
  override readonly name = 'InvalidFilterError';
  constructor(readonly fields: readonly string[]) {
    super(`invalid console filter: ${fields.join(', ')}`);
  }
}

/** Query parameters → filters; an empty value means "all", an unknown one is refused (naming it). */
export function parseFilters(query: Readonly<Record<string, string | undefined>> | null): ConsoleFilters {
  const bad: string[] = [];
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = query?.[name]?.trim();
    if (!value) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    bad.push(name);
    return undefined;
  };
  const filters = { team: pick('team', TEAMS), severity: pick('severity', SEVERITIES), serviceType: pick('serviceType', SERVICE_TYPES) };
  if (bad.length) throw new InvalidFilterError(bad);
  return filters;
}

/** A clock that stopped: met, or met late (after its deadline). */
export const isFinished = (v: Pick<ClockView, 'status'>) => v.status === 'met' || v.status === 'met-late';

/** Bar state of one clock: a clock met after its deadline is 'met-late', never 'met' (H-40). */
export function barState(v: ClockView): BarState {
  if (v.status === 'met-late' || (v.status === 'met' && v.breachedAt)) return 'met-late';
  if (v.status === 'met') return 'met';
  if (v.breachedAt || (v.remainingMs !== null && v.remainingMs < 0)) return 'breached';
  return v.warned ? 'warned' : 'on-time';
}

export function clockBars(c: Complaint, now: string, policy: SlaPolicy): ClockBar[] {
  return viewClocks(c, now, policy).map((view) => ({
    view,
    state: barState(view),
    paused: view.status === 'paused',
    fill: Math.min(1, view.elapsedFraction),
  }));
}

export interface OpenRow {
  readonly complaint: Complaint;
  /** The clocks still running (or paused, or breached and not yet met): what the list shows. */
  readonly bars: readonly ClockBar[];
  /** Least time left over the active clocks (ms; negative when overdue), for sorting. */
  readonly urgency: number;
  readonly worst: BarState;
}

const teamOf = (c: Complaint) => c.team ?? c.classification?.team;
const RANK: Record<BarState, number> = { met: 0, 'met-late': 0, 'on-time': 1, warned: 2, breached: 3 };

export function matchesFilters(c: Complaint, f: ConsoleFilters): boolean {
  return (
    (!f.team || teamOf(c) === f.team) &&
    (!f.severity || c.classification?.severity === f.severity) &&
    (!f.serviceType || (c.classification?.serviceType ?? c.serviceType) === f.serviceType)
  );
}

const failedFirst = (a: Complaint, b: Complaint) => Number(b.status === 'failed') - Number(a.status === 'failed');

/**
 * Open complaints matching the filters: those whose loop failed first (a person must take them
 * over, and their regulatory clocks still run), then the most urgent.
 */
export function openRows(complaints: readonly Complaint[], filters: ConsoleFilters, now: string, policy: SlaPolicy): OpenRow[] {
  return complaints
    .filter((c) => c.status !== 'closed' && matchesFilters(c, filters))
    .map((complaint) => {
      const bars = clockBars(complaint, now, policy).filter((b) => !isFinished(b.view));
      const urgency = bars.reduce((m, b) => Math.min(m, b.view.remainingMs ?? Infinity), Infinity);
      const worst = bars.reduce<BarState>((w, b) => (RANK[b.state] > RANK[w] ? b.state : w), 'on-time');
      return { complaint, bars, urgency, worst };
    })
    .sort(
      (a, b) =>
        failedFirst(a.complaint, b.complaint) ||
        RANK[b.worst] - RANK[a.worst] ||
        a.urgency - b.urgency ||
        a.complaint.id.localeCompare(b.complaint.id),
    );
}

/** Counts per bar state over the rows' worst states (the summary line above the list). */
export function stateCounts(rows: readonly OpenRow[]): Record<Exclude<BarState, 'met' | 'met-late'>, number> {
  const counts = { 'on-time': 0, warned: 0, breached: 0 };
  for (const r of rows) if (r.worst !== 'met' && r.worst !== 'met-late') counts[r.worst] += 1;
  return counts;
}
