/**
 * What the machine API answers (the OpenAPI document's responses, openapi.ts). Only the docs read
 * these schemas, so they live apart from the request bodies a function parses: building them is
 * no part of a function's cold start.
 */
import * as z from '../domain/zod';
import { CUSTOMER_LINK_KINDS } from './events';

const complaintId = z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/));
const instant = z.iso.datetime({ offset: true });

/** 202 to POST /complaints (also for a repeated request id with the same body). */
export const intakeAnswerSchema = z.object({
  complaintId,
  status: z.literal('accepted'),
  statusUrl: z.string().check(z.describe('the path of GET /complaints/{id}, also sent as the Location header')),
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
  .check(
    z.describe(
      'The complaint: id, status, milestone, classification, clocks (deadline, warnings, escalations, why due), handling record and history. Contacts are masked and free text is redacted (H-42).',
    ),
  );

/** 200 to POST /complaints/{id}/events. */
export const eventAnswerSchema = z.object({
  complaint: complaintViewSchema,
  applied: z.object({
    eventId: z.string(),
    type: z.string(),
    appliedAt: instant,
    duplicate: z.boolean().check(z.describe('true when this eventId was applied before: nothing changed')),
  }),
});

/** Every 4xx/5xx answer of the handlers. */
export const errorAnswerSchema = z.object({
  message: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))).check(z.describe('400: one entry per failing field')),
  expected: z.optional(z.array(z.string())).check(z.describe('409: the events the complaint accepts now')),
});
