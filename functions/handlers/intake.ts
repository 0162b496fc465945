/** POST /complaints (IAM auth): a new complaint. 202 { complaintId, status, statusUrl }. */

import { intakeHandler } from '../app/api/intake';
import { deadLettersFromEnv, policyFromEnv, storeFromEnv, workflowFromEnv } from './compose/environment';

export const handler = intakeHandler({
  store: storeFromEnv(),
  workflow: workflowFromEnv(true),
  deadLetters: deadLettersFromEnv(),
  policy: policyFromEnv(),
});
