/**
 * Workflow task: sends the warnings and escalations due now (SES + EventBridge), records them,
 * answers the next due instant; for the survey: the reminder, and `expired` once it closes.
 */

import { clockTick } from '../app/notify';
import { notifyDepsFromEnv } from '../app/notify-deps';
import { task } from '../app/task-handler';
import { clockTickRequestSchema } from '../contract/tasks';

const deps = notifyDepsFromEnv();

export const handler = task('clock-tick', clockTickRequestSchema, (p) => clockTick(deps, p.complaintId, p.now, p.milestone));
