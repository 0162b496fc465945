/** POST /complaints/{id}/events (IAM auth): a lifecycle event; 200 with the complaint's view. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { lifecycleEventSchema } from '../domain/lifecycle-events';
import { postLifecycleEvent } from '../app/events';
import { api, complaintIdParam, signedPrincipal } from '../app/api';
import { json, jsonBody, parseOr400, requestTime } from '../app/http';
import { deadLettersFromEnv, policyFromEnv, storeFromEnv, workflowFromEnv } from '../app/environment';

const deps = {
  store: storeFromEnv(),
  workflow: workflowFromEnv(false),
  deadLetters: deadLettersFromEnv(),
  policy: policyFromEnv(),
};

export const handler = api(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const now = requestTime(event);
  const signedBy = signedPrincipal(event);
  const id = complaintIdParam(event);
  const lifecycleEvent = parseOr400(lifecycleEventSchema, jsonBody(event));
  const answer = await postLifecycleEvent(deps, id, lifecycleEvent, now, signedBy);
  return json(200, answer);
});
