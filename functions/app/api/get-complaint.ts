/** GET /complaints/{id} (IAM auth): the complaint's view (view.ts) with its history. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { nextDueAt } from '../../domain/clocks';
import { ComplaintNotFoundError } from '../../domain/errors';
import type { SlaPolicy } from '../../domain/sla-policy';
import { json, requestTime } from '../http';
import type { ComplaintRecords } from '../ports';
import { api, complaintIdParam } from './api';
import { complaintView } from './view';

/** GET /complaints/{id} (IAM auth): status, milestone, every clock, escalation level and history. */
export function getComplaintHandler(deps: {
  readonly store: ComplaintRecords;
  readonly policy: SlaPolicy;
}): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return api(async (event) => {
    const now = requestTime(event);
    const id = complaintIdParam(event);
    const [stored, history] = await Promise.all([deps.store.get(id), deps.store.history(id)]);
    if (!stored) throw new ComplaintNotFoundError(id);
    return json(200, complaintView(stored.complaint, history, now, deps.policy, nextDueAt(stored.complaint, deps.policy)));
  });
}
