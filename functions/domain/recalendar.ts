/**
 * H-12: adding a year's official holiday schedule (SLA policy `calendarSupplement`, or a newer
 * calendar package) recomputes the working-day clocks whose deadlines were provisional.
 *
 * A provisional deadline counted a year without an official schedule: its statutory days were
 * derived from the law, its bridge days and make-up working days unknown. Once the schedule is
 * there, each active working-day clock is computed again from its start, its pauses (the windows
 * that held it, up to the pause cap) and the current calendar: deadline, unsent warnings and the
 * provisional flag. Warnings already sent stay where they were. A clock already breached keeps
 * its breach and escalations (they were sent on the deadline known then); its later ladder steps
 * follow the new deadline. Pure: the caller stores the complaint, the audit lines, and tells the
 * workflow when `changed` (its timer may have moved).
 */
import { addDuration, addWorkingMs, CALENDAR_COVERAGE, describeMs, formatLocal, workingMsBetween } from './calendar';
import { clockDefinition, clockHeader, creditedPauseWindows, type PauseWindow, warningInstants } from './clocks';
import { type ClockPolicy, clockDurationFor, type SlaPolicy } from './sla-policy';
import type { AuditEvent, ClockState, Complaint } from './types';

export interface RecalendarResult {
  readonly complaint: Complaint;
  readonly audit: readonly AuditEvent[];
  /** Some clock's deadline, warnings or provisional flag changed. */
  readonly changed: boolean;
}

const isActive = (s: ClockState) => s.status === 'running' || s.status === 'breached' || s.status === 'paused';
/** Clocks stored before the flag existed said so only in their explanation. */
const wasProvisional = (s: ClockState) => s.provisional === true || s.explanation.includes('PROVISIONAL');

export function recalendarClocks(c: Complaint, policy: SlaPolicy, now: string): RecalendarResult {
  const clocks: Record<string, ClockState> = { ...c.clocks };
  const audit: AuditEvent[] = [];
  for (const s of Object.values(c.clocks)) {
    const def = clockDefinition(policy, s.id);
    if (def?.calendar !== 'cn-working-days' || !isActive(s) || !wasProvisional(s)) continue;
    const next = recomputed(c, s, def, policy, now);
    if (!next) continue;
    clocks[s.id] = next.clock;
    audit.push({
      at: now,
      type: 'clock-recalculated',
      actor: 'system',
      detail: { clockId: s.id, from: s.deadline, to: next.clock.deadline, reason: next.reason },
    });
  }
  if (audit.length === 0) return { complaint: c, audit, changed: false };
  return { complaint: { ...c, clocks }, audit, changed: true };
}

/** The windows that moved this clock: pauses after its start, and not the one it is still frozen in. */
function pauseWindowsOf(c: Complaint, s: ClockState, def: ClockPolicy): PauseWindow[] {
  if (!def.pausable) return [];
  const frozenSince = s.status === 'paused' ? c.pause?.since : undefined;
  return creditedPauseWindows(c).filter((w) => w.from >= s.startedAt && w.from !== frozenSince);
}

/** The clock computed again on the current calendar; undefined when nothing changes. */
function recomputed(
  c: Complaint,
  s: ClockState,
  def: ClockPolicy,
  policy: SlaPolicy,
  now: string,
): { clock: ClockState; reason: string } | undefined {
  const { timeZone: tz, calendarSupplement: supplement } = policy;
  const duration = clockDurationFor(def, c.channel);
  const base = addDuration(s.startedAt, duration, 'cn-working-days', tz, supplement);
  let deadline = base.deadline;
  let warnAt = warningInstants(def, duration, s.startedAt, base.deadline, policy);
  const years = new Set(base.provisionalYears);
  const notes: string[] = [];
  for (const w of pauseWindowsOf(c, s, def)) {
    const lost = workingMsBetween(w.from, w.to, tz, supplement);
    const moved = addWorkingMs(deadline, lost.ms, tz, supplement);
    warnAt = warnAt.map((x) => addWorkingMs(x, lost.ms, tz, supplement).at);
    for (const y of [...lost.provisionalYears, ...moved.provisionalYears]) years.add(y);
    notes.push(`paused ${formatLocal(w.from, tz)} → ${formatLocal(w.to, tz)}: lost ${describeMs(lost.ms)} of working time`);
    deadline = moved.at;
  }
  // Warnings already sent stay (they are how the ladder knows what went out).
  warnAt = warnAt.map((x, i) => (s.warnAt[i] !== undefined && s.warningsSent.includes(s.warnAt[i]) ? s.warnAt[i] : x));
  const provisional = years.size > 0;
  if (deadline === s.deadline && provisional === (s.provisional ?? true) && warnAt.join() === s.warnAt.join()) return undefined;

  const reason = officialReason(s, deadline, policy);
  const breachNote = s.breachedAt
    ? ` (the breach at ${formatLocal(s.breachedAt, tz)} stands: it was escalated on the deadline known then)`
    : '';
  const { provisional: _old, ...rest } = s;
  const clock: ClockState = {
    ...rest,
    deadline,
    warnAt,
    explanation:
      clockHeader(def, policy, c.channel) +
      base.explanation +
      notes.map((n) => `; ${n}`).join('') +
      `; recalculated ${formatLocal(now, tz)}: ${reason} moved the deadline from ${formatLocal(s.deadline, tz)} to ${formatLocal(deadline, tz)}${breachNote}`,
    ...(provisional ? { provisional: true } : {}),
  };
  return { clock, reason };
}

/** Which official schedule made the difference: the supplied years the clock spans, with their source. */
function officialReason(s: ClockState, deadline: string, policy: SlaPolicy): string {
  const first = Number(formatLocal(s.startedAt, policy.timeZone).slice(0, 4));
  const last = Number(formatLocal(deadline > s.deadline ? deadline : s.deadline, policy.timeZone).slice(0, 4));
  const official: string[] = [];
  for (let y = Math.max(first, CALENDAR_COVERAGE.to + 1); y <= last; y++) {
    const supplied = policy.calendarSupplement?.[String(y)];
    if (supplied) official.push(`${y} (${supplied.source})`);
  }
  return official.length
    ? `the official holiday schedule for ${official.join(', ')}`
    : 'the official holiday schedule in the calendar data';
}
