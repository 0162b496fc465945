/** Workflow task: classify the complaint (H-20..H-24). Answers the Classification. */

import { classifyHandler } from '../app/tasks/tasks';
import { policyFromEnv, storeFromEnv } from './compose/environment';

export const handler = classifyHandler({ store: storeFromEnv(), policy: policyFromEnv() });
