/** Workflow task: classify the complaint (H-20..H-24). Answers the Classification. */
import { classifyRequestSchema } from '../../workflows/contracts';
import { classifyTask } from '../app/tasks';
import { task } from '../app/task-handler';
import { policyFromEnv, storeFromEnv } from '../app/environment';

const deps = { store: storeFromEnv(), policy: policyFromEnv() };

export const handler = task('classify', classifyRequestSchema, (p) => classifyTask(deps, p.complaintId, p.now));
