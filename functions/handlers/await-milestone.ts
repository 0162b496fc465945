/**
 * Workflow task (.waitForTaskToken): stores the token of the milestone being awaited; if the
 * milestone was met meanwhile, answers the token itself (SendTaskSuccess).
 */

import { awaitMilestoneHandler } from '../app/tasks/tasks';
import { policyFromEnv, storeFromEnv, workflowFromEnv } from './compose/environment';

export const handler = awaitMilestoneHandler({ store: storeFromEnv(), policy: policyFromEnv(), workflow: workflowFromEnv(false) });
