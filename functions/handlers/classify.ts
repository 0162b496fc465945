/** Workflow task: classify the complaint (H-20..H-24). Answers the Classification. */

import { policyFromEnv, storeFromEnv } from '../app/runtime/environment';
import { classifyHandler } from '../app/tasks/tasks';

export const handler = classifyHandler({ store: storeFromEnv(), policy: policyFromEnv() });
