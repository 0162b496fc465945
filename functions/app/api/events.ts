/**
 * Lifecycle events (POST /complaints/{id}/events): apply once per eventId, save with the
 * EVID marker and audit lines in one transaction, then tell the waiting milestone. Each audit
 * line names the signed IAM principal of the call (`detail.signedBy`) beside the typed actor (H-37).
 */

import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CLOCKS_CHANGED } from '../../contract/tasks';
import { nextDueAt } from '../../domain/clocks';
import { ComplaintNotFoundError, EventNotAllowedError } from '../../domain/errors';
import { applyLifecycleEvent } from '../../domain/lifecycle';
import type { LifecycleEvent } from '../../domain/lifecycle-events';
import { lifecycleEventSchema } from '../../domain/lifecycle-events';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { AuditEvent, Complaint } from '../../domain/types';
import { TransientError } from '../errors';
import { json, jsonBody, parseOr400, requestTime } from '../http';
import type { ComplaintRepository, DeadLetter, DeadLetterSink, EventMarker, StoredComplaint, WorkflowCallbacks } from '../ports';
import { errorSummary, logger } from '../runtime/logger';
import { updateComplaint } from '../update';
import { api, complaintIdParam, signedPrincipal } from './api';
import { issueCustomerLink } from './link-request';
import { complaintView } from './view';

export interface EventsDeps {
  readonly store: ComplaintRepository;
  readonly workflow: WorkflowCallbacks;
  readonly deadLetters: DeadLetterSink;
  readonly policy: SlaPolicy;
}

export interface EventAnswer {
  readonly complaint: Record<string, unknown>;
  readonly applied: { readonly eventId: string; readonly type: string; readonly appliedAt: string; readonly duplicate: boolean };
}

/** What the EVID marker remembers of the first delivery. */
interface MarkerResult {
  readonly milestoneMet: boolean;
  readonly clocksChanged: boolean;
  /** The milestone the event met (the complaint's milestone before it). */
  readonly metMilestone: string | null;
}

/** The change callback's answer when a concurrent delivery of the same eventId won. */
const ALREADY_APPLIED = 'already-applied' as const;

/** What the first delivery saved: the marker's result and the audit lines it wrote. */
interface Applied {
  readonly marker: MarkerResult;
  readonly audit: readonly AuditEvent[];
}

/**
 * Applies the event once: its EVID marker is written in the save's transaction on condition that
 * it is absent, so a repeated eventId is refused by the save itself (no read of the marker
 * first) and answered as a duplicate.
 */
export async function postLifecycleEvent(
  deps: EventsDeps,
  id: string,
  event: LifecycleEvent,
  now: string,
  signedBy: string,
): Promise<EventAnswer> {
  const outcome = await updateComplaint<Applied | typeof ALREADY_APPLIED>(
    deps.store,
    id,
    (c) => nextDueAt(c, deps.policy),
    async (current) => {
      const before = current.complaint;
      let r: ReturnType<typeof applyLifecycleEvent>;
      try {
        r = applyLifecycleEvent(before, event, now, deps.policy);
      } catch (error) {
        // A delivery of this eventId may have applied it before: then the event no longer fits,
        // but it is a duplicate, not a conflict.
        if (error instanceof EventNotAllowedError && (await deps.store.getEventMarker(id, event.eventId)))
          return { result: ALREADY_APPLIED };
        throw error;
      }
      const marker: MarkerResult = {
        milestoneMet: r.milestoneMet,
        clocksChanged: r.clocksChanged,
        metMilestone: r.milestoneMet ? (r.metMilestone ?? before.milestone ?? null) : null,
      };
      const saved: EventMarker = { eventId: event.eventId, type: event.type, appliedAt: now, result: { ...marker } };
      const audit = r.audit.map((line) => ({ ...line, detail: { ...line.detail, signedBy } }));
      return { complaint: r.complaint, audit, extra: [{ kind: 'event-marker', marker: saved }], result: { marker, audit } };
    },
  );
  if (!outcome.ok || outcome.result === ALREADY_APPLIED) {
    // This eventId was applied before (a retry, or a concurrent delivery that won): a duplicate.
    const marker = await deps.store.getEventMarker(id, event.eventId);
    if (!marker) throw new TransientError(`event ${event.eventId} neither applied nor recorded`);
    return duplicate(deps, id, marker, now);
  }
  const { marker, audit } = outcome.result;
  logger.info('lifecycle event applied', { complaintId: id, eventType: event.type, eventId: event.eventId, ...marker });
  await tellWorkflow(deps, outcome.stored, marker);
  const applied = { eventId: event.eventId, type: event.type, appliedAt: now, duplicate: false };
  return answer(deps, outcome.stored, now, applied, audit);
}

async function duplicate(deps: EventsDeps, id: string, marker: EventMarker, now: string): Promise<EventAnswer> {
  const stored = await deps.store.get(id);
  if (!stored) throw new ComplaintNotFoundError(id);
  // A client retrying after a failed callback heals it: tell the workflow again (a used token is harmless).
  const result = marker.result as unknown as MarkerResult;
  if (result.milestoneMet && result.metMilestone && stored.complaint.milestone !== result.metMilestone) {
    await tellWorkflow(deps, stored, { ...result, clocksChanged: false });
  }
  return answer(deps, stored, now, { eventId: marker.eventId, type: marker.type, appliedAt: marker.appliedAt, duplicate: true }, []);
}

/**
 * The complaint's view after the event, from what the save wrote: its `history` holds the audit
 * lines this delivery wrote (none for a duplicate); GET /complaints/{id} answers the whole trail.
 */
function answer(
  deps: EventsDeps,
  stored: StoredComplaint,
  now: string,
  applied: EventAnswer['applied'],
  written: readonly AuditEvent[],
): EventAnswer {
  return { complaint: complaintView(stored.complaint, written, now, deps.policy, nextDueAt(stored.complaint, deps.policy)), applied };
}

/**
 * Met milestone → SendTaskSuccess to the waiting state; paused or resumed clocks → SendTaskFailure
 * ClocksChanged so the waiting state re-arms its timeout and its clock step sends the customer's
 * notice (H-31). With no stored token for that
 * milestone the workflow has not reached it yet, and await-milestone will see it met.
 */
async function tellWorkflow(deps: EventsDeps, stored: StoredComplaint, result: MarkerResult): Promise<void> {
  const c: Complaint = stored.complaint;
  const token = stored.waitToken;
  if (!token) return;
  if (result.milestoneMet && result.metMilestone && stored.waitMilestone === result.metMilestone) {
    await callback(deps, { op: 'send-task-success', complaintId: c.id, milestone: result.metMilestone }, () =>
      deps.workflow.succeed(token, { milestone: result.metMilestone, nextDueAt: nextDueAt(c, deps.policy) }),
    );
  } else if (result.clocksChanged && stored.waitMilestone === c.milestone) {
    await callback(deps, { op: 'send-task-failure', complaintId: c.id, milestone: stored.waitMilestone ?? '' }, () =>
      deps.workflow.fail(token, CLOCKS_CHANGED, 'deadlines changed (paused, resumed or reclassified); a customer notice may wait'),
    );
  }
}

async function callback(deps: EventsDeps, letter: DeadLetter, call: () => Promise<unknown>): Promise<void> {
  try {
    const answer = await call();
    logger.info('workflow told', { complaintId: letter.complaintId, op: letter.op, answer });
  } catch (error) {
    logger.error('workflow callback failed; sending to the dead-letter queue', {
      complaintId: letter.complaintId,
      op: letter.op,
      ...errorSummary(error),
    });
    // The event is applied; if even the queue fails the caller gets 503 and its retry (same eventId) calls back again.
    await deps.deadLetters.send({ ...letter, error: errorSummary(error).errorName });
  }
}

/**
 * POST /complaints/{id}/events (IAM auth): a lifecycle event; 200 with the complaint's view.
 * GET /complaints/{id}/links/{kind} (IAM auth): a fresh short-lived customer link for an SMS gateway.
 */
export function complaintEventsHandler(
  deps: EventsDeps & { readonly publicBaseUrl: string },
): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return api(async (event) => {
    const now = requestTime(event);
    const signedBy = signedPrincipal(event);
    const id = complaintIdParam(event);
    if (event.httpMethod === 'GET') {
      // The link is a credential: never cached on the way.
      return json(200, await issueCustomerLink(deps, id, event.pathParameters?.kind, now), { 'Cache-Control': 'no-store' });
    }
    const lifecycleEvent = parseOr400(lifecycleEventSchema, jsonBody(event));
    return json(200, await postLifecycleEvent(deps, id, lifecycleEvent, now, signedBy));
  });
}
