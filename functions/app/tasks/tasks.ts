/**
 * Workflow tasks that change the complaint: classify and register (H-20..H-25, H-11),
 * reopen (H-34), close (H-36), and await-milestone (stores the task token).
 *
 * Retries: Step Functions retries a task with the same payload, so the same `now`. Each
 * change is saved with a marker `EVID#task:<action>:<now>` in the same transaction: a retry
 * after a successful save finds the marker and answers from the saved complaint.
 */

import { awaitMilestoneRequestSchema, classifyRequestSchema, lifecycleRequestSchema } from '../../contract/tasks';
import { parseIsoDurationMs } from '../../domain/calendar';
import { classify } from '../../domain/classify';
import { nextDueAt } from '../../domain/clocks';
import { ComplaintNotFoundError } from '../../domain/errors';
import { close, register, reopen } from '../../domain/lifecycle';
import { MILESTONES } from '../../domain/milestones';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { AuditEvent, Classification, Complaint } from '../../domain/types';
import { milestoneMetOutput } from '../milestone-met';
import type { ComplaintRepository, StoredComplaint, WorkflowCallbacks } from '../ports';
import { logger } from '../runtime/logger';
import { updateComplaint } from '../update';
import { task } from './task-handler';

export interface TaskDeps {
  readonly store: ComplaintRepository;
  readonly policy: SlaPolicy;
}

export interface ClockAnswerWithManagement {
  readonly nextDueAt: string | null;
  readonly management: boolean;
}

type Mutation = (c: Complaint) => { complaint: Complaint; audit: AuditEvent[] } | undefined;

/**
 * Applies `mutate` once per marker key. `mutate` answers undefined when there is nothing to do
 * (the change is already there, e.g. a retry whose marker was written by an older version).
 * The marker is written in the save's transaction on condition that it is absent: a retry after
 * a successful save is refused by it and answers from the complaint as saved. `loaded`: the
 * complaint as the caller read it in this invocation.
 */
export async function applyOnce(
  deps: TaskDeps,
  id: string,
  key: string,
  now: string,
  mutate: Mutation,
  loaded?: StoredComplaint,
): Promise<StoredComplaint> {
  const eventId = `task:${key}:${now}`;
  const outcome = await updateComplaint(
    deps.store,
    id,
    (c) => nextDueAt(c, deps.policy),
    (current) => {
      const changed = mutate(current.complaint);
      if (!changed) return { result: undefined };
      return {
        complaint: changed.complaint,
        audit: changed.audit,
        extra: [{ kind: 'event-marker', marker: { eventId, type: `task:${key}`, appliedAt: now, result: {} } }],
        result: undefined,
      };
    },
    loaded,
  );
  if (outcome.ok) return outcome.stored;
  const stored = await deps.store.get(id);
  if (!stored) throw new ComplaintNotFoundError(id);
  return stored;
}

const answerOf = (stored: StoredComplaint, policy: SlaPolicy): ClockAnswerWithManagement => ({
  nextDueAt: nextDueAt(stored.complaint, policy),
  management: stored.complaint.classification?.management ?? false,
});

/**
 * H-25: the customer's other complaints received within the policy window up to this one's
 * receipt (the customer index; complaints received in the same instant count as earlier).
 * Undefined while the index does not exist yet (being built after an upgrade, or local data
 * from before it): the complaint is classified without the count rather than failed, and its
 * reasons say so. Any other error propagates (throttling is retried by the workflow).
 */
export async function priorComplaintsOf(deps: TaskDeps, c: Complaint): Promise<number | undefined> {
  const from = new Date(Date.parse(c.receivedAt) - parseIsoDurationMs(deps.policy.repeatComplaints.window)).toISOString();
  const count = await deps.store.countCustomerComplaints(c.customer.id, from, c.receivedAt, c.id);
  if (count === undefined) logger.warn('customer index unavailable; classifying without the repeat count (H-25)', { complaintId: c.id });
  return count;
}

const NOT_COUNTED = 'earlier complaints by this customer not counted: the customer index is not available yet (H-25)';

/** The classify step's answer: the classification, and the next instant a clock needs attention. */
export type ClassifiedAnswer = Classification & { readonly nextDueAt: string | null };

/**
 * H-20..H-25 and H-11: classifies the complaint (with the customer's repeat count) and registers it,
 * starting its clocks, in one save. A retry answers from the stored complaint.
 */
export async function classifyTask(deps: TaskDeps, id: string, now: string): Promise<ClassifiedAnswer> {
  const current = await deps.store.get(id);
  if (!current) throw new ComplaintNotFoundError(id);
  const priorComplaints = current.complaint.classification ? undefined : await priorComplaintsOf(deps, current.complaint);
  const stored = await applyOnce(
    deps,
    id,
    'classify',
    now,
    (c) => {
      const classified = c.classification ? { complaint: c, audit: [] } : classifiedComplaint(deps, c, now, priorComplaints);
      const registered = register(classified.complaint, now, deps.policy);
      if (registered.complaint === c) return undefined;
      return { complaint: registered.complaint, audit: [...classified.audit, ...registered.audit] };
    },
    current,
  );
  const classification = stored.complaint.classification;
  if (!classification) throw new Error(`complaint ${id} has no classification after classify`);
  return { ...classification, nextDueAt: nextDueAt(stored.complaint, deps.policy) };
}

/** H-20..H-25: the complaint with its classification, and the audit line that gives its reasons. */
function classifiedComplaint(
  deps: TaskDeps,
  c: Complaint,
  now: string,
  priorComplaints: number | undefined,
): { complaint: Complaint; audit: AuditEvent[] } {
  const classified = classify(
    {
      serviceType: c.serviceType,
      source: c.source,
      channel: c.channel,
      description: c.description,
      severityHint: c.severityHint,
      ...(priorComplaints !== undefined ? { priorComplaints } : {}),
    },
    deps.policy.repeatComplaints,
  );
  const classification = priorComplaints === undefined ? { ...classified, reasons: [...classified.reasons, NOT_COUNTED] } : classified;
  return {
    complaint: { ...c, classification, team: c.team ?? classification.team },
    audit: [
      {
        at: now,
        type: 'classified',
        actor: 'system',
        detail: {
          serviceType: classification.serviceType,
          type: classification.type,
          severity: classification.severity,
          source: classification.source,
          team: classification.team,
          management: classification.management,
          complexity: classification.complexity,
          ...(priorComplaints !== undefined ? { priorComplaints } : {}),
          reasons: classification.reasons,
        },
      },
    ],
  };
}

export type LifecycleAction = 'register' | 'reopen' | 'close';

export async function lifecycleTask(
  deps: TaskDeps,
  id: string,
  now: string,
  action: LifecycleAction,
  onClosed?: (stored: StoredComplaint) => Promise<void>,
): Promise<ClockAnswerWithManagement> {
  // The domain transitions are idempotent too (a retry answers the complaint unchanged).
  const stored = await applyOnce(deps, id, action, now, (c) => {
    const r =
      action === 'register'
        ? register(c, now, deps.policy)
        : action === 'reopen'
          ? reopen(c, now, deps.policy)
          : close(c, now, deps.policy);
    return r.complaint === c ? undefined : { complaint: r.complaint, audit: [...r.audit] };
  });
  if (action === 'close' && onClosed) await onClosed(stored);
  logger.info('lifecycle action', { complaintId: id, action, status: stored.complaint.status });
  return answerOf(stored, deps.policy);
}

/** True when every lifecycle point the milestone awaits has happened. */
export function milestoneMet(c: Complaint, milestone: string): boolean {
  const m = MILESTONES.find((x) => x.id === milestone);
  if (!m) return false;
  return m.awaits.every((p) => c.points[p] !== undefined);
}

/**
 * Stores the waiting state's task token; if the milestone was met meanwhile (the event came
 * before the workflow got here), answers the token itself. One conditional write decides which:
 * an event saved before it is seen (the condition fails), one saved after it retries on the
 * bumped version and finds the token.
 */
export async function awaitMilestoneTask(
  deps: TaskDeps & { readonly workflow: WorkflowCallbacks },
  id: string,
  milestone: string,
  taskToken: string,
): Promise<{ readonly met: boolean }> {
  const awaits = MILESTONES.find((m) => m.id === milestone)?.awaits ?? [];
  const result = await deps.store.storeWaitToken(id, milestone, awaits, taskToken);
  if (result.stored) {
    logger.info('waiting for milestone', { complaintId: id, milestone });
    return { met: false };
  }
  const stored = result.current;
  if (!stored) throw new ComplaintNotFoundError(id);
  if (milestoneMet(stored.complaint, milestone)) {
    const answer = await deps.workflow.succeed(taskToken, milestoneMetOutput(stored, milestone, deps.policy));
    logger.info('milestone already met', { complaintId: id, milestone, answer });
    return { met: true };
  }
  // The workflow waits for a milestone the complaint is not at (and has not met): a bug or a
  // manual change; fail loudly so a person is told.
  throw new Error(`complaint ${id} is at milestone ${stored.complaint.milestone ?? 'none'}, not ${milestone}`);
}

/** Workflow task: classify (H-20..H-25) and register (H-11) the complaint. Answers the classification and nextDueAt. */
export const classifyHandler = (deps: TaskDeps) => task('classify', classifyRequestSchema, (p) => classifyTask(deps, p.complaintId, p.now));

/** Workflow task: reopen (H-34), close and archive (H-36), register (H-11). Answers { nextDueAt, management }. */
export const lifecycleHandler = (deps: TaskDeps) =>
  task('lifecycle', lifecycleRequestSchema, (p) =>
    lifecycleTask(deps, p.complaintId, p.now, p.action, async (stored) => {
      // Retention: re-stamps the expiry of a complaint's records only when it closed past the horizon.
      const closedAt = stored.complaint.points.closed;
      if (closedAt) await deps.store.expirePartition(stored.complaint.id, stored.complaint.receivedAt, closedAt);
    }),
  );

/**
 * Workflow task (.waitForTaskToken): stores the token of the milestone being awaited; if the
 * milestone was met meanwhile, answers the token itself (SendTaskSuccess).
 */
export const awaitMilestoneHandler = (deps: TaskDeps & { readonly workflow: WorkflowCallbacks }) =>
  task('await-milestone', awaitMilestoneRequestSchema, (p) => awaitMilestoneTask(deps, p.complaintId, p.milestone, p.taskToken));
