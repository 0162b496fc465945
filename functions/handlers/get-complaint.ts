/** GET /complaints/{id} (IAM auth): status, milestone, every clock, escalation level and history. */

import { policyFromEnv, storeFromEnv } from '../app/environment';
import { getComplaintHandler } from '../app/get-complaint';

export const handler = getComplaintHandler({ store: storeFromEnv(), policy: policyFromEnv() });
