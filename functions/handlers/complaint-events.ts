/**
 * POST /complaints/{id}/events (IAM auth): a lifecycle event; 200 with the complaint's view.
 * GET /complaints/{id}/links/{kind} (IAM auth): a fresh short-lived customer link for an SMS gateway.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { api, complaintIdParam, signedPrincipal } from '../app/api';
import { deadLettersFromEnv, policyFromEnv, publicBaseUrlFromEnv, storeFromEnv, workflowFromEnv } from '../app/environment';
import { postLifecycleEvent } from '../app/events';
import { json, jsonBody, parseOr400, requestTime } from '../app/http';
import { issueCustomerLink } from '../app/link-request';
import { lifecycleEventSchema } from '../domain/lifecycle-events';

const deps = {
  store: storeFromEnv(),
  workflow: workflowFromEnv(false),
  deadLetters: deadLettersFromEnv(),
  policy: policyFromEnv(),
  publicBaseUrl: publicBaseUrlFromEnv(),
};

export const handler = api(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const now = requestTime(event);
  const signedBy = signedPrincipal(event);
  const id = complaintIdParam(event);
  if (event.httpMethod === 'GET') {
    // The link is a credential: never cached on the way.
    return json(200, await issueCustomerLink(deps, id, event.pathParameters?.kind, now), { 'Cache-Control': 'no-store' });
  }
  const lifecycleEvent = parseOr400(lifecycleEventSchema, jsonBody(event));
  const answer = await postLifecycleEvent(deps, id, lifecycleEvent, now, signedBy);
  return json(200, answer);
});
