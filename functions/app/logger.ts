/**
 * One Powertools logger per process (service name from POWERTOOLS_SERVICE_NAME).
 * Log complaint ids and error names, never contact details or free text (H-42): anything
 * that could carry personal data goes through redactPersonalData first.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger();

/** The parts of an error safe to log: its name and a message without personal data. */
export function errorSummary(error: unknown): { errorName: string; errorMessage: string } {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message.slice(0, 500) };
  return { errorName: typeof error, errorMessage: String(error).slice(0, 200) };
}
