/**
 * A person takes an escalated clock over (H-08), from the emailed link or the console: the
 * escalation is marked acknowledged and the audit trail says who and how (H-37).
 */
import { acknowledgeEscalation } from '../domain/clocks';
import type { AuditEvent, Complaint } from '../domain/types';

export interface EscalationAck {
  readonly clockId: string;
  readonly level: number;
  /** Who acknowledges: a name given on the link's page, or the signed-in person. */
  readonly actor: string;
  readonly via: 'link' | 'console';
}

/** The acknowledged complaint and its audit line, or undefined when the escalation already was acknowledged. */
export function acknowledgement(
  complaint: Complaint,
  ack: EscalationAck,
  now: string,
): { readonly complaint: Complaint; readonly audit: readonly AuditEvent[] } | undefined {
  const after = acknowledgeEscalation(complaint, ack.clockId, ack.level, now, ack.actor);
  if (after === complaint) return undefined;
  const detail = { clockId: ack.clockId, level: ack.level, via: ack.via };
  return { complaint: after, audit: [{ at: now, type: 'escalation-acknowledged', actor: ack.actor, detail }] };
}
