import { beforeEach, describe, expect, it } from 'vitest';
import { clockTickHandler } from '../../../functions/app/tasks/notify';
import { applyLifecycleEvent } from '../../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../../functions/domain/lifecycle-events';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import type { Complaint } from '../../../functions/domain/types';
import { minutesAfter, registeredComplaint } from './fixtures';
import { inMemoryApp } from './support';

let app: ReturnType<typeof inMemoryApp>;
let clockTick: ReturnType<typeof clockTickHandler>;

beforeEach(() => {
  app = inMemoryApp();
  clockTick = clockTickHandler(app.notifyDeps);
});

/** Acknowledged and dispatched to `owner` (free text typed by the caller) in network operations. */
function dispatchedTo(owner: string): Complaint {
  let c = registeredComplaint();
  const events = [
    { eventId: 'a', actor: 'x', type: 'acknowledged' },
    { eventId: 'b', actor: 'x', type: 'dispatched', owner, team: 'network-operations' },
  ];
  events.forEach((e, i) => {
    c = applyLifecycleEvent(c, e as LifecycleEvent, minutesAfter(5 + i), DEFAULT_SLA_POLICY).complaint;
  });
  return { ...c, version: 4 };
}

/** H-10 investigation (72 h) warns at 75 %: 54 hours after receipt. */
const WARNING_DUE = minutesAfter(54 * 60 + 1);
const recipients = () => app.mailbox.sent.flatMap((email) => email.to);
const warningEvents = () => app.events.published.map((e) => e.detail).filter((d) => d.kind === 'clock-warning');

/** The recipients the complaint's history records for its warnings (H-37). */
const historyWarningRecipients = async (complaintId: string) =>
  (await app.store.history(complaintId)).filter((e) => e.type === 'clock-warning').map((e) => (e.detail as { to: string }).to);

describe('clock warnings go only to staff on the contact list', () => {
  it("fails to reach an owner address that is not on the team's contact list: the supervisors are warned instead", async () => {
    const c = dispatchedTo('someone@outside.example');
    app.store.seed(c);
    await clockTick({ complaintId: c.id, now: WARNING_DUE, milestone: 'investigation' });

    expect(warningEvents().length).toBeGreaterThan(0);
    expect(warningEvents().every((d) => d.audience === 'supervisor')).toBe(true);
    expect(recipients()).toContain('noc-sup@example.com');
    expect(recipients()).not.toContain('someone@outside.example');
    // The history names the group the warning went to, not the policy's 'owner'.
    expect((await historyWarningRecipients(c.id)).length).toBeGreaterThan(0);
    expect((await historyWarningRecipients(c.id)).every((to) => to === 'supervisor')).toBe(true);
  });

  it("warns an owner whose address is one of the team's contacts", async () => {
    const c = dispatchedTo('NOC-Mgmt@example.com');
    app.store.seed(c);
    await clockTick({ complaintId: c.id, now: WARNING_DUE, milestone: 'investigation' });

    expect(warningEvents().length).toBeGreaterThan(0);
    expect(warningEvents().every((d) => d.audience === 'owner')).toBe(true);
    expect(recipients()).toContain('NOC-Mgmt@example.com');
    expect((await historyWarningRecipients(c.id)).length).toBeGreaterThan(0);
    expect((await historyWarningRecipients(c.id)).every((to) => to === 'owner')).toBe(true);
  });
});
