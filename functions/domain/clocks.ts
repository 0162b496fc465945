/**
 * The clocks kept on one complaint (pure: Complaint in, new Complaint out, never mutated).
 * One place decides what is due (dueClockEvents/nextDueAt) from the SLA policy and the
 * stored deadlines, so adding a clock changes data, not the workflow.
 *
 * Conventions:
 * - All instants are ISO 8601 UTC strings; `now`/`at` always come from the caller.
 * - A clock is "active" while running, breached (deadline passed, not yet met) or paused.
 * - Warnings go to the owner before the deadline, only while no escalation happened yet.
 * - Escalation level 1 is due at the deadline (that is the breach); level n+1 when level n
 *   stays unacknowledged for the ladder step's `after` (default: the clock's own duration),
 *   extended by pauses of a pausable clock. An escalation's `at` is its due instant, so a
 *   late tick does not push the rest of the ladder later.
 * - The survey window (H-33) is kept as the clock SURVEY_CLOCK_ID: its warning is the
 *   customer's reminder ('survey-reminder'), its deadline closes the survey ('survey-closed').
 * - A working-day clock (H-12) measures in working time (calendar.ts): its warnings sit at a
 *   fraction of the working time, and a pause moves it by the working time that fell inside
 *   the pause (a weekend or 国庆 moves it by nothing). Wall-clock clocks move by elapsed time.
 * - The policy's pause cap (pause.maxTotal) limits the paused time credited to the clocks;
 *   when it runs out during a pause, 'pause-cap-reached' makes the frozen clocks run again.
 */
import {
  addDuration,
  addWorkingMs,
  type Duration,
  describeMs,
  formatLocal,
  parseInstant,
  parseIsoDurationMs,
  type WorkingInstant,
  workingDaysMs,
  workingMsBetween,
} from './calendar';
import { EscalationNotFoundError, EventNotAllowedError } from './errors';
import { activeClocks, type ClockPolicy, clockDurationFor, clockStopsAt, type EscalationTarget, type SlaPolicy } from './sla-policy';
import type { AuditEvent, Channel, ClockState, Complaint, Escalation, LifecyclePoint, PauseRecord } from './types';

export const SURVEY_CLOCK_ID = 'H-33-survey';
/** A clock event that runs later than this after its due time is recorded as late (a busy machine, a high time scale). */
const LATE_AFTER_MS = 60_000;

export type ClockEventKind = 'warning' | 'warning-skipped' | 'escalation' | 'survey-reminder' | 'survey-closed' | 'pause-cap-reached';
export type ClockRecipient = 'owner' | EscalationTarget | 'customer';

export interface ClockEvent {
  readonly clockId: string;
  readonly kind: ClockEventKind;
  /** Escalation level (kind 'escalation'). */
  readonly level?: number;
  /** 'owner' for warnings (owner if known, else the team's supervisors), the contacts key for escalations, 'customer' for the survey; nobody is sent 'pause-cap-reached'. */
  readonly to: ClockRecipient;
  readonly dueAt: string;
}

/** The survey window as a clock definition (built from policy.survey). */
export function surveyClockPolicy(policy: SlaPolicy): ClockPolicy {
  return {
    id: SURVEY_CLOCK_ID,
    clause: '§2.3, §6.4',
    title: { zh: '满意度回访', en: 'Satisfaction survey' },
    starts: 'result-notified',
    stops: ['survey-answered'],
    from: 'point',
    duration: policy.survey.closesAfter,
    calendar: 'wall-clock',
    pausable: false,
    warnAt: [],
    escalation: [],
    continuesOnFailure: false,
    enabled: true,
    note: `H-33: reminder after ${policy.survey.reminderAfter}, closes unanswered after ${policy.survey.closesAfter}.`,
  };
}

/** The policy clock behind a clock on a complaint (undefined if the policy no longer has it). */
export function clockDefinition(policy: SlaPolicy, id: string): ClockPolicy | undefined {
  return id === SURVEY_CLOCK_ID ? surveyClockPolicy(policy) : policy.clocks.find((c) => c.id === id);
}

const iso = (ms: number) => new Date(ms).toISOString();
const isActive = (s: ClockState) => s.status === 'running' || s.status === 'breached' || s.status === 'paused';

function appliesTo(def: ClockPolicy, c: Complaint): boolean {
  if (!def.appliesTo) return true;
  // Without a classification the severity is unknown: severity-bound clocks do not start.
  const severity = c.classification?.severity;
  return severity !== undefined && def.appliesTo.includes(severity);
}

/** The start of a clock's explanation: policy, clock, whether it pauses, where it starts, the channel when it sets the duration (§4.1). */
export function clockHeader(def: ClockPolicy, policy: SlaPolicy, channel?: Channel): string {
  const channelNote = clockDurationFor(def, channel) !== def.duration ? ` (${channel} channel, §4.1)` : '';
  return (
    `policy ${policy.version}: ${def.id} (${def.clause}) ${def.title.en}, ` +
    `${def.pausable ? 'pausable' : 'never pauses'}, started ${def.from === 'received' ? 'at receipt' : `at ${def.starts}`}${channelNote}: `
  );
}

/** Warning instants (sorted fractions); a working-day clock's sit at that fraction of its working time, never on a holiday. */
export function warningInstants(def: ClockPolicy, duration: Duration, startedAt: string, deadline: string, policy: SlaPolicy): string[] {
  if (def.id === SURVEY_CLOCK_ID) {
    return [addDuration(startedAt, policy.survey.reminderAfter, 'wall-clock', policy.timeZone).deadline].filter((w) => w < deadline);
  }
  const fractions = [...def.warnAt].sort((a, b) => a - b);
  if (typeof duration !== 'string') {
    const budget = workingDaysMs(duration.workingDays);
    return fractions.map((f) => addWorkingMs(startedAt, Math.round(f * budget), policy.timeZone, policy.calendarSupplement).at);
  }
  const s = parseInstant(startedAt);
  const d = parseInstant(deadline);
  return fractions.map((f) => iso(s + Math.round(f * (d - s))));
}

export function startClock(def: ClockPolicy, c: Complaint, at: string, policy: SlaPolicy): ClockState {
  const startedAt = def.from === 'received' ? c.receivedAt : at;
  const duration = clockDurationFor(def, c.channel);
  const { deadline, explanation, provisional } = addDuration(startedAt, duration, def.calendar, policy.timeZone, policy.calendarSupplement);
  const base: ClockState = {
    id: def.id,
    startedAt,
    deadline,
    warnAt: warningInstants(def, duration, startedAt, deadline, policy),
    warningsSent: [],
    status: 'running',
    pausedMs: 0,
    escalations: [],
    explanation: clockHeader(def, policy, c.channel) + explanation,
    ...(provisional ? { provisional: true } : {}),
  };
  return clockStopsAt(def, def.starts) ? stopClock(base, at) : base;
}

export function stopClock(s: ClockState, at: string): ClockState {
  const late = at > s.deadline && s.status !== 'paused';
  const breachedAt = s.breachedAt ?? (late ? s.deadline : undefined);
  // H-40: a deadline kept late is not kept: 'met-late', never 'met'.
  return { ...s, status: breachedAt ? 'met-late' : 'met', metAt: at, breachedAt };
}

/**
 * Stamp a lifecycle point (first time only), stop the clocks it meets (met late keeps
 * breachedAt), start the clocks it starts (respecting appliesTo severities). A clock that is
 * started again (after a reopen) replaces the earlier one of the same id.
 */
export function recordPoint(c: Complaint, point: LifecyclePoint, at: string, policy: SlaPolicy): Complaint {
  const clocks: Record<string, ClockState> = { ...c.clocks };
  const defs = [...activeClocks(policy), surveyClockPolicy(policy)];
  for (const [id, s] of Object.entries(clocks)) {
    const def = clockDefinition(policy, id);
    if (def && clockStopsAt(def, point) && isActive(s)) clocks[id] = stopClock(s, at);
  }
  const withPoint: Complaint = { ...c, points: { ...c.points, [point]: c.points[point] ?? at } };
  for (const def of defs) {
    if (def.starts === point && appliesTo(def, withPoint)) clocks[def.id] = startClock(def, withPoint, at, policy);
  }
  return { ...withPoint, clocks };
}

/** An interval during which a pause held a complaint's pausable clocks. */
export interface PauseWindow {
  readonly from: string;
  readonly to: string;
}

/** Where a finished pause stopped holding the clocks (the cap may have ended it before `to`). */
const creditedEnd = (p: PauseRecord) => (p.capEndsAt !== undefined && p.capEndsAt < p.to ? p.capEndsAt : p.to);

/**
 * The windows in which pauses held the clocks, in order: finished pauses up to their credited end,
 * and the current pause once its cap is known (a clock still paused has not been moved by it yet).
 */
export function creditedPauseWindows(c: Complaint): PauseWindow[] {
  const done = c.pauses.map((p) => ({ from: p.from, to: creditedEnd(p) }));
  const live = c.pause?.capEndsAt ? [{ from: c.pause.since, to: c.pause.capEndsAt }] : [];
  return [...done, ...live].sort((a, b) => a.from.localeCompare(b.from));
}

/** When the policy's pause cap runs out for a pause beginning at `at` (undefined: no cap). */
function pauseCapEnd(c: Complaint, at: string, policy: SlaPolicy): string | undefined {
  const cap = policy.pause?.maxTotal;
  if (!cap) return undefined;
  const used = c.pauses.reduce((sum, p) => sum + Math.max(0, parseInstant(creditedEnd(p)) - parseInstant(p.from)), 0);
  return iso(parseInstant(at) + Math.max(0, parseIsoDurationMs(cap) - used));
}

/**
 * Waiting on the customer: pausable active clocks freeze (the never-pausing ones keep running).
 * With the pause cap used up nothing freezes. `by` is who paused (H-37).
 */
export function pauseClocks(c: Complaint, at: string, reason: string, policy: SlaPolicy, by?: string): Complaint {
  if (c.pause) throw new EventNotAllowedError(`complaint ${c.id} is already paused since ${c.pause.since}`, ['resumed', 'note']);
  const capEndsAt = pauseCapEnd(c, at, policy);
  const freezes = capEndsAt === undefined || capEndsAt > at;
  const clocks: Record<string, ClockState> = {};
  for (const [id, s] of Object.entries(c.clocks)) {
    const def = clockDefinition(policy, id);
    clocks[id] = freezes && def?.pausable && (s.status === 'running' || s.status === 'breached') ? { ...s, status: 'paused' } : s;
  }
  const pause = { since: at, reason, ...(by ? { by } : {}), ...(capEndsAt ? { capEndsAt } : {}) };
  return { ...c, status: 'paused', pause, clocks };
}

/** How a clock moves for a pause window: elapsed time, or the working time lost for a working-day clock. */
function pauseShift(
  def: ClockPolicy | undefined,
  w: PauseWindow,
  policy: SlaPolicy,
): { lost: string; shift: (t: string) => WorkingInstant } {
  const { timeZone, calendarSupplement } = policy;
  if (def?.calendar === 'cn-working-days') {
    const lost = workingMsBetween(w.from, w.to, timeZone, calendarSupplement);
    return {
      lost: `${describeMs(lost.ms)} of working time${lost.ms === 0 ? ' (only non-working days)' : ''}`,
      shift: (t) => addWorkingMs(t, lost.ms, timeZone, calendarSupplement),
    };
  }
  const ms = Math.max(0, parseInstant(w.to) - parseInstant(w.from));
  return { lost: describeMs(ms), shift: (t) => ({ at: iso(parseInstant(t) + ms), provisionalYears: [] }) };
}

/**
 * A paused clock runs again: its deadline and unsent warnings move by what it lost in the window.
 * `why` is the pause's reason and who paused, `capNote` says when the cap ended the window.
 */
function runAgain(s: ClockState, def: ClockPolicy | undefined, w: PauseWindow, policy: SlaPolicy, why: string, capNote = ''): ClockState {
  const tz = policy.timeZone;
  const { lost, shift } = pauseShift(def, w, policy);
  const moved = shift(s.deadline);
  const provisional = s.provisional || moved.provisionalYears.length > 0;
  const pausedMs = Math.max(0, parseInstant(w.to) - parseInstant(w.from));
  return {
    ...s,
    status: s.breachedAt ? 'breached' : 'running',
    deadline: moved.at,
    warnAt: s.warnAt.map((x) => (s.warningsSent.includes(x) ? x : shift(x).at)),
    pausedMs: s.pausedMs + pausedMs,
    explanation:
      `${s.explanation}; paused ${describeMs(pausedMs)} ${formatLocal(w.from, tz)} → ${formatLocal(w.to, tz)} (${why})${capNote}: lost ${lost}, ` +
      `deadline ${moved.at === s.deadline ? 'stays' : 'moved to'} ${formatLocal(moved.at, tz)}` +
      (moved.provisionalYears.length ? ` (PROVISIONAL: no official holiday schedule for ${moved.provisionalYears.join(', ')})` : ''),
    ...(provisional ? { provisional: true } : {}),
  };
}

/**
 * Paused clocks run again. A wall-clock deadline (and its unsent warnings) moves by the paused
 * time, a working-day one by the working time inside the pause; either only up to the pause cap.
 */
export function resumeClocks(c: Complaint, at: string, policy: SlaPolicy): Complaint {
  if (!c.pause) throw new EventNotAllowedError(`complaint ${c.id} is not paused`, []);
  const { since, reason, by, capEndsAt } = c.pause;
  const capped = capEndsAt !== undefined && capEndsAt < at;
  const window = { from: since, to: capped ? capEndsAt : at < since ? since : at };
  const why = `${reason}${by ? `, by ${by}` : ''}`;
  const capNote = capped
    ? `; the pause cap ${policy.pause?.maxTotal ?? ''} used up before the resume at ${formatLocal(at, policy.timeZone)}`
    : '';
  const clocks: Record<string, ClockState> = {};
  for (const [id, s] of Object.entries(c.clocks)) {
    clocks[id] = s.status === 'paused' ? runAgain(s, clockDefinition(policy, id), window, policy, why, capNote) : s;
  }
  const record: PauseRecord = { from: since, to: at, reason, ...(by ? { by } : {}), ...(capped ? { capEndsAt } : {}) };
  return { ...c, status: 'open', pause: undefined, pauses: [...c.pauses, record], clocks };
}

/**
 * The pause cap ran out during a pause (applied by the clock tick at 'pause-cap-reached'): the
 * frozen clocks run again, moved by the capped window, while the complaint stays paused.
 */
export function endCappedPause(c: Complaint, now: string, policy: SlaPolicy): Complaint {
  const p = c.pause;
  if (!p?.capEndsAt || p.capEndsAt > now) return c;
  const window = { from: p.since, to: p.capEndsAt };
  const why = `${p.reason}${p.by ? `, by ${p.by}` : ''}`;
  const capNote = `; the pause cap ${policy.pause?.maxTotal ?? ''} was used up: runs again while the complaint stays paused`;
  const clocks: Record<string, ClockState> = {};
  for (const [id, s] of Object.entries(c.clocks)) {
    clocks[id] = s.status === 'paused' ? runAgain(s, clockDefinition(policy, id), window, policy, why, capNote) : s;
  }
  return { ...c, clocks };
}

/**
 * When the next ladder step after `from` is due: `after` from it, moved by the pause windows that
 * began in between (by working time when `after` counts working days).
 */
function nextLevelDue(c: Complaint, def: ClockPolicy, from: string, after: Duration, policy: SlaPolicy): string {
  const { timeZone, calendarSupplement } = policy;
  const calendar = typeof after === 'string' ? 'wall-clock' : 'cn-working-days';
  let due = addDuration(from, after, calendar, timeZone, calendarSupplement).deadline;
  if (!def.pausable) return due;
  for (const w of creditedPauseWindows(c)) {
    if (w.from < from || w.from >= due) continue;
    due =
      calendar === 'wall-clock'
        ? iso(parseInstant(due) + Math.max(0, parseInstant(w.to) - parseInstant(w.from)))
        : addWorkingMs(due, workingMsBetween(w.from, w.to, timeZone, calendarSupplement).ms, timeZone, calendarSupplement).at;
  }
  return due;
}

/** Everything a clock will need, in order: unsent warnings, level 1, and the next unacknowledged level. */
function pendingOf(c: Complaint, s: ClockState, policy: SlaPolicy, now?: string): ClockEvent[] {
  if (s.status === 'paused' && c.pause?.capEndsAt)
    return [{ clockId: s.id, kind: 'pause-cap-reached', to: 'owner', dueAt: c.pause.capEndsAt }];
  if (s.status !== 'running' && s.status !== 'breached') return [];
  const def = clockDefinition(policy, s.id);
  if (!def) return [];
  const out: ClockEvent[] = [];
  if (def.id === SURVEY_CLOCK_ID) {
    for (const w of s.warnAt) {
      if (!s.warningsSent.includes(w) && w < s.deadline && (now === undefined || now < s.deadline)) {
        out.push({ clockId: s.id, kind: 'survey-reminder', to: 'customer', dueAt: w });
      }
    }
    out.push({ clockId: s.id, kind: 'survey-closed', to: 'customer', dueAt: s.deadline });
    return out;
  }
  let last: Escalation | undefined = s.escalations[s.escalations.length - 1];
  if (!last) {
    for (const w of s.warnAt) {
      if (s.warningsSent.includes(w) || s.warningsSkipped?.includes(w) || w >= s.deadline) continue;
      // A late warning still goes out before the deadline; once the deadline has passed, the
      // escalation says it all and the warning is recorded as skipped, never silently dropped.
      const kind = now === undefined || now < s.deadline ? 'warning' : 'warning-skipped';
      out.push({ clockId: s.id, kind, to: 'owner', dueAt: w });
    }
    const first = def.escalation[0];
    if (!first) return out;
    out.push({ clockId: s.id, kind: 'escalation', level: first.level, to: first.to, dueAt: s.deadline });
    if (now === undefined || s.deadline > now) return out;
    last = { level: first.level, to: first.to, at: s.deadline };
  }
  // Walk up the ladder while each level is unacknowledged and the next one is already due.
  for (;;) {
    if (last.ackedAt) return out;
    const step = def.escalation.find((e) => e.level === last!.level + 1);
    if (!step) return out;
    const dueAt = nextLevelDue(c, def, last.at, step.after ?? def.duration, policy);
    out.push({ clockId: s.id, kind: 'escalation', level: step.level, to: step.to, dueAt });
    if (now === undefined || dueAt > now) return out;
    last = { level: step.level, to: step.to, at: dueAt };
  }
}

/**
 * The clocks that still need attention: none once closed; once the loop failed, only those the
 * policy keeps running on failure (the regulator's and the closed loop's, sent by the sweep).
 */
function attendedClocks(c: Complaint, policy: SlaPolicy): ClockState[] {
  if (c.status === 'closed') return [];
  const clocks = Object.values(c.clocks);
  if (c.status !== 'failed') return clocks;
  return clocks.filter((s) => clockDefinition(policy, s.id)?.continuesOnFailure === true);
}

/** Warnings, escalations and survey events due at or before `now` and not yet recorded. */
export function dueClockEvents(c: Complaint, now: string, policy: SlaPolicy): ClockEvent[] {
  return attendedClocks(c, policy)
    .flatMap((s) => pendingOf(c, s, policy, now))
    .filter((e) => e.dueAt <= now)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.clockId.localeCompare(b.clockId));
}

/** The earliest instant any active clock needs attention (may be in the past if something is overdue), or null. */
export function nextDueAt(c: Complaint, policy: SlaPolicy): string | null {
  let min: string | null = null;
  for (const s of attendedClocks(c, policy)) {
    const first = pendingOf(c, s, policy)[0];
    if (first && (min === null || first.dueAt < min)) min = first.dueAt;
  }
  return min;
}

/**
 * Records sent events: warnings and reminders in warningsSent, escalations in the ladder
 * (level 1 marks the breach), c.escalationLevel = highest level reached. 'survey-closed'
 * is left to expireSurvey (lifecycle). Events already recorded are ignored (retries).
 */
export function applyClockEvents(c: Complaint, events: readonly ClockEvent[], now: string): Complaint {
  const clocks: Record<string, ClockState> = { ...c.clocks };
  let level = c.escalationLevel;
  for (const e of events) {
    if (e.dueAt > now) throw new RangeError(`clock event ${e.clockId}/${e.kind} is due at ${e.dueAt}, after now (${now})`);
    const s = clocks[e.clockId];
    if (!s) continue;
    if (e.kind === 'warning' || e.kind === 'survey-reminder') {
      if (!s.warningsSent.includes(e.dueAt)) clocks[e.clockId] = { ...s, warningsSent: [...s.warningsSent, e.dueAt] };
    } else if (e.kind === 'warning-skipped') {
      if (!s.warningsSkipped?.includes(e.dueAt)) clocks[e.clockId] = { ...s, warningsSkipped: [...(s.warningsSkipped ?? []), e.dueAt] };
    } else if (e.kind === 'escalation' && e.level !== undefined) {
      if (s.escalations.some((x) => x.level === e.level)) continue;
      const breached = e.level === 1 || s.breachedAt !== undefined;
      clocks[e.clockId] = {
        ...s,
        escalations: [...s.escalations, { level: e.level, to: e.to, at: e.dueAt }],
        breachedAt: s.breachedAt ?? (breached ? s.deadline : undefined),
        status: s.status === 'running' && breached ? 'breached' : s.status,
      };
      level = Math.max(level, e.level);
    }
  }
  return { ...c, clocks, escalationLevel: level };
}

/** An escalation acknowledged by a person: the clock's ladder climbs no further. Idempotent. */
export function acknowledgeEscalation(c: Complaint, clockId: string, level: number, at: string, by: string): Complaint {
  const s = c.clocks[clockId];
  const i = s?.escalations.findIndex((e) => e.level === level) ?? -1;
  if (!s || i < 0) throw new EscalationNotFoundError(clockId, level);
  if (s.escalations[i]!.ackedAt) return c;
  const escalations = s.escalations.map((e, j) => (j === i ? { ...e, ackedAt: at, ackedBy: by } : e));
  return { ...c, clocks: { ...c.clocks, [clockId]: { ...s, escalations } } };
}

/** Stops every active clock (close, H-36): met, and breached ones keep breachedAt with status 'breached'. */
export function stopAllClocks(c: Complaint, at: string): Complaint {
  const clocks: Record<string, ClockState> = {};
  for (const [id, s] of Object.entries(c.clocks)) {
    if (!isActive(s)) {
      clocks[id] = s;
      continue;
    }
    const stopped = stopClock(s, at);
    clocks[id] = stopped.breachedAt ? { ...stopped, status: 'breached' } : stopped;
  }
  return { ...c, clocks };
}

/** Audit lines for sent clock events (H-37). */
export function clockEventsAudit(events: readonly ClockEvent[], at: string): AuditEvent[] {
  return events.map((e) => ({
    at,
    type: `clock-${e.kind}`,
    actor: 'system',
    detail: {
      clockId: e.clockId,
      dueAt: e.dueAt,
      to: e.to,
      ...(e.level !== undefined ? { level: e.level } : {}),
      ...lateness(e, at),
    },
  }));
}

/** A clock event that ran more than a minute after its due time says by how much; a skipped warning says why. */
function lateness(e: ClockEvent, at: string): Record<string, unknown> {
  if (e.kind === 'warning-skipped')
    return {
      reason: 'the deadline had passed when the clock step ran: the escalation speaks for it',
      lateByMs: parseInstant(at) - parseInstant(e.dueAt),
    };
  const lateByMs = parseInstant(at) - parseInstant(e.dueAt);
  return lateByMs > LATE_AFTER_MS ? { late: true, lateByMs } : {};
}

export interface ClockView {
  readonly id: string;
  readonly clause: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly status: ClockState['status'];
  readonly startedAt: string;
  readonly deadline: string;
  /** Time left at `now` (negative when overdue; frozen while paused; null once met). */
  readonly remainingMs: number | null;
  /** Fraction of the allowed time used, 0..1+ (for progress bars). */
  readonly elapsedFraction: number;
  readonly warned: boolean;
  /** Warnings recorded as skipped: their clock's deadline had passed when the clock step ran. */
  readonly warningsSkipped: number;
  readonly metAt?: string;
  readonly breachedAt?: string;
  readonly escalationLevel: number;
  readonly escalations: readonly Escalation[];
  /** H-12: the deadline counts days of a year with no official holiday schedule yet (make-up days unknown). */
  readonly provisional: boolean;
  readonly explanation: string;
}

/** What the API and the console show for each clock. */
export function viewClocks(c: Complaint, now: string, policy: SlaPolicy): ClockView[] {
  const n = parseInstant(now);
  return Object.values(c.clocks)
    .map((s) => {
      const def = clockDefinition(policy, s.id);
      const start = parseInstant(s.startedAt);
      const deadline = parseInstant(s.deadline);
      // While paused the clock stands still at the pause instant.
      const ref = s.status === 'paused' && c.pause ? parseInstant(c.pause.since) : s.metAt ? parseInstant(s.metAt) : n;
      const total = Math.max(1, deadline - start - s.pausedMs);
      return {
        id: s.id,
        clause: def?.clause ?? '',
        title: def?.title ?? { zh: s.id, en: s.id },
        // A clock stored as 'met' with a breach recorded is late all the same.
        status: s.status === 'met' && s.breachedAt ? 'met-late' : s.status,
        startedAt: s.startedAt,
        deadline: s.deadline,
        remainingMs: s.metAt ? null : deadline - ref,
        elapsedFraction: Math.max(0, (ref - start - s.pausedMs) / total),
        warned: s.warningsSent.length > 0,
        warningsSkipped: s.warningsSkipped?.length ?? 0,
        ...(s.metAt ? { metAt: s.metAt } : {}),
        ...(s.breachedAt ? { breachedAt: s.breachedAt } : {}),
        escalationLevel: s.escalations.reduce((m, e) => Math.max(m, e.level), 0),
        escalations: s.escalations,
        provisional: s.provisional === true,
        explanation: s.explanation,
      };
    })
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
}
