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
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type IntakeBody, intakeBodySchema, REQUEST_ID_PATTERN } from '../../contract/api';
import { newComplaint } from '../../domain/lifecycle';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { AuditEvent } from '../../domain/types';
import { IdempotencyConflictError } from '../errors';
import { HttpError, header, json, jsonBody, parseOr400, requestTime } from '../http';
import { canonicalJson, complaintIdFor, sha256Hex } from '../ids';
import type { ComplaintRepository, DeadLetterSink, WorkflowCallbacks } from '../ports';
import { errorSummary, logger } from '../runtime/logger';
import { countEvent } from '../runtime/metrics';
import { api } from './api';

export { type IntakeBody, intakeBodySchema, REQUEST_ID_PATTERN } from '../../contract/api';

export interface IntakeAnswer {
  readonly complaintId: string;
  readonly status: 'accepted';
  readonly statusUrl: string;
}

export class IntakeUnavailableError extends Error {
  override readonly name = 'IntakeUnavailableError';
}

export interface IntakeDeps {
  readonly store: ComplaintRepository;
  readonly workflow: WorkflowCallbacks;
  readonly deadLetters: DeadLetterSink;
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

/** POST /complaints (IAM auth): a new complaint. 202 { complaintId, status, statusUrl }. */
export function intakeHandler(deps: IntakeDeps): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return api(async (event) => {
    const acceptedAt = requestTime(event);
    const body = parseOr400(intakeBodySchema, jsonBody(event));
    const requestId = idempotencyKey(event, body.requestId);
    const answer = await acceptComplaint(deps, { ...body, requestId }, acceptedAt);
    return json(202, answer, { Location: answer.statusUrl });
  });
}

/** The request id from the body or the Idempotency-Key header (equal when both are given). */
function idempotencyKey(event: APIGatewayProxyEvent, fromBody: string | undefined): string {
  const headerKey = header(event, 'idempotency-key')?.trim();
  if (headerKey !== undefined && !REQUEST_ID_PATTERN.test(headerKey)) {
    throw new HttpError(400, 'Invalid request', {
      errors: [{ path: 'Idempotency-Key', message: 'letters, digits and . _ : - (1 to 128)' }],
    });
  }
  if (headerKey !== undefined && fromBody !== undefined && headerKey !== fromBody) {
    throw new HttpError(400, 'Invalid request', { errors: [{ path: 'requestId', message: 'differs from the Idempotency-Key header' }] });
  }
  const requestId = fromBody ?? headerKey;
  if (requestId === undefined) {
    throw new HttpError(400, 'Invalid request', { errors: [{ path: 'requestId', message: 'required (or the Idempotency-Key header)' }] });
  }
  return requestId;
}
