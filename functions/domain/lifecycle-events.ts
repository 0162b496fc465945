/**
 * Lifecycle events posted by the people handling a complaint
 * (`POST /complaints/{id}/events`), validated at the boundary.
 */
import { attributionSchema, COMPLAINT_TYPES, resolutionSchema, SERVICE_TYPES, SEVERITIES, TEAMS } from './types';
import * as z from './zod';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

const common = {
  /** The caller's id for this event: a second delivery of the same id is applied once. */
  eventId: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits and . _ : - (1 to 128)')),
  /** Who did it (H-37: the handler of each step). */
  actor: text(200),
};

export const lifecycleEventSchema = z.discriminatedUnion('type', [
  /** H-01, H-10: first response to the customer. */
  z.strictObject({ ...common, type: z.literal('acknowledged'), note: z.optional(text(2000)) }),
  /** H-05: the work order reached its owner. */
  z.strictObject({ ...common, type: z.literal('dispatched'), owner: text(200), team: z.enum(TEAMS) }),
  /** H-12, H-35: initial investigation with the five-step attribution. */
  z.strictObject({ ...common, type: z.literal('investigated'), attribution: attributionSchema }),
  /**
   * H-10, H-13, H-14: the handling opinion with its measures and timetable (明确处理措施与时间安排);
   * the workflow sends all three to the complainant (response notice).
   */
  z.strictObject({
    ...common,
    type: z.literal('responded'),
    opinion: text(4000),
    measures: text(4000),
    timetable: text(2000),
    followUpOwner: z.optional(text(200)),
  }),
  /** H-06: service is restored for the customer (the major problem is handled), before or without the written result. */
  z.strictObject({ ...common, type: z.literal('service-restored'), note: z.optional(text(2000)) }),
  /** H-32: the written result. */
  z.strictObject({ ...common, type: z.literal('resolved'), resolution: resolutionSchema }),
  /** Waiting on the customer: pausable clocks stop. */
  z.strictObject({ ...common, type: z.literal('paused'), reason: text(1000) }),
  z.strictObject({ ...common, type: z.literal('resumed'), note: z.optional(text(1000)) }),
  /**
   * H-20, H-21, H-23: a person corrects the classification (at least one of serviceType,
   * complaintType, severity), saying why; team, management, complexity and clocks follow.
   */
  z
    .strictObject({
      ...common,
      type: z.literal('reclassified'),
      serviceType: z.optional(z.enum(SERVICE_TYPES)),
      complaintType: z.optional(z.enum(COMPLAINT_TYPES)),
      severity: z.optional(z.enum(SEVERITIES)),
      reason: text(2000),
    })
    .check(
      z.refine((e) => e.serviceType !== undefined || e.complaintType !== undefined || e.severity !== undefined, {
        path: ['severity'],
        message: 'give at least one of serviceType, complaintType, severity',
      }),
    ),
  /** H-31, H-37: anything worth recording. */
  z.strictObject({ ...common, type: z.literal('note'), text: text(4000) }),
  /** H-36: an improvement measure drawn from the complaint (who and what); accepted after close or failure too. */
  z.strictObject({ ...common, type: z.literal('improvement'), measure: text(4000), category: z.optional(text(200)) }),
]);

export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;
export type LifecycleEventType = LifecycleEvent['type'];
