/**
 * POST /complaints/{id}/events (IAM auth): a lifecycle event; 200 with the complaint's view.
 * GET /complaints/{id}/links/{kind} (IAM auth): a fresh short-lived customer link for an SMS gateway.
 */

import { complaintEventsHandler } from '../app/api/events';
import { deadLettersFromEnv, policyFromEnv, publicBaseUrlFromEnv, storeFromEnv, workflowFromEnv } from './compose/environment';

export const handler = complaintEventsHandler({
  store: storeFromEnv(),
  workflow: workflowFromEnv(false),
  deadLetters: deadLettersFromEnv(),
  policy: policyFromEnv(),
  publicBaseUrl: publicBaseUrlFromEnv(),
});
