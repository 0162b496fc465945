import { describe, expect, it } from 'vitest';
import { acknowledgement } from '../../../functions/app/acknowledgement';
import { acknowledgeFromConsole } from '../../../functions/app/console/console-ack';
import { applyClockEvents, dueClockEvents } from '../../../functions/domain/clocks';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import { minutesAfter, registeredComplaint } from '../handlers/fixtures';
import { InMemoryComplaintRepository } from '../support/in-memory';

/** A complaint whose H-01 first response was missed: escalated to the supervisor at 20 minutes. */
function escalated() {
  const registered = registeredComplaint();
  const at = minutesAfter(20);
  return applyClockEvents(registered, dueClockEvents(registered, at, DEFAULT_SLA_POLICY), at);
}

describe('acknowledging an escalation (H-08, H-37)', () => {
  it('marks the escalation and writes one audit line saying who and how', () => {
    const now = minutesAfter(25);
    const change = acknowledgement(escalated(), { clockId: 'H-01', level: 1, actor: '王主管', via: 'link' }, now);
    expect(change?.complaint.clocks['H-01']?.escalations[0]).toMatchObject({ level: 1, ackedAt: now, ackedBy: '王主管' });
    expect(change?.audit).toEqual([
      { at: now, type: 'escalation-acknowledged', actor: '王主管', detail: { clockId: 'H-01', level: 1, via: 'link' } },
    ]);
  });

  it('changes nothing for an escalation already acknowledged', () => {
    const first = acknowledgement(escalated(), { clockId: 'H-01', level: 1, actor: 'a', via: 'link' }, minutesAfter(25));
    expect(acknowledgement(first!.complaint, { clockId: 'H-01', level: 1, actor: 'b', via: 'console' }, minutesAfter(26))).toBeUndefined();
  });

  it('from the console records the signed-in person once, then answers already acknowledged', async () => {
    const store = new InMemoryComplaintRepository().seed({ ...escalated(), version: 3 });
    const viewer = { id: 'sub-1', name: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] };
    const deps = { store, policy: DEFAULT_SLA_POLICY };
    const id = registeredComplaint().id;
    expect(await acknowledgeFromConsole(deps, id, { clockId: 'H-01', level: 1 }, viewer, minutesAfter(25))).toBe('acknowledged');
    expect(await acknowledgeFromConsole(deps, id, { clockId: 'H-01', level: 1 }, viewer, minutesAfter(26))).toBe('already-acknowledged');
    const lines = (await store.history(id)).filter((l) => l.type === 'escalation-acknowledged');
    expect(lines).toEqual([
      {
        at: minutesAfter(25),
        type: 'escalation-acknowledged',
        actor: 'cs-lead@carrier.example',
        detail: { clockId: 'H-01', level: 1, via: 'console' },
      },
    ]);
  });

  it('fails for a level that was never escalated', () => {
    expect(() => acknowledgement(escalated(), { clockId: 'H-01', level: 2, actor: 'a', via: 'link' }, minutesAfter(25))).toThrow(/H-01/);
  });
});
