/**
 * The scheduled sweep (every few minutes, EventBridge): what no execution is there to do.
 * - A complaint whose execution failed keeps the clocks the policy keeps running on failure
 *   (the regulator's 15 days, the 72 h closed loop): their warnings and escalations go out from
 *   here, as the workflow's clock state would send them (MIIT Order No. 35, H-14).
 */
import { TEAMS } from '../domain/types';
import { clockTick, type NotifyDeps } from './notify';
import { logger } from './logger';

export interface SweepReport {
  /** Failed complaints whose due clock events were sent. */
  readonly failedComplaintsTicked: number;
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

export async function sweep(deps: NotifyDeps, now: string): Promise<SweepReport> {
  const failedComplaintsTicked = await tickFailedComplaints(deps, now);
  const report = { failedComplaintsTicked };
  logger.info('sweep', { ...report, now });
  return report;
}
