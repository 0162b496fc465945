/**
 * What GET /complaints/{id}, the events API and the console answer: the complaint for people
 * handling it, with every clock explained, contacts masked, personal data redacted from every
 * free-text field (H-42) and internal fields (task token) left out.
 */

import { viewClocks } from '../../domain/clocks';
import { complaintTimes } from '../../domain/cycles';
import { maskEmail, maskPhone, redactPersonalData } from '../../domain/masking';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { AuditEvent, Complaint } from '../../domain/types';

/**
 * Free text anyone typed (notes, write-ups, pause reasons, the survey comment, owner and actor
 * names) may mention a phone, an email or an ID number: redact it (H-42).
 */
function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redactPersonalData(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v)]));
  }
  return value;
}

export function complaintView(
  c: Complaint,
  history: readonly AuditEvent[],
  now: string,
  policy: SlaPolicy,
  nextDueAt: string | null | undefined,
): Record<string, unknown> {
  const contact = c.customer.contact;
  return {
    id: c.id,
    status: c.status,
    milestone: c.milestone ?? null,
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt ?? c.receivedAt,
    occurredAt: c.occurredAt,
    customer: {
      id: c.customer.id,
      // H-42: masked for anyone reading the API; the full contact stays in the table only.
      contact: {
        ...(contact.phone ? { phone: maskPhone(contact.phone) } : {}),
        ...(contact.email ? { email: maskEmail(contact.email) } : {}),
      },
      // 12.1: the customer's email was refused; notices go out as events only (SMS gateway, a person).
      emailUndeliverable: c.emailUndeliverable ?? null,
    },
    channel: c.channel,
    source: c.source,
    serviceType: c.serviceType,
    description: redactPersonalData(c.description),
    language: c.language,
    classification: c.classification ?? null,
    owner: c.owner ? redactPersonalData(c.owner) : null,
    team: c.team ?? c.classification?.team ?? null,
    escalationLevel: c.escalationLevel,
    reopenCount: c.reopenCount,
    pause: c.pause ? redactDeep(c.pause) : null,
    pauses: redactDeep(c.pauses),
    points: c.points,
    nextDueAt: nextDueAt ?? null,
    clocks: viewClocks(c, now, policy),
    // H-14, H-34: the operator's time per handling cycle, and receipt to close.
    times: complaintTimes(c, now),
    attribution: c.attribution ? redactDeep(c.attribution) : null,
    handlingOpinion: c.handlingOpinion ? redactDeep(c.handlingOpinion) : null,
    resolution: c.resolution ? redactDeep(c.resolution) : null,
    survey: c.survey ? redactDeep(c.survey) : null,
    policyVersion: c.policyVersion,
    version: c.version,
    history: history.map((h) => ({ ...h, actor: redactPersonalData(h.actor), detail: redactDeep(h.detail) })),
    asOf: now,
  };
}
