/** Typed errors → API answers, shared by the JSON API handlers. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ComplaintNotFoundError, EventNotAllowedError, InvalidEventError } from '../../domain/errors';
import { IdempotencyConflictError, isTransient } from '../errors';
import { errorResponse, HttpError, json } from '../http';
import { errorSummary, logger } from '../runtime/logger';

export function toResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof HttpError) return errorResponse(error);
  if (error instanceof EventNotAllowedError) {
    return json(409, { message: error.message, expected: error.expected });
  }
  if (error instanceof InvalidEventError) {
    return json(400, { message: error.message, errors: error.issues });
  }
  if (error instanceof ComplaintNotFoundError) return json(404, { message: 'Complaint not found' });
  if (error instanceof IdempotencyConflictError) {
    return json(409, { message: 'This request id was already used with a different body' });
  }
  const summary = errorSummary(error);
  if (isTransient(error) || summary.errorName === 'IntakeUnavailableError') {
    logger.warn('temporarily unavailable', summary);
    return json(503, { message: 'Temporarily unavailable; retry the request' }, { 'Retry-After': '1' });
  }
  logger.error('unhandled error', summary);
  return json(500, { message: 'Internal error' });
}

/** Wraps an API handler body: any thrown error becomes its answer. */
export function api(
  fn: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>,
): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return async (event) => {
    try {
      return await fn(event);
    } catch (error) {
      return toResponse(error);
    }
  };
}

/** The complaint id path parameter, validated like the workflow's ids (404 when malformed: nothing to find). */
export function complaintIdParam(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (!id || !/^[A-Za-z0-9-]{8,64}$/.test(id)) throw new HttpError(404, 'Complaint not found');
  return id;
}

/**
 * The IAM principal API Gateway verified for this request (AWS_IAM routes sign every call). The
 * audit trail records it beside the actor the caller typed, so a name cannot be borrowed (H-37).
 */
export function signedPrincipal(event: APIGatewayProxyEvent): string {
  const arn = event.requestContext?.identity?.userArn;
  if (!arn) throw new HttpError(403, 'Missing Authentication Token');
  return arn;
}
