/**
 * Workflow task (.waitForTaskToken): stores the token of the milestone being awaited; if the
 * milestone was met meanwhile, answers the token itself (SendTaskSuccess).
 */

import { policyFromEnv, storeFromEnv, workflowFromEnv } from '../app/environment';
import { task } from '../app/task-handler';
import { awaitMilestoneTask } from '../app/tasks';
import { awaitMilestoneRequestSchema } from '../contract/tasks';

const deps = { store: storeFromEnv(), policy: policyFromEnv(), workflow: workflowFromEnv(false) };

export const handler = task('await-milestone', awaitMilestoneRequestSchema, (p) =>
  awaitMilestoneTask(deps, p.complaintId, p.milestone, p.taskToken),
);
