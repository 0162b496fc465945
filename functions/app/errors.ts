/**
 * Errors of the application layer (the domain's own are in functions/domain/errors.ts).
 * `name` is stable: the workflow's Retry/Catch and the API's status mapping read it.
 */

/** Worth retrying: the workflow retries `TransientError` with backoff and jitter. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Same request id, different body (intake). */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
}

/** The complaint changed between load and save more often than we retry. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
}

export type LinkProblem = 'unknown' | 'used' | 'expired' | 'closed';

/** A survey or acknowledgement link that cannot be used (unknown, used, expired, or its step is over). */
export class LinkUnusableError extends Error {
  override readonly name = 'LinkUnusableError';
  constructor(readonly problem: LinkProblem) {
    super(`Link ${problem}`);
  }
}

/** Names of SDK errors that a later attempt can cure. */
const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
  'VersionConflictError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** For workflow tasks: a transient SDK failure becomes `TransientError` so the state machine retries it. */
export function asTaskError(error: unknown): unknown {
  if (error instanceof TransientError || !isTransient(error)) return error;
  const name = (error as { name?: string }).name ?? 'Error';
  return new TransientError(`Transient failure (${name}); safe to retry`, { cause: error });
}
