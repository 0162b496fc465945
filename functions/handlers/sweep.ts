/**
 * Scheduled (EventBridge rule): the clock events of failed complaints, the holiday calendar's
 * coverage, provisional deadlines moved by a new calendar.
 */

import { workflowFromEnv } from '../app/environment';
import { notifyDepsFromEnv } from '../app/notify-deps';
import { sweepHandler } from '../app/sweep';

export const handler = sweepHandler({ ...notifyDepsFromEnv(), workflow: workflowFromEnv(false) });
