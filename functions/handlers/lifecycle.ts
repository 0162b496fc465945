/** Workflow task: register (H-11), reopen (H-34), close and archive (H-36). Answers { nextDueAt, management }. */

import { lifecycleHandler } from '../app/tasks/tasks';
import { policyFromEnv, storeFromEnv } from './compose/environment';

export const handler = lifecycleHandler({ store: storeFromEnv(), policy: policyFromEnv() });
