/**
 * Intake (POST /complaints): validate, derive the complaint id from the caller's request id,
 * create the record once, start the execution once.
 *
 * Idempotency key: `requestId` in the body, or the `Idempotency-Key` header; when both are
 * given they must be equal. The same key with the same (validated) body gets the same answer;
 * with a different body, 409.
 *
 * Receipt (H-11, and every clock with `from: 'received'`): the upstream's `receivedAt`, the
 * instant the carrier received the complaint (a call centre, a third-party platform), within
 * RECEIPT_SKEW_MS after and RECEIPT_MAX_AGE_MS before the request; the request time when absent.
 * The request time is kept as `acceptedAt`.
 */
import type { ComplaintStore } from '../adapters/complaint-store';
import type { DeadLetters } from '../adapters/dead-letters';
import type { Workflow } from '../adapters/workflow';
import type { IntakeBody } from '../contract/api';
import { newComplaint } from '../domain/lifecycle';
import type { SlaPolicy } from '../domain/sla-policy';
import type { AuditEvent } from '../domain/types';
import { IdempotencyConflictError } from './errors';
import { HttpError } from './http';
import { canonicalJson, complaintIdFor, sha256Hex } from './ids';
import { errorSummary, logger } from './logger';
import { countEvent } from './metrics';

export { type IntakeBody, intakeBodySchema, REQUEST_ID_PATTERN } from '../contract/api';

export interface IntakeAnswer {
  readonly complaintId: string;
  readonly status: 'accepted';
  readonly statusUrl: string;
}

export class IntakeUnavailableError extends Error {
  override readonly name = 'IntakeUnavailableError';
}

export interface IntakeDeps {
  readonly store: ComplaintStore;
  readonly workflow: Workflow;
  readonly deadLetters: DeadLetters;
  readonly policy: SlaPolicy;
}

/** Clock skew allowed between the upstream's clock and ours. */
export const RECEIPT_SKEW_MS = 60_000;
/** Older receipts are refused: H-11 (registered within 24 h of receipt) would be breached before intake. */
export const RECEIPT_MAX_AGE_MS = 24 * 3_600_000;

/** The receipt instant (UTC ISO): the upstream's `receivedAt` if given and plausible, else the request time. 400 otherwise. */
export function receiptInstant(receivedAt: string | undefined, acceptedAt: string): string {
  if (receivedAt === undefined) return acceptedAt;
  const at = Date.parse(receivedAt);
  const now = Date.parse(acceptedAt);
  const problem =
    at > now + RECEIPT_SKEW_MS
      ? `is in the future: expected an instant no later than 1 minute after the request (${acceptedAt})`
      : at < now - RECEIPT_MAX_AGE_MS
        ? `is more than 24 h before the request (${acceptedAt}): expected a receipt within the last 24 hours (H-11)`
        : undefined;
  if (problem) throw new HttpError(400, 'Invalid request', { errors: [{ path: 'receivedAt', message: problem }] });
  return new Date(at).toISOString();
}

export async function acceptComplaint(
  deps: IntakeDeps,
  body: IntakeBody & { requestId: string },
  acceptedAt: string,
): Promise<IntakeAnswer> {
  const receivedAt = receiptInstant(body.receivedAt, acceptedAt);
  const complaintId = complaintIdFor(body.requestId);
  const bodyHash = sha256Hex(canonicalJson(body));
  const complaint = newComplaint(body, { id: complaintId, receivedAt, acceptedAt, policyVersion: deps.policy.version });
  const audit: AuditEvent[] = [
    {
      at: receivedAt,
      type: 'received',
      actor: 'intake-api',
      detail: {
        channel: body.channel,
        source: body.source,
        serviceType: body.serviceType,
        acceptedAt,
        receivedUpstream: body.receivedAt !== undefined,
      },
    },
  ];
  const created = await deps.store.createIfAbsent(complaint, bodyHash, audit);
  if (!created.created && created.existing.bodyHash !== bodyHash) {
    throw new IdempotencyConflictError(`request id already used with a different body (complaint ${complaintId})`);
  }
  logger.info('complaint accepted', { complaintId, duplicate: !created.created });
  if (created.created) countEvent('ComplaintAccepted', { channel: body.channel });

  // Every accepted request (re)tries the start: a duplicate may heal an earlier failed start,
  // and a second execution cannot happen because the name is the complaint id.
  try {
    const started = await deps.workflow.start(complaintId);
    logger.info('execution', { complaintId, started });
  } catch (error) {
    logger.error('StartExecution failed; sending to the dead-letter queue', { complaintId, ...errorSummary(error) });
    try {
      await deps.deadLetters.send({ op: 'start-execution', complaintId, error: errorSummary(error).errorName });
    } catch (dlqError) {
      logger.error('dead-letter queue send failed', { complaintId, ...errorSummary(dlqError) });
      throw new IntakeUnavailableError('The complaint was recorded but could not be queued for processing; retry the request');
    }
  }
  return { complaintId, status: 'accepted', statusUrl: `/complaints/${complaintId}` };
}
