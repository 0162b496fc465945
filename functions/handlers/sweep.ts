/**
 * Scheduled (EventBridge rule): the clock events of failed complaints, the holiday calendar's
 * coverage, provisional deadlines moved by a new calendar.
 */

import { sweepHandler } from '../app/tasks/sweep';
import { workflowFromEnv } from './compose/environment';
import { notifyDepsFromEnv } from './compose/notify-deps';

export const handler = sweepHandler({ ...notifyDepsFromEnv(), workflow: workflowFromEnv(false) });
