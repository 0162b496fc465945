/**
 * The complaint's closed loop (H-30) as pure transitions. Every function takes "now" from the
 * caller and returns a new complaint plus the audit lines to append (H-37). The store's
 * `version` counter is the handler's business: nothing here touches it.
 */

import { pauseClocks, recordPoint, resumeClocks, stopAllClocks } from './clocks';
import { currentCycle } from './cycles';
import { EventNotAllowedError, InvalidEventError } from './errors';
import type { LifecycleEvent } from './lifecycle-events';
import { MILESTONES, REOPEN_MILESTONE } from './milestones';
import { reclassify } from './reclassify';
import type { SlaPolicy } from './sla-policy';
import type {
  AuditEvent,
  Channel,
  ClockState,
  Complaint,
  CustomerContact,
  LifecyclePoint,
  ServiceType,
  Severity,
  Source,
  SurveyOutcome,
  SurveyResult,
} from './types';

/** The intake API's validated body, as the domain needs it. */
export interface NewComplaintInput {
  readonly requestId: string;
  readonly customerId: string;
  readonly contact: CustomerContact;
  readonly channel: Channel;
  readonly source: Source;
  readonly serviceType: ServiceType;
  readonly description: string;
  readonly occurredAt: string;
  readonly severityHint?: Severity;
  readonly language?: 'zh-CN' | 'en';
}

export interface LifecycleResult {
  readonly complaint: Complaint;
  readonly audit: readonly AuditEvent[];
  /** The milestone the complaint waited for is met: the workflow's waiting state must be told (SendTaskSuccess). */
  readonly milestoneMet: boolean;
  /** Which milestone was met (when milestoneMet). */
  readonly metMilestone?: string;
  /**
   * Deadlines moved or clocks paused (pause, resume, reclassified): the waiting state must re-arm
   * its timer (SendTaskFailure ClocksChanged), and its clock step sends the customer's pause or
   * resume notice (H-31).
   */
  readonly clocksChanged: boolean;
  /** answerSurvey: what the customer said (H-34: not-solved reopens). */
  readonly outcome?: Exclude<SurveyOutcome, 'no-answer'>;
}

const SYSTEM = 'system';

export function newComplaint(
  input: NewComplaintInput,
  meta: { readonly id: string; readonly receivedAt: string; readonly acceptedAt?: string; readonly policyVersion: string },
): Complaint {
  return {
    id: meta.id,
    requestId: input.requestId,
    receivedAt: meta.receivedAt,
    acceptedAt: meta.acceptedAt ?? meta.receivedAt,
    customer: { id: input.customerId, contact: { ...input.contact } },
    channel: input.channel,
    source: input.source,
    serviceType: input.serviceType,
    description: input.description,
    occurredAt: input.occurredAt,
    ...(input.severityHint ? { severityHint: input.severityHint } : {}),
    language: input.language ?? 'zh-CN',
    status: 'open',
    points: {},
    escalationLevel: 0,
    reopenCount: 0,
    pauses: [],
    clocks: {},
    policyVersion: meta.policyVersion,
    version: 0,
  };
}

// ---- what the complaint waits for --------------------------------------------------------

function milestoneOf(id: string | undefined) {
  return MILESTONES.find((m) => m.id === id);
}

/** Lifecycle points the current milestone still awaits. */
export function awaitedPoints(c: Complaint): LifecyclePoint[] {
  const m = milestoneOf(c.milestone);
  return m ? m.awaits.filter((p) => !c.points[p]) : [];
}

/** The milestones during which a complaint may wait on the customer. */
const PAUSABLE_MILESTONES = new Set<string>(['first-contact', 'investigation', 'handling-opinion', 'resolution']);

/**
 * What the complaint accepts now, for a 409's `expected`: the lifecycle points its milestone
 * awaits ('survey-answered' comes from the survey page), plus 'paused'/'resumed' and 'note'.
 */
export function expectedEvents(c: Complaint): string[] {
  // H-36: the archive still takes improvement measures.
  if (c.status === 'closed' || c.status === 'failed') return ['improvement'];
  if (!c.points.registered) return [];
  if (c.status === 'paused') return ['resumed', 'reclassified', 'note'];
  const out: string[] = awaitedPoints(c);
  if (canRestoreService(c)) out.push('service-restored');
  if (c.status === 'open' && c.milestone && PAUSABLE_MILESTONES.has(c.milestone)) out.push('paused');
  out.push('reclassified', 'note');
  return out;
}

function notAllowed(c: Complaint, what: string): EventNotAllowedError {
  const expected = expectedEvents(c);
  const state =
    c.status === 'closed' || c.status === 'failed'
      ? `is ${c.status}`
      : !c.points.registered
        ? 'is not registered yet'
        : c.status === 'paused'
          ? `is paused (${c.pause?.reason ?? ''})`
          : `waits for milestone ${c.milestone ?? '(none)'}`;
  return new EventNotAllowedError(
    `${what} does not fit complaint ${c.id}: it ${state}; expected ${expected.length ? expected.join(', ') : 'nothing (no events accepted)'}`,
    expected,
  );
}

// ---- audit helpers --------------------------------------------------------------------------

function clockAudit(before: Readonly<Record<string, ClockState>>, after: Readonly<Record<string, ClockState>>, at: string): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const [id, s] of Object.entries(after)) {
    const b = before[id];
    if (!b || b.startedAt !== s.startedAt) {
      out.push({ at, type: 'clock-started', actor: SYSTEM, detail: { clockId: id, startedAt: s.startedAt, deadline: s.deadline } });
    }
    if (s.metAt && (!b || b.metAt !== s.metAt || b.startedAt !== s.startedAt)) {
      out.push({
        at,
        type: s.breachedAt ? 'clock-met-late' : 'clock-met',
        actor: SYSTEM,
        detail: { clockId: id, deadline: s.deadline, metAt: s.metAt, ...(s.breachedAt ? { breachedAt: s.breachedAt } : {}) },
      });
    }
  }
  return out;
}

/** Stamp a point, then advance the milestone when everything it awaits has happened. */
function reach(c: Complaint, point: LifecyclePoint, at: string, policy: SlaPolicy) {
  const before = c.clocks;
  let next = recordPoint(c, point, at, policy);
  const m = milestoneOf(next.milestone);
  let metMilestone: string | undefined;
  if (m?.awaits.every((p) => next.points[p])) {
    metMilestone = m.id;
    const i = MILESTONES.findIndex((x) => x.id === m.id);
    next = { ...next, milestone: MILESTONES[i + 1]?.id };
  }
  const audit = clockAudit(before, next.clocks, at);
  if (metMilestone)
    audit.push({ at, type: 'milestone-met', actor: SYSTEM, detail: { milestone: metMilestone, next: next.milestone ?? null } });
  return { complaint: next, audit, metMilestone };
}

const unchanged = (c: Complaint): LifecycleResult => ({ complaint: c, audit: [], milestoneMet: false, clocksChanged: false });

// ---- transitions ----------------------------------------------------------------------------

/** H-11: the complaint is registered (status open, first milestone, clocks started). Idempotent. */
export function register(c: Complaint, now: string, policy: SlaPolicy): LifecycleResult {
  if (c.points.registered) return unchanged(c);
  if (c.status !== 'open') throw notAllowed(c, 'register');
  const r = reach({ ...c, status: 'open', milestone: MILESTONES[0].id }, 'registered', now, policy);
  return {
    complaint: r.complaint,
    audit: [
      {
        at: now,
        type: 'registered',
        actor: SYSTEM,
        detail: {
          milestone: r.complaint.milestone,
          policyVersion: policy.version,
          ...(c.classification ? { severity: c.classification.severity, team: c.classification.team } : {}),
        },
      },
      ...r.audit,
    ],
    milestoneMet: false,
    clocksChanged: false,
  };
}

function eventDetail(event: LifecycleEvent): Record<string, unknown> {
  const { type: _type, actor: _actor, ...rest } = event;
  return rest;
}

/**
 * A lifecycle event from the people handling the complaint. Throws EventNotAllowedError (with
 * `expected`) when it does not fit, InvalidEventError when its content breaks a rule.
 */
export function applyLifecycleEvent(c: Complaint, event: LifecycleEvent, now: string, policy: SlaPolicy): LifecycleResult {
  // H-36: improvement measures are recorded on the archive as well, so any registered complaint takes them.
  if (event.type === 'improvement') {
    if (!c.points.registered) throw notAllowed(c, "event 'improvement'");
    return { ...unchanged(c), audit: [{ at: now, type: event.type, actor: event.actor, detail: eventDetail(event) }] };
  }
  if (c.status === 'closed' || c.status === 'failed' || !c.points.registered) throw notAllowed(c, `event '${event.type}'`);
  const line: AuditEvent = { at: now, type: event.type, actor: event.actor, detail: eventDetail(event) };

  switch (event.type) {
    case 'note':
      return { ...unchanged(c), audit: [line] };
    case 'service-restored':
      return restoreService(c, line, now, policy);
    case 'reclassified': {
      // Any open milestone, paused or not, surveying included (H-21, H-23).
      const r = reclassify(c, event, now, policy);
      return { complaint: r.complaint, audit: r.audit, milestoneMet: false, clocksChanged: true };
    }
    case 'resumed': {
      if (c.status !== 'paused') throw notAllowed(c, "event 'resumed'");
      const resumed = withPendingNotice(resumeClocks(c, now, policy), resumeNoticeKey(c.pause!.since));
      return { complaint: resumed, audit: [line, ...clockShiftAudit(c, resumed, now)], milestoneMet: false, clocksChanged: true };
    }
  }
  if (c.status === 'paused') throw notAllowed(c, `event '${event.type}'`);
  if (event.type === 'paused') return pause(c, event, line, now, policy);
  if (c.status !== 'open' || !awaitedPoints(c).includes(event.type)) throw notAllowed(c, `event '${event.type}'`);
  const r = reach({ ...c, ...pointData(c, event) }, event.type, now, policy);
  return {
    complaint: r.complaint,
    audit: [line, ...r.audit],
    milestoneMet: r.metMilestone !== undefined,
    ...(r.metMilestone ? { metMilestone: r.metMilestone } : {}),
    clocksChanged: false,
  };
}

type EventOf<T extends LifecycleEvent['type']> = Extract<LifecycleEvent, { type: T }>;

/** H-31: the clocks of a pausable milestone freeze; the pause notice waits for the clock step. */
function pause(c: Complaint, event: EventOf<'paused'>, line: AuditEvent, now: string, policy: SlaPolicy): LifecycleResult {
  if (c.status !== 'open' || !c.milestone || !PAUSABLE_MILESTONES.has(c.milestone)) throw notAllowed(c, "event 'paused'");
  const paused = withPendingNotice(pauseClocks(c, now, event.reason, policy, event.actor), pauseNoticeKey(now));
  const frozen = Object.values(paused.clocks)
    .filter((s) => s.status === 'paused')
    .map((s) => s.id);
  const capEndsAt = paused.pause?.capEndsAt;
  const detail = { ...line.detail, pausedClocks: frozen, ...(capEndsAt ? { pauseCapEndsAt: capEndsAt } : {}) };
  // Always re-armed: the pause notice waits for the clock step, and a capped pause adds an instant to wake at.
  return { complaint: paused, audit: [{ ...line, detail }], milestoneMet: false, clocksChanged: true };
}

/** What a lifecycle point records on the complaint besides its time. */
function pointData(
  c: Complaint,
  event: EventOf<'acknowledged' | 'dispatched' | 'investigated' | 'responded' | 'resolved'>,
): Partial<Complaint> {
  switch (event.type) {
    case 'dispatched':
      return { owner: event.owner, team: event.team };
    case 'investigated':
      return { attribution: event.attribution }; // H-35
    case 'responded':
      if (c.classification?.complexity === 'complex' && !event.followUpOwner) {
        throw new InvalidEventError('a complex complaint needs a named follow-up owner when responding (H-13)', [
          { path: 'followUpOwner', message: 'required for complex complaints (H-13)' },
        ]);
      }
      return {
        handlingOpinion: {
          opinion: event.opinion,
          measures: event.measures,
          timetable: event.timetable,
          ...(event.followUpOwner ? { followUpOwner: event.followUpOwner } : {}),
        },
      };
    case 'resolved':
      return { resolution: { ...event.resolution, followUp: event.resolution.followUp ?? '' } }; // H-32
    case 'acknowledged':
      return {};
  }
}

/** Service can be restored once, while the complaint is handled and not yet resolved. */
function canRestoreService(c: Complaint): boolean {
  return c.status === 'open' && !c.points['service-restored'] && !c.points.resolved;
}

/**
 * H-06: the problem is handled for the customer, at any handling milestone. A timer armed for a
 * clock this stops finds nothing due and re-arms, so the workflow need not be told.
 */
function restoreService(c: Complaint, line: AuditEvent, now: string, policy: SlaPolicy): LifecycleResult {
  if (!canRestoreService(c)) throw notAllowed(c, "event 'service-restored'");
  const r = reach(c, 'service-restored', now, policy);
  return { complaint: r.complaint, audit: [line, ...r.audit], milestoneMet: false, clocksChanged: false };
}

/** H-31: send-once keys of the customer's pause and resume notices; a pause is known by its start. */
export const pauseNoticeKey = (since: string) => `pause-notice#${since}`;
export const resumeNoticeKey = (since: string) => `resume-notice#${since}`;

function withPendingNotice(c: Complaint, key: string): Complaint {
  return { ...c, pendingNotices: [...(c.pendingNotices ?? []).filter((k) => k !== key), key] };
}

/** The customer notices sent (their keys): no longer pending. */
export function clearPendingNotices(c: Complaint, sent: readonly string[]): Complaint {
  const left = (c.pendingNotices ?? []).filter((k) => !sent.includes(k));
  const { pendingNotices: _drop, ...rest } = c;
  return left.length > 0 ? { ...rest, pendingNotices: left } : rest;
}

function clockShiftAudit(before: Complaint, after: Complaint, at: string): AuditEvent[] {
  return Object.values(after.clocks)
    .filter((s) => before.clocks[s.id]?.deadline !== s.deadline)
    .map((s) => ({
      at,
      type: 'clock-shifted',
      actor: SYSTEM,
      detail: { clockId: s.id, from: before.clocks[s.id]!.deadline, to: s.deadline },
    }));
}

/** H-08: the written result notice went out; the survey window (H-33) opens. Idempotent. */
export function markResultNotified(c: Complaint, now: string, policy: SlaPolicy): LifecycleResult {
  if (c.points['result-notified']) return unchanged(c);
  if (c.status !== 'open' || !c.points.resolved || c.milestone !== 'survey') throw notAllowed(c, 'result notice');
  const r = reach({ ...c, status: 'surveying' }, 'result-notified', now, policy);
  return {
    complaint: r.complaint,
    audit: [{ at: now, type: 'result-notified', actor: SYSTEM, detail: {} }, ...r.audit],
    milestoneMet: false,
    clocksChanged: false,
  };
}

/**
 * H-13: the initial handling result (opinion, measures, timetable) went out to the complainant,
 * which stops H-13. Idempotent; the customer may have paused in between.
 */
export function markResponseNotified(c: Complaint, now: string, policy: SlaPolicy): LifecycleResult {
  if (c.points['response-notified']) return unchanged(c);
  if ((c.status !== 'open' && c.status !== 'paused') || !c.points.responded) throw notAllowed(c, 'response notice');
  const r = reach(c, 'response-notified', now, policy);
  return {
    complaint: r.complaint,
    audit: [{ at: now, type: 'response-notified', actor: SYSTEM, detail: {} }, ...r.audit],
    milestoneMet: false,
    clocksChanged: false,
  };
}

export interface SurveyAnswer {
  readonly solved: boolean;
  readonly score?: number;
  readonly comment?: string;
}

/** H-33: the customer's answer. Not solved → the workflow reopens (H-34); solved → close. */
export function answerSurvey(c: Complaint, answer: SurveyAnswer, now: string, policy: SlaPolicy): LifecycleResult {
  if (c.status !== 'surveying' || c.milestone !== 'survey' || c.points['survey-answered']) throw notAllowed(c, 'survey answer');
  if (answer.score !== undefined && !(Number.isInteger(answer.score) && answer.score >= 1 && answer.score <= 5)) {
    throw new InvalidEventError('the score is a whole number from 1 to 5', [{ path: 'score', message: 'expected 1 to 5' }]);
  }
  if (answer.comment !== undefined && answer.comment.length > 2000) {
    throw new InvalidEventError('the comment is too long', [{ path: 'comment', message: 'at most 2000 characters' }]);
  }
  const outcome = answer.solved ? 'solved' : 'not-solved';
  const survey: SurveyResult = {
    outcome,
    solved: answer.solved,
    ...(answer.score !== undefined ? { score: answer.score } : {}),
    ...(answer.comment ? { comment: answer.comment } : {}),
    answeredAt: now,
  };
  const r = reach({ ...c, survey }, 'survey-answered', now, policy);
  return {
    complaint: r.complaint,
    audit: [
      {
        at: now,
        type: 'survey-answered',
        actor: 'customer',
        detail: { outcome, ...(answer.score !== undefined ? { score: answer.score } : {}) },
      },
      ...r.audit,
    ],
    milestoneMet: true,
    metMilestone: 'survey',
    clocksChanged: false,
    outcome,
  };
}

/** H-33: the survey closed unanswered; the outcome is recorded and the workflow closes the complaint. Idempotent. */
export function expireSurvey(c: Complaint, now: string): LifecycleResult {
  if (c.survey?.outcome === 'no-answer') return unchanged(c);
  if (c.status !== 'surveying' || c.points['survey-answered']) throw notAllowed(c, 'survey expiry');
  const clocks = { ...c.clocks };
  for (const [id, s] of Object.entries(clocks)) {
    if (id === 'H-33-survey' && s.status === 'running')
      clocks[id] = { ...s, status: 'met', metAt: now, explanation: `${s.explanation}; closed without an answer` };
  }
  return {
    complaint: { ...c, clocks, survey: { outcome: 'no-answer', closedAt: now } },
    audit: [{ at: now, type: 'survey-expired', actor: SYSTEM, detail: { outcome: 'no-answer' } }],
    milestoneMet: false,
    clocksChanged: false,
  };
}

/** Points that belong to handling after the handling opinion: cleared on reopen so they can happen again. */
const REOPEN_CLEARS: readonly LifecyclePoint[] = [
  'responded',
  'response-notified',
  'resolved',
  'result-notified',
  'survey-answered',
  'reopened',
];

/**
 * H-34: not solved → back into handling at escalation level + 1, with the reopened clock running.
 * A retry right after a reopen returns the complaint unchanged.
 */
export function reopen(c: Complaint, now: string, policy: SlaPolicy): LifecycleResult {
  if (c.status === 'open' && c.milestone === REOPEN_MILESTONE && c.points.reopened && !c.points.responded) return unchanged(c);
  if (c.status !== 'surveying' || c.survey?.outcome !== 'not-solved') throw notAllowed(c, 'reopen');
  const points = { ...c.points };
  for (const p of REOPEN_CLEARS) delete points[p];
  const escalationLevel = c.escalationLevel + 1;
  const reopenCount = c.reopenCount + 1;
  const cycles = [...(c.cycles ?? []), currentCycle(c)];
  const r = reach(
    { ...c, points, cycles, status: 'open', milestone: REOPEN_MILESTONE, escalationLevel, reopenCount },
    'reopened',
    now,
    policy,
  );
  return {
    complaint: r.complaint,
    audit: [
      { at: now, type: 'reopened', actor: SYSTEM, detail: { escalationLevel, reopenCount, milestone: REOPEN_MILESTONE } },
      ...r.audit,
    ],
    milestoneMet: false,
    clocksChanged: false,
  };
}

/** H-36: closed and archived; every clock still active stops (met, or breached if its deadline passed). Idempotent. */
export function close(c: Complaint, now: string, policy: SlaPolicy): LifecycleResult {
  if (c.status === 'closed') return unchanged(c);
  const final = c.survey !== undefined && c.survey.outcome !== 'not-solved';
  if (c.status !== 'surveying' || !final)
    throw new EventNotAllowedError(
      `complaint ${c.id} cannot close: ${c.status !== 'surveying' ? `it is ${c.status}` : 'the customer said not solved (reopen it, H-34)'}`,
      c.status === 'surveying' ? ['reopen'] : expectedEvents(c),
    );
  const before = c.clocks;
  const reached = recordPoint(c, 'closed', now, policy);
  const stopped = stopAllClocks(reached, now);
  const complaint: Complaint = { ...stopped, status: 'closed', milestone: undefined };
  const clocks = Object.values(complaint.clocks);
  return {
    complaint,
    audit: [
      {
        at: now,
        type: 'closed',
        actor: SYSTEM,
        detail: {
          clocksMet: clocks.filter((s) => !s.breachedAt).length,
          clocksBreached: clocks.filter((s) => s.breachedAt).map((s) => s.id),
          escalationLevel: complaint.escalationLevel,
          reopenCount: complaint.reopenCount,
          survey: c.survey!.outcome,
        },
      },
      ...clockAudit(before, complaint.clocks, now),
    ],
    milestoneMet: false,
    clocksChanged: false,
  };
}

/** The loop cannot go on (unrecoverable error): a person owns the complaint now. Idempotent. */
export function markFailed(c: Complaint, now: string, reason: string): LifecycleResult {
  if (c.status === 'failed' || c.status === 'closed') return unchanged(c);
  return {
    complaint: { ...c, status: 'failed', failedAt: now },
    audit: [{ at: now, type: 'failed', actor: SYSTEM, detail: { reason } }],
    milestoneMet: false,
    clocksChanged: false,
  };
}
