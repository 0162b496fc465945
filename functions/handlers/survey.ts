/** GET|POST /survey/{token} (no IAM: the single-use token is the credential). H-33. */

import { policyFromEnv, storeFromEnv, workflowFromEnv } from '../app/environment';
import { surveyHandler } from '../app/survey';

export const handler = surveyHandler({ store: storeFromEnv(), workflow: workflowFromEnv(false), policy: policyFromEnv() });
