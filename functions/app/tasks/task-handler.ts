/**
 * Wrapper for the workflow's Lambda tasks: validates the payload (contracts.ts), logs with the
 * complaint id only, and turns transient SDK failures into `TransientError` (retried by the
 * state machine with backoff and jitter); anything else keeps its typed name for the Catch.
 */
import type * as z from '../../domain/zod';
import { asTaskError } from '../errors';
import { errorSummary, logger, redactError } from '../runtime/logger';

export class InvalidPayloadError extends Error {
  override readonly name = 'InvalidPayloadError';
}

export function task<S extends z.ZodMiniType, R>(
  name: string,
  schema: S,
  fn: (payload: z.output<S>) => Promise<R>,
): (event: unknown) => Promise<R> {
  return async (event: unknown) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      logger.error('invalid task payload', { task: name, fields });
      throw new InvalidPayloadError(`${name}: invalid payload (${fields})`);
    }
    const complaintId = (parsed.data as { complaintId?: string }).complaintId;
    logger.appendKeys({ complaintId, task: name });
    try {
      return await fn(parsed.data);
    } catch (error) {
      logger.error('task failed', { ...errorSummary(error) });
      // What a task throws lands in the execution history: no personal data in it (H-42).
      throw asTaskError(redactError(error));
    } finally {
      logger.removeKeys(['complaintId', 'task']);
    }
  };
}
