/**
 * Workflow task: sends the warnings and escalations due now (SES + EventBridge), records them,
 * answers the next due instant; for the survey: the reminder, and `expired` once it closes.
 */
import { clockTickHandler } from '../app/tasks/notify';
import { notifyDepsFromEnv } from './compose/notify-deps';

export const handler = clockTickHandler(notifyDepsFromEnv());
