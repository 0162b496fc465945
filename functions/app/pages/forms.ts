/** application/x-www-form-urlencoded bodies from the link pages. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from '../../domain/zod';
import { bodyText, HttpError, requireContentType } from '../http';

/** Form fields as an object (empty values left out); a repeated field is refused. */
export function formBody(event: APIGatewayProxyEvent, maxBytes = 16 * 1024): Record<string, string> {
  const text = bodyText(event, maxBytes);
  requireContentType(event, 'application/x-www-form-urlencoded');
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key in out) throw new HttpError(400, 'Invalid request', { errors: [{ path: key, message: 'given more than once' }] });
    if (value.trim() !== '') out[key] = value;
  }
  return out;
}

/** Field names of a failed form validation (for the error page). */
export function formFieldErrors(error: z.core.$ZodError): string[] {
  const names = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) names.add(k);
    else names.add(issue.path.map(String).join('.') || 'form');
  }
  return [...names];
}
