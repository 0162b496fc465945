/**
 * What the workflow sends to each Lambda task and what it reads back. The ASL builder
 * (complaint-loop.ts) writes these payloads; the handlers validate them with these schemas.
 * No personal data crosses here: executions carry the complaint id, never contact details (H-42).
 */
import { MILESTONES } from '../domain/milestones';
import * as z from '../domain/zod';

const complaintId = z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/));
/** The state's entered time from the context object: handlers take "now" from the engine, not the host. */
const now = z.iso.datetime({ offset: true });
const milestone = z.enum(MILESTONES.map((m) => m.id) as [string, ...string[]]);

/** Execution input, written by the intake API. */
export const executionInputSchema = z.strictObject({ complaintId });
export type ExecutionInput = z.infer<typeof executionInputSchema>;

/** Every step that changes a complaint answers with the next instant a clock needs attention. */
/** The definition computes `$toMillis($nextDueAt)`: an instant with its offset, or null when no clock is due. */
export const clockAnswerSchema = z.object({ nextDueAt: z.nullable(z.iso.datetime({ offset: true })) });
export type ClockAnswer = z.infer<typeof clockAnswerSchema>;

/** classify: H-20..H-25, and register (H-11) in the same save. Answers the Classification & ClockAnswer. */
export const classifyRequestSchema = z.strictObject({ complaintId, now });

/**
 * lifecycle: reopen (H-34) / close and archive (H-36). Answers ClockAnswer & { management }. 'register' (H-11)
 * is the classify step's now; it stays accepted because an execution keeps the definition it started with.
 */
export const lifecycleRequestSchema = z.strictObject({
  complaintId,
  now,
  action: z.enum(['register', 'reopen', 'close']),
});

/** await-milestone: stores the task token; meets the milestone at once if it already happened. */
export const awaitMilestoneRequestSchema = z.strictObject({
  complaintId,
  now,
  milestone,
  taskToken: z.string().check(z.minLength(1)),
});

/** clock-tick: sends the warnings and escalations now due; `expired` ends a milestone that may lapse (the survey). */
export const clockTickRequestSchema = z.strictObject({ complaintId, now, milestone });
export const clockTickAnswerSchema = z.extend(clockAnswerSchema, { expired: z.boolean() });

export const NOTIFICATION_KINDS = [
  'intake-acknowledgment', // to the customer: we have your complaint (H-31)
  'management-intake', // H-24: major and urgent complaints reach management at intake
  'response-notice', // H-13, H-31: to the customer: the handling opinion, measures, timetable, follow-up owner
  'reopen-notice', // H-31, H-34: to the customer: the complaint is being handled again
  'result-notice', // H-08, H-32: the written result, with the survey link (H-33)
  'failure', // the loop could not go on: a person must take over
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** notify: sends each kind once per complaint (retries send no second email). Answers ClockAnswer. */
export const notifyRequestSchema = z.strictObject({
  complaintId,
  now,
  kinds: z.array(z.enum(NOTIFICATION_KINDS)).check(z.minLength(1)),
  /** For 'failure': what went wrong (Step Functions error output). */
  error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});

/**
 * What SendTaskSuccess carries to a waiting milestone state. `outcome` is set for the survey:
 * 'solved' closes, 'not-solved' reopens (H-34).
 */
export const milestoneMetSchema = z.extend(clockAnswerSchema, {
  milestone,
  outcome: z.optional(z.enum(['solved', 'not-solved'])),
});
export type MilestoneMet = z.infer<typeof milestoneMetSchema>;

/** The error a waiting state is failed with when clocks must be re-armed (resume after pause). */
export const CLOCKS_CHANGED = 'ClocksChanged';
