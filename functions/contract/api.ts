/**
 * The machine API's bodies: what upstream systems send (POST /complaints, POST /complaints/{id}/events)
 * and what they get back. The handlers parse requests with these schemas; the published OpenAPI
 * document and API Gateway's request models are generated from the same schemas (openapi.ts).
 */
import * as z from 'zod';
import { lifecycleEventSchema } from '../domain/lifecycle-events';
import { CHANNELS, SERVICE_TYPES, SEVERITIES, SOURCES } from '../domain/types';
import { CUSTOMER_LINK_KINDS } from './events';

export { lifecycleEventSchema };

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const requestId = z.string().regex(REQUEST_ID_PATTERN, 'letters, digits and . _ : - (1 to 128)');

/** Mainland mobiles, landlines and international numbers: digits with optional +, spaces and dashes. */
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{4,22}[0-9]$/, 'expected a phone number (digits, optional +, spaces or dashes)');

/** POST /complaints (H-11, H-20..H-26): a new complaint. */
export const intakeBodySchema = z.strictObject({
  requestId: requestId.optional(),
  customerId: z.string().trim().min(1).max(128),
  contact: z
    .strictObject({ phone: phone.optional(), email: z.email().max(254).optional() })
    .refine((c) => c.phone !== undefined || c.email !== undefined, { message: 'give a phone or an email (or both)' }),
  channel: z.enum(CHANNELS),
  source: z.enum(SOURCES),
  serviceType: z.enum(SERVICE_TYPES),
  description: z.string().trim().min(1).max(4000),
  occurredAt: z.iso.datetime({ offset: true }),
  /** When the carrier received the complaint upstream (ISO 8601 with offset); default: the request time. */
  receivedAt: z.iso
    .datetime({ offset: true, error: 'expected an ISO 8601 instant with offset, e.g. 2026-03-01T20:00:00+08:00' })
    .optional(),
  severityHint: z.enum(SEVERITIES).optional(),
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type IntakeBody = z.infer<typeof intakeBodySchema>;

const complaintId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const instant = z.iso.datetime({ offset: true });

/** 202 to POST /complaints (also for a repeated request id with the same body). */
export const intakeAnswerSchema = z.object({
  complaintId,
  status: z.literal('accepted'),
  statusUrl: z.string().describe('the path of GET /complaints/{id}, also sent as the Location header'),
});

/** 200 to GET /complaints/{id}/links/{kind}: a fresh short-lived customer link for an SMS gateway. */
export const issuedLinkSchema = z.object({
  complaintId,
  kind: z.enum(CUSTOMER_LINK_KINDS),
  url: z.url(),
  expiresAt: instant,
});

/** GET /complaints/{id}: the complaint with every clock explained, contacts masked and free text redacted (H-42). */
export const complaintViewSchema = z
  .record(z.string(), z.unknown())
  .describe(
    'The complaint: id, status, milestone, classification, clocks (deadline, warnings, escalations, why due), handling record and history. Contacts are masked and free text is redacted (H-42).',
  );

/** 200 to POST /complaints/{id}/events. */
export const eventAnswerSchema = z.object({
  complaint: complaintViewSchema,
  applied: z.object({
    eventId: z.string(),
    type: z.string(),
    appliedAt: instant,
    duplicate: z.boolean().describe('true when this eventId was applied before: nothing changed'),
  }),
});

/** Every 4xx/5xx answer of the handlers. */
export const errorAnswerSchema = z.object({
  message: z.string(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('400: one entry per failing field'),
  expected: z.array(z.string()).optional().describe('409: the events the complaint accepts now'),
});
