/**
 * The deadline preview (docs/sla-preview.md): a complaint's timeline in, every clock out, with its
 * start, stop, deadline, warnings, escalation ladder and status. Pure, and driven by the same
 * functions the running system uses (classify, recordPoint, pause/resume, the clock tick, close,
 * viewClocks), so a preview cannot disagree with what a deployed stack would do.
 *
 * What the running system does by itself between events, the preview does too: the clock tick
 * wakes at each due instant (warnings, escalations, assuming nobody acknowledges one), and a survey
 * window that closes unanswered closes the complaint. Lifecycle points happen only when the
 * timeline says so (the result notice included).
 */
import { classify } from './classify';
import {
  applyClockEvents,
  clockDefinition,
  dueClockEvents,
  nextDueAt,
  pauseClocks,
  recordPoint,
  resumeClocks,
  SURVEY_CLOCK_ID,
  stopAllClocks,
  viewClocks,
} from './clocks';
import { EventNotAllowedError, type FieldIssue } from './errors';
import { close, expireSurvey, newComplaint } from './lifecycle';
import { activeClocks, type SlaPolicy } from './sla-policy';
import {
  CHANNELS,
  type Classification,
  type ClockStatus,
  type Complaint,
  LIFECYCLE_POINTS,
  type LifecyclePoint,
  SERVICE_TYPES,
  SEVERITIES,
  SOURCES,
  TEAMS,
} from './types';
import * as z from './zod';

/** Raised for a timeline that cannot be previewed; each issue names the field. */
export class PreviewInputError extends Error {
  override readonly name = 'PreviewInputError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`invalid timeline: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

const instant = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((s: string) => new Date(s).toISOString()),
);
const EVENT_TYPES = [...LIFECYCLE_POINTS, 'paused', 'resumed'] as const;

export const timelineSchema = z.strictObject({
  serviceType: z.enum(SERVICE_TYPES),
  channel: z.enum(CHANNELS),
  source: z._default(z.enum(SOURCES), 'external'),
  /** Taken as the severity hint: the description's keywords may raise it, as at intake. */
  severity: z.optional(z.enum(SEVERITIES)),
  description: z._default(z.string().check(z.maxLength(4000)), ''),
  /** H-25: the customer's earlier complaints in the policy window. */
  priorComplaints: z.optional(z.number().check(z.int(), z.gte(0))),
  /** The team owning the work order (default: the classification's). */
  team: z.optional(z.enum(TEAMS)),
  receivedAt: instant,
  events: z._default(
    z
      .array(
        z.strictObject({
          type: z.enum(EVENT_TYPES),
          at: instant,
          /** paused: why the complaint waits on the customer. */
          reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
        }),
      )
      .check(z.maxLength(1000)),
    [],
  ),
  /** The instant the preview stops at (default: the last event, or receipt). */
  asOf: z.optional(instant),
});
export type TimelineInput = z.input<typeof timelineSchema>;

export interface PreviewEscalation {
  readonly level: number;
  readonly to: string;
  readonly at: string;
  /** Already due at asOf (true), or still ahead on the ladder if nobody acknowledges (false). */
  readonly reached: boolean;
}

export interface PreviewClock {
  readonly id: string;
  readonly clause: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly start: string;
  /** When the clock stopped (met, met late, or stopped at close); null while it runs. */
  readonly stop: string | null;
  readonly deadline: string;
  readonly warnings: readonly string[];
  readonly escalations: readonly PreviewEscalation[];
  readonly status: ClockStatus;
  readonly explanation: string;
}

export interface Preview {
  readonly policyVersion: string;
  readonly timeZone: string;
  readonly asOf: string;
  readonly classification: Classification;
  readonly complaintStatus: Complaint['status'];
  readonly clocks: readonly PreviewClock[];
  /** Policy clocks that did not start, and why. */
  readonly notStarted: readonly { readonly id: string; readonly reason: string }[];
  /** What the system did by itself (a survey closing unanswered). */
  readonly notes: readonly string[];
}

type Timeline = z.output<typeof timelineSchema>;
type TimelineEvent = Timeline['events'][number];

/** Parses and validates a timeline; every problem is named by its field path. */
export function parseTimeline(input: unknown): Timeline {
  const parsed = timelineSchema.safeParse(input);
  if (!parsed.success) {
    throw new PreviewInputError(
      parsed.error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(root)', message: i.message })),
    );
  }
  const t = parsed.data;
  const issues: FieldIssue[] = [];
  t.events.forEach((e, i) => {
    if (e.at < t.receivedAt) issues.push({ path: `events.${i}.at`, message: `before receivedAt (${t.receivedAt})` });
    if (i > 0 && e.at < t.events[i - 1]!.at) issues.push({ path: `events.${i}.at`, message: 'events must be in time order' });
  });
  const last = [t.receivedAt, ...t.events.map((e) => e.at)].sort().at(-1)!;
  if (t.asOf && t.asOf < last) issues.push({ path: 'asOf', message: `before the last event (${last})` });
  if (issues.length) throw new PreviewInputError(issues);
  return t;
}

/** The deadline preview of a timeline under `policy`. Throws PreviewInputError for a bad timeline. */
export function previewTimeline(input: unknown, policy: SlaPolicy): Preview {
  const t = parseTimeline(input);
  const asOf = t.asOf ?? t.events[t.events.length - 1]?.at ?? t.receivedAt;
  const notes: string[] = [];
  let c = startComplaint(t, policy);
  const events = t.events.some((e) => e.type === 'registered')
    ? t.events
    : [{ type: 'registered', at: t.receivedAt } as TimelineEvent, ...t.events];
  for (const e of events) {
    c = tick(c, e.at, policy, notes);
    c = applyEvent(c, e, t.events.indexOf(e), policy);
  }
  c = tick(c, asOf, policy, notes);
  return {
    policyVersion: policy.version,
    timeZone: policy.timeZone,
    asOf,
    classification: c.classification!,
    complaintStatus: c.status,
    clocks: previewClocks(c, asOf, policy),
    notStarted: notStarted(c, policy),
    notes,
  };
}

function startComplaint(t: Timeline, policy: SlaPolicy): Complaint {
  const input = { serviceType: t.serviceType, source: t.source, channel: t.channel, description: t.description };
  const classification = classify({ ...input, severityHint: t.severity, priorComplaints: t.priorComplaints });
  const c = newComplaint(
    { ...input, requestId: 'preview', customerId: 'preview', contact: {}, occurredAt: t.receivedAt, severityHint: t.severity },
    { id: 'preview', receivedAt: t.receivedAt, policyVersion: policy.version },
  );
  return { ...c, classification, team: t.team ?? classification.team };
}

/** What the clock tick does up to `until`: each due instant in turn, nobody acknowledging. */
function tick(c: Complaint, until: string, policy: SlaPolicy, notes: string[]): Complaint {
  for (let guard = 0; guard < 10_000; guard++) {
    const next = nextDueAt(c, policy);
    if (next === null || next > until) return c;
    const due = dueClockEvents(c, next, policy);
    const surveyClosed = due.some((e) => e.kind === 'survey-closed');
    c = applyClockEvents(
      c,
      due.filter((e) => e.kind !== 'survey-closed'),
      next,
    );
    if (surveyClosed) c = closeUnansweredSurvey(c, next, policy, notes);
  }
  throw new Error('the clock tick did not settle (a policy ladder that never ends?)');
}

/** H-33: the survey window closed without an answer; the workflow then closes the complaint. */
function closeUnansweredSurvey(c: Complaint, at: string, policy: SlaPolicy, notes: string[]): Complaint {
  if (c.status !== 'surveying') {
    throw new PreviewInputError([
      {
        path: 'events',
        message: `the survey window closed at ${at} while the complaint was ${c.status}: give survey-answered before reopened`,
      },
    ]);
  }
  notes.push(`${at}: the survey closed unanswered (H-33) and the complaint closed`);
  return close(expireSurvey(c, at).complaint, at, policy).complaint;
}

function applyEvent(c: Complaint, e: TimelineEvent, index: number, policy: SlaPolicy): Complaint {
  const path = index >= 0 ? `events.${index}` : 'receivedAt';
  const refuse = (message: string) => new PreviewInputError([{ path: `${path}.type`, message }]);
  if (c.status === 'closed') throw refuse(`'${e.type}' after the complaint closed`);
  if (e.type === 'registered' && c.points.registered) throw refuse('registered twice');
  if (e.type === 'paused') {
    if (!e.reason) throw new PreviewInputError([{ path: `${path}.reason`, message: 'required for paused' }]);
    try {
      return pauseClocks(c, e.at, e.reason, policy);
    } catch (error) {
      if (error instanceof EventNotAllowedError) throw refuse(error.message);
      throw error;
    }
  }
  if (e.type === 'resumed') {
    if (!c.pause) throw refuse('resumed, but the complaint is not paused');
    return resumeClocks(c, e.at, policy);
  }
  if (c.pause) throw refuse(`'${e.type}' while the complaint is paused (resume it first)`);
  return reachPoint(c, e.type, e.at, policy);
}

/** A lifecycle point as the running system reaches it (status changes as lifecycle.ts makes them). */
function reachPoint(c: Complaint, point: LifecyclePoint, at: string, policy: SlaPolicy): Complaint {
  const reached = recordPoint(c, point, at, policy);
  switch (point) {
    case 'result-notified':
      return { ...reached, status: 'surveying' };
    case 'reopened':
      return { ...reached, status: 'open', reopenCount: c.reopenCount + 1 };
    case 'closed':
      return { ...stopAllClocks(reached, at), status: 'closed', milestone: undefined };
    default:
      return reached;
  }
}

function previewClocks(c: Complaint, asOf: string, policy: SlaPolicy): PreviewClock[] {
  // The ladder still ahead of each clock if nobody acknowledges (the tick's own walk, run to its end).
  const ahead = c.status === 'closed' ? [] : dueClockEvents(c, '9999-12-31T23:59:59.999Z', policy).filter((e) => e.kind === 'escalation');
  return viewClocks(c, asOf, policy).map((v) => {
    const s = c.clocks[v.id]!;
    const escalations: PreviewEscalation[] = [
      ...s.escalations.map((e) => ({ level: e.level, to: e.to, at: e.at, reached: true })),
      ...ahead.filter((e) => e.clockId === v.id).map((e) => ({ level: e.level!, to: e.to, at: e.dueAt, reached: false })),
    ];
    return {
      id: v.id,
      clause: v.clause,
      title: v.title,
      start: v.startedAt,
      stop: v.metAt ?? null,
      deadline: v.deadline,
      warnings: s.warnAt,
      escalations,
      status: v.status,
      explanation: v.explanation,
    };
  });
}

function notStarted(c: Complaint, policy: SlaPolicy): { id: string; reason: string }[] {
  return [...activeClocks(policy).map((d) => d.id), SURVEY_CLOCK_ID]
    .filter((id) => !c.clocks[id])
    .map((id) => {
      const def = clockDefinition(policy, id)!;
      const severity = c.classification?.severity;
      const reason =
        def.appliesTo && severity && !def.appliesTo.includes(severity)
          ? `applies to ${def.appliesTo.join('/')} severity only (this one is ${severity})`
          : `starts at ${def.starts}, which the timeline does not reach`;
      return { id, reason };
    });
}
