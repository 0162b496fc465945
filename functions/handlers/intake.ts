/** POST /complaints (IAM auth): a new complaint. 202 { complaintId, status, statusUrl }. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { api } from '../app/api';
import { deadLettersFromEnv, policyFromEnv, storeFromEnv, workflowFromEnv } from '../app/environment';
import { HttpError, header, json, jsonBody, parseOr400, requestTime } from '../app/http';
import { acceptComplaint, intakeBodySchema, REQUEST_ID_PATTERN } from '../app/intake';

const deps = {
  store: storeFromEnv(),
  workflow: workflowFromEnv(true),
  deadLetters: deadLettersFromEnv(),
  policy: policyFromEnv(),
};

export const handler = api(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const acceptedAt = requestTime(event);
  const body = parseOr400(intakeBodySchema, jsonBody(event));
  const headerKey = header(event, 'idempotency-key')?.trim();
  if (headerKey !== undefined && !REQUEST_ID_PATTERN.test(headerKey)) {
    throw new HttpError(400, 'Invalid request', {
      errors: [{ path: 'Idempotency-Key', message: 'letters, digits and . _ : - (1 to 128)' }],
    });
  }
  if (headerKey !== undefined && body.requestId !== undefined && headerKey !== body.requestId) {
    throw new HttpError(400, 'Invalid request', { errors: [{ path: 'requestId', message: 'differs from the Idempotency-Key header' }] });
  }
  const requestId = body.requestId ?? headerKey;
  if (requestId === undefined) {
    throw new HttpError(400, 'Invalid request', { errors: [{ path: 'requestId', message: 'required (or the Idempotency-Key header)' }] });
  }
  const answer = await acceptComplaint(deps, { ...body, requestId }, acceptedAt);
  return json(202, answer, { Location: answer.statusUrl });
});
