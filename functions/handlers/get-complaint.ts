/** GET /complaints/{id} (IAM auth): status, milestone, every clock, escalation level and history. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { api, complaintIdParam } from '../app/api';
import { policyFromEnv, storeFromEnv } from '../app/environment';
import { json, requestTime } from '../app/http';
import { complaintView } from '../app/view';
import { nextDueAt } from '../domain/clocks';
import { ComplaintNotFoundError } from '../domain/errors';

const store = storeFromEnv();
const policy = policyFromEnv();

export const handler = api(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const now = requestTime(event);
  const id = complaintIdParam(event);
  const [stored, history] = await Promise.all([store.get(id), store.history(id)]);
  if (!stored) throw new ComplaintNotFoundError(id);
  return json(200, complaintView(stored.complaint, history, now, policy, nextDueAt(stored.complaint, policy)));
});
