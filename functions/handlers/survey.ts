/** GET|POST /survey/{token} (no IAM: the single-use token is the credential). H-33. */

import { policyFromEnv, storeFromEnv, workflowFromEnv } from '../app/environment';
import { linkHandler } from '../app/link-handler';
import { showSurvey, submitSurvey } from '../app/survey';

const deps = { store: storeFromEnv(), workflow: workflowFromEnv(false), policy: policyFromEnv() };

export const handler = linkHandler({
  get: (token, now) => showSurvey(deps, token, now),
  post: (token, form, now) => submitSurvey(deps, token, form, now),
});
