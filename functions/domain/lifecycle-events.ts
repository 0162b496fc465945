/**
 * Lifecycle events posted by the people handling a complaint
 * (`POST /complaints/{id}/events`), validated at the boundary.
 */
import * as z from 'zod';
import { attributionSchema, COMPLAINT_TYPES, resolutionSchema, SERVICE_TYPES, SEVERITIES, TEAMS } from './types';

const text = (max: number) => z.string().trim().min(1).max(max);

const common = {
  /** The caller's id for this event: a second delivery of the same id is applied once. */
  eventId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits and . _ : - (1 to 128)'),
  /** Who did it (H-37: the handler of each step). */
  actor: text(200),
};

export const lifecycleEventSchema = z.discriminatedUnion('type', [
  /** H-01, H-10: first response to the customer. */
  z.strictObject({ ...common, type: z.literal('acknowledged'), note: text(2000).optional() }),
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
    followUpOwner: text(200).optional(),
  }),
  /** H-06: service is restored for the customer (the major problem is handled), before or without the written result. */
  z.strictObject({ ...common, type: z.literal('service-restored'), note: text(2000).optional() }),
  /** H-32: the written result. */
  z.strictObject({ ...common, type: z.literal('resolved'), resolution: resolutionSchema }),
  /** Waiting on the customer: pausable clocks stop. */
  z.strictObject({ ...common, type: z.literal('paused'), reason: text(1000) }),
  z.strictObject({ ...common, type: z.literal('resumed'), note: text(1000).optional() }),
  /**
   * H-20, H-21, H-23: a person corrects the classification (at least one of serviceType,
   * complaintType, severity), saying why; team, management, complexity and clocks follow.
   */
  z
    .strictObject({
      ...common,
      type: z.literal('reclassified'),
      serviceType: z.enum(SERVICE_TYPES).optional(),
      complaintType: z.enum(COMPLAINT_TYPES).optional(),
      severity: z.enum(SEVERITIES).optional(),
      reason: text(2000),
    })
    .refine((e) => e.serviceType !== undefined || e.complaintType !== undefined || e.severity !== undefined, {
      path: ['severity'],
      message: 'give at least one of serviceType, complaintType, severity',
    }),
  /** H-31, H-37: anything worth recording. */
  z.strictObject({ ...common, type: z.literal('note'), text: text(4000) }),
  /** H-36: an improvement measure drawn from the complaint (who and what); accepted after close or failure too. */
  z.strictObject({ ...common, type: z.literal('improvement'), measure: text(4000), category: text(200).optional() }),
]);

export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;
export type LifecycleEventType = LifecycleEvent['type'];
