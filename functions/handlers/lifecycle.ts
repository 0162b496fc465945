/** Workflow task: register (H-11), reopen (H-34), close and archive (H-36). Answers { nextDueAt, management }. */

import { policyFromEnv, storeFromEnv } from '../app/runtime/environment';
import { lifecycleHandler } from '../app/tasks/tasks';

export const handler = lifecycleHandler({ store: storeFromEnv(), policy: policyFromEnv() });
