/**
 * The machine API's intake body: what upstream systems send to POST /complaints (the lifecycle
 * events of POST /complaints/{id}/events are the domain's, lifecycle-events.ts; the answers are in
 * api-answers.ts). The handler parses requests with this schema; the published OpenAPI document and
 * API Gateway's request models are generated from the same schemas (openapi.ts).
 */
import { CHANNELS, SERVICE_TYPES, SEVERITIES, SOURCES } from '../domain/types';
import * as z from '../domain/zod';

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const requestId = z.string().check(z.regex(REQUEST_ID_PATTERN, 'letters, digits and . _ : - (1 to 128)'));

/** Mainland mobiles, landlines and international numbers: digits with optional +, spaces and dashes. */
const phone = z
  .string()
  .check(z.trim(), z.regex(/^\+?[0-9][0-9 -]{4,22}[0-9]$/, 'expected a phone number (digits, optional +, spaces or dashes)'));

/** POST /complaints (H-11, H-20..H-26): a new complaint. */
export const intakeBodySchema = z.strictObject({
  requestId: z.optional(requestId),
  customerId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  contact: z
    .strictObject({ phone: z.optional(phone), email: z.optional(z.email().check(z.maxLength(254))) })
    .check(z.refine((c) => c.phone !== undefined || c.email !== undefined, { message: 'give a phone or an email (or both)' })),
  channel: z.enum(CHANNELS),
  source: z.enum(SOURCES),
  serviceType: z.enum(SERVICE_TYPES),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  occurredAt: z.iso.datetime({ offset: true }),
  /** When the carrier received the complaint upstream (ISO 8601 with offset); default: the request time. */
  receivedAt: z.optional(
    z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant with offset, e.g. 2026-03-01T20:00:00+08:00' }),
  ),
  severityHint: z.optional(z.enum(SEVERITIES)),
  language: z._default(z.enum(['zh-CN', 'en']), 'zh-CN'),
});
export type IntakeBody = z.infer<typeof intakeBodySchema>;
