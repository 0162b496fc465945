/**
 * Acknowledging an escalation from the console (H-08): the signed-in supervisor or manager takes the
 * escalated clock over; the audit trail records who, from their signed-in identity (H-37).
 */
import type { Viewer } from '../../domain/access';
import { nextDueAt } from '../../domain/clocks';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { Complaint } from '../../domain/types';
import * as z from '../../domain/zod';
import { acknowledgement } from '../acknowledgement';
import type { ComplaintRepository } from '../ports';
import { logger } from '../runtime/logger';
import { updateComplaint } from '../update';

export const consoleAckFormSchema = z.strictObject({
  clockId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,32}$/, 'expected a clock id such as H-01')),
  level: z.coerce.number().check(z.int('expected the escalation level, a whole number'), z.gte(1), z.lte(9)),
});
export type ConsoleAckForm = z.infer<typeof consoleAckFormSchema>;

export type ConsoleAckOutcome = 'acknowledged' | 'already-acknowledged';

export async function acknowledgeFromConsole(
  deps: { readonly store: ComplaintRepository; readonly policy: SlaPolicy },
  complaintId: string,
  form: ConsoleAckForm,
  viewer: Viewer,
  now: string,
): Promise<ConsoleAckOutcome> {
  const outcome = await updateComplaint(
    deps.store,
    complaintId,
    (c: Complaint) => nextDueAt(c, deps.policy),
    (current) => {
      const change = acknowledgement(current.complaint, { ...form, actor: viewer.name, via: 'console' }, now);
      return change ? { ...change, result: 'acknowledged' as const } : { result: 'already-acknowledged' as const };
    },
  );
  if (!outcome.ok) throw new Error(`acknowledgement of ${complaintId} was refused: ${outcome.reason}`);
  logger.info('escalation acknowledged', { complaintId, clockId: form.clockId, escalationLevel: form.level, via: 'console' });
  return outcome.result;
}
