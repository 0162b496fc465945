/**
 * Scheduled (EventBridge rule): the clock events of failed complaints, the holiday calendar's
 * coverage, provisional deadlines moved by a new calendar.
 */

import { workflowFromEnv } from '../app/runtime/environment';
import { notifyDepsFromEnv } from '../app/tasks/notify-deps';
import { sweepHandler } from '../app/tasks/sweep';

export const handler = sweepHandler({ ...notifyDepsFromEnv(), workflow: workflowFromEnv(false) });
