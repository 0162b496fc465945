/** Complaints in known states, built with the real domain functions (no hand-written records). */

import { classify } from '../../../functions/domain/classify';
import { applyLifecycleEvent, markResultNotified, newComplaint, register } from '../../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../../functions/domain/lifecycle-events';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import type { Complaint } from '../../../functions/domain/types';

export const T0 = '2026-03-02T02:00:00.000Z';
export const minutesAfter = (min: number, from = T0) => new Date(Date.parse(from) + min * 60_000).toISOString();
export const epochAt = (min: number) => Date.parse(T0) + min * 60_000;

export const CONTACT = { phone: '13812345678', email: 'li.lei@example.com' };

/** A classified, registered complaint waiting at its first milestone (first-contact). */
export function registeredComplaint(id = 'c-test0000000000000000000001', contact: { phone?: string; email?: string } = CONTACT): Complaint {
  const input = {
    requestId: `req-${id}`,
    customerId: 'cust-1',
    contact,
    channel: 'phone' as const,
    source: 'external' as const,
    serviceType: 'network' as const,
    description: '宽带无法上网，联系电话 13812345678',
    occurredAt: '2026-03-02T01:00:00Z',
  };
  const c = newComplaint(input, { id, receivedAt: T0, policyVersion: DEFAULT_SLA_POLICY.version });
  const classified = { ...c, classification: classify(input), team: classify(input).team };
  return { ...register(classified, T0, DEFAULT_SLA_POLICY).complaint, version: 2 };
}

export function metaItem(c: Complaint, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...c, pk: `C#${c.id}`, sk: 'META', ...extra }));
}

/** The same complaint handled through resolution and the result notice: the survey is open. */
export function surveyingComplaint(id = 'c-test0000000000000000000003'): Complaint {
  const p = DEFAULT_SLA_POLICY;
  let c = registeredComplaint(id);
  const events = [
    { eventId: 'a', actor: 'x', type: 'acknowledged' },
    { eventId: 'b', actor: 'x', type: 'dispatched', owner: 'wang', team: 'network-operations' },
    {
      eventId: 'c',
      actor: 'x',
      type: 'investigated',
      attribution: { description: 'd', scope: 's', occurredAt: T0, affectedParty: 'a', measures: 'm' },
    },
    { eventId: 'd', actor: 'x', type: 'responded', opinion: 'o', measures: 'm', timetable: 't', followUpOwner: 'lead' },
    { eventId: 'e', actor: 'x', type: 'resolved', resolution: { what: 'w', how: 'h', followUp: '' } },
  ] as const;
  events.forEach((e, i) => {
    c = applyLifecycleEvent(c, e as LifecycleEvent, minutesAfter(10 + i), p).complaint;
  });
  return { ...markResultNotified(c, minutesAfter(30), p).complaint, version: 9 };
}
