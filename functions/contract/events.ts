/**
 * The EventBridge events complaint-loop publishes, as zod schemas: the publisher's types derive
 * from them, and the JSON Schemas in docs/events/ and in the stack's schema registry are generated
 * from them. A detail carries ids, kinds, roles and link kinds, never contact details, link tokens
 * or URLs (H-42); a customer's notice carries its text with personal data redacted.
 */
import { ESCALATION_TARGETS } from '../domain/sla-policy';
import { SEVERITIES, TEAMS } from '../domain/types';
import * as z from '../domain/zod';

/** The `source` of every event. */
export const EVENT_SOURCE = 'complaint-loop' as const;
/** The detail-type of every notification event. */
export const NOTIFICATION_DETAIL_TYPE = 'Complaint Notification' as const;
/** Link kinds a customer notice names (detail `link`); GET /complaints/{id}/links/{kind} issues one. */
export const CUSTOMER_LINK_KINDS = ['survey'] as const;

/**
 * The schemas, built on first use: the functions that publish use only their types, and building
 * them at every cold start would cost a function time for nothing.
 */
function buildSchemas() {
  const instant = z.iso.datetime({ offset: true });
  const team = z.enum(TEAMS);
  const customer = { audience: z.literal('customer') };
  const clock = { clockId: z.string().check(z.describe('the policy clock, e.g. H-01')), dueAt: instant };

  /** What every notification event says of its delivery, whatever its kind. */
  const delivery = {
    complaintId: z.string(),
    notificationKey: z.string().check(z.describe('unique per notification: a retry may publish the same event again, so dedupe on this')),
    emailed: z.boolean().check(z.describe('an email went out for this notification')),
    emailRejected: z
      .optional(z.literal(true))
      .check(z.describe("SES refused the customer's address for good: an SMS gateway should take over")),
    message: z
      .optional(z.object({ subject: z.string(), text: z.string() }))
      .check(z.describe("a customer's notice: its text, personal data redacted and link addresses left out (ask the API for the link)")),
  };

  const notice = <K extends string, S extends z.core.$ZodLooseShape>(kind: K, shape: S) =>
    z.object({ kind: z.literal(kind), ...shape, ...delivery });

  const notificationDetail = z.discriminatedUnion('kind', [
    /** A clock's warning before its deadline, to the owner or the team's supervisors. */
    notice('clock-warning', { ...clock, audience: z.enum(['owner', 'supervisor']), team }),
    /** A missed deadline escalated (H-05, H-15): the ladder's level and who it went to. */
    notice('clock-escalation', { ...clock, level: z.number().check(z.int(), z.gte(1)), audience: z.enum(ESCALATION_TARGETS), team }),
    /** The satisfaction survey (H-33) is still open: remind the customer. */
    notice('survey-reminder', { ...clock, ...customer, link: z.enum(CUSTOMER_LINK_KINDS) }),
    /** H-31: the complaint waits on the customer; its clocks are paused. */
    notice('pause-notice', customer),
    /** H-31: handling goes on. */
    notice('resume-notice', customer),
    /** H-01, H-10: the complaint is received. */
    notice('intake-acknowledgment', customer),
    /** H-13: the handling opinion, measures and timetable. */
    notice('response-notice', customer),
    /** H-34: the complaint is reopened. */
    notice('reopen-notice', customer),
    /** H-32: the written result, with the survey link kind. */
    notice('result-notice', { ...customer, link: z.enum(CUSTOMER_LINK_KINDS) }),
    /** H-24: management hears of a major or urgent complaint at intake. */
    notice('management-intake', { audience: z.literal('management'), team, severity: z.nullable(z.enum(SEVERITIES)) }),
    /** The complaint's workflow failed: a person owns it now. */
    notice('failure', {
      audience: z.literal('operations'),
      team: z.optional(team),
      error: z.string().check(z.describe('the error name (never its personal data)')),
      complaintMissing: z.optional(z.literal(true)).check(z.describe('the complaint record could not be read')),
    }),
  ]);
  return { delivery, notificationDetail };
}
type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;
const built = (): Schemas => (schemas ??= buildSchemas());

/** Detail of 'Complaint Notification': one variant per kind of notification. */
export const notificationDetailSchema = (): Schemas['notificationDetail'] => built().notificationDetail;
export type NotificationDetail = z.infer<Schemas['notificationDetail']>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a notification says of itself; the sender adds the delivery fields. */
export type NotificationSubject = DistributiveOmit<NotificationDetail, keyof Schemas['delivery']>;

/** Every detail-type published, with its detail's schema (built on first call). */
export const PUBLISHED_EVENTS = { [NOTIFICATION_DETAIL_TYPE]: notificationDetailSchema } as const;
export type PublishedDetailType = keyof typeof PUBLISHED_EVENTS;
export type PublishedDetail<T extends PublishedDetailType> = z.infer<ReturnType<(typeof PUBLISHED_EVENTS)[T]>>;

/** The whole EventBridge event as a subscriber receives it. */
function envelopeSchema(detailType: PublishedDetailType) {
  return z.object({
    version: z.string(),
    id: z.string(),
    'detail-type': z.literal(detailType),
    source: z.literal(EVENT_SOURCE),
    account: z.string(),
    time: z.iso.datetime(),
    region: z.string(),
    resources: z.array(z.string()),
    detail: PUBLISHED_EVENTS[detailType](),
  });
}

/** The registry's schema name: EventBridge's own `source@DetailType` convention. */
export function eventSchemaName(detailType: PublishedDetailType): string {
  return `${EVENT_SOURCE}@${detailType.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** The file under docs/events/ holding a detail-type's schema. */
export function eventSchemaFile(detailType: PublishedDetailType): string {
  return `${detailType.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.json`;
}

/**
 * JSON Schema draft-04 (the schema registry's JSONSchemaDraft4 type) of the whole event. Objects
 * do not forbid other properties: a subscriber ignores fields it does not know, so new ones can be added.
 */
export function eventJsonSchema(detailType: PublishedDetailType): Record<string, unknown> {
  const schema = z.toJSONSchema(envelopeSchema(detailType), {
    target: 'draft-04',
    io: 'output',
    override: ({ jsonSchema }) => {
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
      // zod writes its own date-time regex beside the format; the format says it for every reader.
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
  return { ...schema, title: detailType, description: `${detailType} events from source ${EVENT_SOURCE}` };
}

export interface CatalogueEntry {
  readonly detailType: PublishedDetailType;
  readonly kind: string;
  readonly audience: readonly string[];
  readonly fields: readonly string[];
}

/** One row per detail-type and kind: who it is for and what it carries beyond the delivery fields. */
export function eventCatalogue(): CatalogueEntry[] {
  const { delivery } = built();
  return Object.entries(PUBLISHED_EVENTS).flatMap(([detailType, schema]) =>
    schema().def.options.map((option) => {
      const { kind, audience, ...rest } = option.shape;
      return {
        detailType: detailType as PublishedDetailType,
        kind: kind.def.values[0]!,
        audience: audience instanceof z.ZodMiniEnum ? audience.options : audience.def.values,
        fields: Object.keys(rest).filter((key) => !(key in delivery)),
      };
    }),
  );
}

/** The delivery fields of every notification: those always present, and those present when they apply. */
export function deliveryFields(): { always: string[]; whenTheyApply: string[] } {
  const fields = Object.entries(built().delivery);
  return {
    always: fields.filter(([, schema]) => !schema.safeParse(undefined).success).map(([key]) => key),
    whenTheyApply: fields.filter(([, schema]) => schema.safeParse(undefined).success).map(([key]) => key),
  };
}
