/**
 * One Powertools logger per process (service name from POWERTOOLS_SERVICE_NAME).
 * Log complaint ids and error names, never contact details or free text (H-42): anything
 * that could carry personal data goes through redactPersonalData first.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { optionalEnv } from '../../config';
import { redactPersonalData } from '../../domain/masking';

// The service name through the function's own environment (the local runtime runs many functions in one process).
export const logger = new Logger({ serviceName: optionalEnv('POWERTOOLS_SERVICE_NAME', 'service_undefined') });

/** The parts of an error safe to log: its name and its message with personal data masked (an SES rejection names the recipient). */
export function errorSummary(error: unknown): { errorName: string; errorMessage: string } {
  if (error instanceof Error) return { errorName: error.name, errorMessage: redactPersonalData(error.message).slice(0, 500) };
  return { errorName: typeof error, errorMessage: redactPersonalData(String(error)).slice(0, 200) };
}

/**
 * Masks personal data in an error's message and stack, in place, so that whatever logs it or
 * carries it on (Lambda's error output, Step Functions history) holds no address (H-42).
 * The error keeps its class, name and metadata, so retry decisions still read them.
 */
export function redactError<E>(error: E): E {
  if (error instanceof Error) {
    error.message = redactPersonalData(error.message);
    if (error.stack) error.stack = redactPersonalData(error.stack);
  }
  return error;
}
