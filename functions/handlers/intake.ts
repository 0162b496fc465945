/** POST /complaints (IAM auth): a new complaint. 202 { complaintId, status, statusUrl }. */

import { deadLettersFromEnv, policyFromEnv, storeFromEnv, workflowFromEnv } from '../app/environment';
import { intakeHandler } from '../app/intake';

export const handler = intakeHandler({
  store: storeFromEnv(),
  workflow: workflowFromEnv(true),
  deadLetters: deadLettersFromEnv(),
  policy: policyFromEnv(),
});
