/**
 * The complaint's vocabulary, shared by the domain, the handlers and the workflow contracts.
 * Enumerations carry the handbook requirement they come from (see the handbook README).
 */
import type { LifecyclePoint } from './lifecycle-points';
import type { MilestoneId } from './milestones';
import * as z from './zod';

export { LIFECYCLE_POINTS, type LifecyclePoint } from './lifecycle-points';

/** H-20: service content. */
export const SERVICE_TYPES = ['network', 'data', 'device', 'information-security'] as const;
/** H-21: complaint type (major = harms user rights, seriously degrades service, or has social impact). */
export const COMPLAINT_TYPES = ['general', 'major', 'urgent'] as const;
/** H-22: where the complaint comes from. */
export const SOURCES = ['internal', 'external', 'third-party'] as const;
/** H-23: severity decides deadlines and handling. */
export const SEVERITIES = ['minor', 'general', 'major', 'urgent'] as const;
/** H-26: intake channels (plus third-party platforms, H-22). */
export const CHANNELS = ['phone', 'online', 'on-site', 'third-party-platform'] as const;
/** H-24: who handles it first. */
export const TEAMS = ['network-operations', 'customer-service'] as const;

export type ServiceType = (typeof SERVICE_TYPES)[number];
export type ComplaintType = (typeof COMPLAINT_TYPES)[number];
export type Source = (typeof SOURCES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Channel = (typeof CHANNELS)[number];
export type Team = (typeof TEAMS)[number];

export interface Classification {
  readonly serviceType: ServiceType;
  readonly type: ComplaintType;
  readonly severity: Severity;
  readonly source: Source;
  readonly team: Team;
  /** H-24: major and urgent complaints need management involvement. */
  readonly management: boolean;
  readonly complexity: 'simple' | 'complex';
  /** Why it was classified so (shown in the console and the audit trail). */
  readonly reasons: readonly string[];
  /** H-25: the customer's earlier complaints within the policy window, counted at classification. */
  readonly priorComplaints?: number;
}

/** 'met-late': stopped after its deadline (breachedAt says when it passed); never counted as met. */
export type ClockStatus = 'running' | 'paused' | 'met' | 'met-late' | 'breached';

export interface Escalation {
  readonly level: number;
  readonly to: string;
  readonly at: string;
  readonly ackedAt?: string;
  readonly ackedBy?: string;
}

/** One deadline being kept on a complaint. Times are ISO 8601 UTC strings. */
export interface ClockState {
  /** The policy clock's id, e.g. 'H-01'. */
  readonly id: string;
  readonly startedAt: string;
  /** The current deadline, after pauses moved it. */
  readonly deadline: string;
  /** Instants of the warnings before the deadline. */
  readonly warnAt: readonly string[];
  readonly warningsSent: readonly string[];
  /** Warnings whose time had passed their clock's deadline when the clock step ran: recorded, not sent. */
  readonly warningsSkipped?: readonly string[];
  readonly status: ClockStatus;
  /** Set once, when the deadline passes unmet (stays set if it is met late). */
  readonly breachedAt?: string;
  readonly metAt?: string;
  /** Paused time so far, in ms; only pausable clocks accumulate it. */
  readonly pausedMs: number;
  readonly escalations: readonly Escalation[];
  /** "Why is this due then?": policy version, calendar, start, pauses. */
  readonly explanation: string;
  /** H-12: the deadline used a year without an official holiday schedule (make-up working days unknown). */
  readonly provisional?: boolean;
}

/** The complaint waits on the customer (pausable clocks freeze). */
export interface ActivePause {
  readonly since: string;
  readonly reason: string;
  /** Who paused (the event's actor); absent on records stored before it was kept. */
  readonly by?: string;
  /** The policy's pause cap (pause.maxTotal) is used up at this instant: pausable clocks run again from it. */
  readonly capEndsAt?: string;
}

/** A pause that ended. `capEndsAt` is kept when the cap ended the clocks' pause before `to`. */
export interface PauseRecord {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly by?: string;
  readonly capEndsAt?: string;
}

export interface CustomerContact {
  readonly phone?: string;
  readonly email?: string;
}

/** H-35: the five-step attribution of an investigated problem. */
export const attributionSchema = z.strictObject({
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  scope: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
  occurredAt: z.iso.datetime({ offset: true }),
  affectedParty: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
  measures: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
});
export type Attribution = z.infer<typeof attributionSchema>;

/** H-32: the written result. */
export const resolutionSchema = z.strictObject({
  what: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  how: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  followUp: z._default(z.string().check(z.trim(), z.maxLength(4000)), ''),
});
export type Resolution = z.infer<typeof resolutionSchema>;

export type ComplaintStatus = 'open' | 'paused' | 'surveying' | 'closed' | 'failed';

/**
 * One handling cycle (H-34): the first runs from receipt, each reopen starts another. Closed
 * cycles keep the instants of their handling points, which a reopen clears from `points`.
 */
export interface HandlingCycle {
  readonly cycle: number;
  readonly startedAt: string;
  readonly respondedAt?: string;
  readonly resolvedAt?: string;
  readonly resultNotifiedAt?: string;
}

/** The complaint record (the META item). */
export interface Complaint {
  readonly id: string;
  /** The upstream caller's request id (intake idempotency). */
  readonly requestId: string;
  /** When the carrier received the complaint (the upstream's time, else intake): clocks `from: 'received'` run from it (H-11). */
  readonly receivedAt: string;
  /** When the intake API accepted it (absent on records older than this field). */
  readonly acceptedAt?: string;
  readonly customer: { readonly id: string; readonly contact: CustomerContact };
  readonly channel: Channel;
  readonly source: Source;
  readonly serviceType: ServiceType;
  readonly description: string;
  readonly occurredAt: string;
  readonly severityHint?: Severity;
  readonly language: 'zh-CN' | 'en';
  readonly classification?: Classification;
  readonly status: ComplaintStatus;
  /** The milestone the workflow waits for now. */
  readonly milestone?: MilestoneId;
  /** First time each lifecycle point happened (reopen clears the handling points). */
  readonly points: Partial<Record<LifecyclePoint, string>>;
  readonly owner?: string;
  readonly team?: Team;
  readonly escalationLevel: number;
  readonly reopenCount: number;
  /** Handling cycles that ended in a reopen (H-34), oldest first; the current one is read from `points`. */
  readonly cycles?: readonly HandlingCycle[];
  readonly pause?: ActivePause;
  readonly pauses: readonly PauseRecord[];
  readonly clocks: Readonly<Record<string, ClockState>>;
  readonly policyVersion: string;
  readonly attribution?: Attribution;
  readonly handlingOpinion?: {
    readonly opinion: string;
    readonly measures: string;
    readonly timetable: string;
    readonly followUpOwner?: string;
  };
  /**
   * H-31: customer notices waiting for the workflow's next clock step (pause and resume are
   * recorded by the events API and sent by clock-tick), as send-once keys.
   */
  readonly pendingNotices?: readonly string[];
  /** The customer's email was refused (e.g. SES MessageRejected): an SMS gateway or a person takes over. */
  readonly emailUndeliverable?: { readonly at: string; readonly notice: string; readonly reason: string };
  readonly resolution?: Resolution;
  readonly survey?: SurveyResult;
  /** When the loop could not go on and a person took the complaint over (H-36: archived as failed). */
  readonly failedAt?: string;
  /** Optimistic-concurrency counter. */
  readonly version: number;
}

/** H-33/H-34: how a satisfaction survey ended. 'not-solved' reopens the complaint; the others let it close. */
export const SURVEY_OUTCOMES = ['solved', 'not-solved', 'no-answer'] as const;
export type SurveyOutcome = (typeof SURVEY_OUTCOMES)[number];

/** The survey's result, tagged by its outcome: the customer's answer, or the survey closed unanswered. */
export type SurveyResult =
  | {
      readonly outcome: 'solved' | 'not-solved';
      readonly solved: boolean;
      readonly score?: number;
      readonly comment?: string;
      readonly answeredAt: string;
    }
  | { readonly outcome: 'no-answer'; readonly closedAt: string };

export type SurveyAnswer = Extract<SurveyResult, { readonly answeredAt: string }>;

/** The customer's answer, when the survey was answered. */
export const surveyAnswer = (c: Pick<Complaint, 'survey'>): SurveyAnswer | undefined =>
  c.survey !== undefined && c.survey.outcome !== 'no-answer' ? c.survey : undefined;

/** One line of the audit trail (H-37): start time, handler, content, result. */
export interface AuditEvent {
  readonly at: string;
  readonly type: string;
  readonly actor: string;
  readonly detail: Readonly<Record<string, unknown>>;
}
