/** Workflow task: classify the complaint (H-20..H-24). Answers the Classification. */

import { policyFromEnv, storeFromEnv } from '../app/environment';
import { task } from '../app/task-handler';
import { classifyTask } from '../app/tasks';
import { classifyRequestSchema } from '../contract/tasks';

const deps = { store: storeFromEnv(), policy: policyFromEnv() };

export const handler = task('classify', classifyRequestSchema, (p) => classifyTask(deps, p.complaintId, p.now));
