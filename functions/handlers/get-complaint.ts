/** GET /complaints/{id} (IAM auth): status, milestone, every clock, escalation level and history. */

import { getComplaintHandler } from '../app/api/get-complaint';
import { policyFromEnv, storeFromEnv } from './compose/environment';

export const handler = getComplaintHandler({ store: storeFromEnv(), policy: policyFromEnv() });
