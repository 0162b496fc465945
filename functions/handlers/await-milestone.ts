/**
 * Workflow task (.waitForTaskToken): stores the token of the milestone being awaited; if the
 * milestone was met meanwhile, answers the token itself (SendTaskSuccess).
 */

import { policyFromEnv, storeFromEnv, workflowFromEnv } from '../app/runtime/environment';
import { awaitMilestoneHandler } from '../app/tasks/tasks';

export const handler = awaitMilestoneHandler({ store: storeFromEnv(), policy: policyFromEnv(), workflow: workflowFromEnv(false) });
