/**
 * One Powertools logger per process (service name from POWERTOOLS_SERVICE_NAME).
 * Log complaint ids and error names, never contact details or free text (H-42): anything
 * that could carry personal data goes through redactPersonalData first.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { redactPersonalData } from '../domain/masking';

export const logger = new Logger();

/** The parts of an error safe to log: its name and its message with personal data masked (an SES rejection names the recipient). */
export function errorSummary(error: unknown): { errorName: string; errorMessage: string } {
  if (error instanceof Error) return { errorName: error.name, errorMessage: redactPersonalData(error.message).slice(0, 500) };
  return { errorName: typeof error, errorMessage: redactPersonalData(String(error)).slice(0, 200) };
}
