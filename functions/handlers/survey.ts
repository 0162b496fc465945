/** GET|POST /survey/{token} (no IAM: the single-use token is the credential). H-33. */

import { surveyHandler } from '../app/pages/survey';
import { policyFromEnv, storeFromEnv, workflowFromEnv } from './compose/environment';

export const handler = surveyHandler({ store: storeFromEnv(), workflow: workflowFromEnv(false), policy: policyFromEnv() });
