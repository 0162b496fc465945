/**
 * The scheduled sweep (every few minutes, EventBridge): what no execution is there to do.
 * - A complaint whose execution failed keeps the clocks the policy keeps running on failure
 *   (the regulator's 15 days, the 72 h closed loop): their warnings and escalations go out from
 *   here, as the workflow's clock state would send them (MIIT Order No. 35, H-14).
 * - H-12: how many days ahead an official holiday schedule covers (metric CalendarCoverageDays;
 *   the stack alarms under 60), and, once the calendar changes (a year's State Council schedule
 *   added to the policy), the provisional working-day deadlines of open complaints recomputed and
 *   their waiting states re-armed.
 */

import { createHash } from 'node:crypto';
import { CLOCKS_CHANGED } from '../../contract/tasks';
import { CALENDAR_COVERAGE, officialCoverageDaysAhead } from '../../domain/calendar';
import { nextDueAt } from '../../domain/clocks';
import { recalendarClocks } from '../../domain/recalendar';
import type { SlaPolicy } from '../../domain/sla-policy';
import { TEAMS } from '../../domain/types';
import * as z from '../../domain/zod';
import type { WorkflowCallbacks } from '../ports';
import { logger } from '../runtime/logger';
import { recordValue } from '../runtime/metrics';
import { updateComplaint } from '../update';
import { clockTick, type NotifyDeps } from './notify';
import { task } from './task-handler';

export interface SweepDeps extends NotifyDeps {
  readonly workflow: WorkflowCallbacks;
}

export interface SweepReport {
  /** Failed complaints whose due clock events were sent. */
  readonly failedComplaintsTicked: number;
  /** Days from today to the last day an official holiday schedule covers. */
  readonly calendarCoverageDays: number;
  /** Open complaints whose provisional deadlines a new calendar moved (0 when the calendar is unchanged). */
  readonly recalculated: number;
}

/** The holiday data in force, as one string: when it changes, provisional deadlines may move. */
export function calendarFingerprint(policy: SlaPolicy): string {
  const data = JSON.stringify({ packageYears: CALENDAR_COVERAGE, supplement: policy.calendarSupplement ?? {} });
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

/** Sends the due clock events of failed complaints; running ones are their executions' business. */
async function tickFailedComplaints(deps: NotifyDeps, now: string): Promise<number> {
  let ticked = 0;
  for (const id of await deps.store.listDueIds(TEAMS, now)) {
    const stored = await deps.store.get(id);
    if (stored?.complaint.status !== 'failed') continue;
    await clockTick(deps, id, now, 'failed');
    ticked += 1;
  }
  return ticked;
}

/** One open complaint on the current calendar; its waiting state re-arms when a deadline moved. */
async function recalendarOne(deps: SweepDeps, id: string, now: string): Promise<boolean> {
  const outcome = await updateComplaint(
    deps.store,
    id,
    (c) => nextDueAt(c, deps.policy),
    (current) => {
      const r = recalendarClocks(current.complaint, deps.policy, now);
      return r.changed ? { complaint: r.complaint, audit: r.audit, result: true } : { result: false };
    },
  );
  if (!outcome.ok || !outcome.result) return false;
  const { stored } = outcome;
  if (stored.waitToken && stored.waitMilestone === stored.complaint.milestone) {
    await deps.workflow
      .fail(stored.waitToken, CLOCKS_CHANGED, 'the official holiday calendar moved provisional deadlines')
      .catch((error) => {
        // A token used meanwhile means the state moved on and reads the new deadlines anyway.
        logger.warn('could not re-arm the waiting state', { complaintId: id, error: (error as Error).name });
      });
  }
  return true;
}

/** Once per calendar change: every open complaint's provisional working-day clocks, recomputed. */
async function recalendarOpenComplaints(deps: SweepDeps, now: string): Promise<number> {
  const fingerprint = calendarFingerprint(deps.policy);
  if ((await deps.store.getSweptCalendar()) === fingerprint) return 0;
  const { items } = await deps.store.listOpen(TEAMS, Number.MAX_SAFE_INTEGER);
  let moved = 0;
  for (const { complaint } of items) {
    if (complaint.status === 'failed') continue;
    if (await recalendarOne(deps, complaint.id, now)) moved += 1;
  }
  await deps.store.putSweptCalendar(fingerprint, now);
  return moved;
}

export async function sweep(deps: SweepDeps, now: string): Promise<SweepReport> {
  const failedComplaintsTicked = await tickFailedComplaints(deps, now);
  const calendarCoverageDays = officialCoverageDaysAhead(now, deps.policy.timeZone, deps.policy.calendarSupplement);
  recordValue('CalendarCoverageDays', calendarCoverageDays);
  const recalculated = await recalendarOpenComplaints(deps, now);
  const report = { failedComplaintsTicked, calendarCoverageDays, recalculated };
  logger.info('sweep', { ...report, now });
  return report;
}

const scheduledEventSchema = z.object({ time: z.iso.datetime({ offset: true }) });

/**
 * Scheduled: the clock events of failed complaints, the holiday calendar's coverage, provisional
 * deadlines moved by a new calendar. "Now" is the schedule's own time, so a late or retried
 * invocation acts for the instant it was meant for.
 */
export const sweepHandler = (deps: SweepDeps) =>
  task('sweep', scheduledEventSchema, (event) => sweep(deps, new Date(event.time).toISOString()));
