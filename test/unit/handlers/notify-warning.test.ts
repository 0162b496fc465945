import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyLifecycleEvent } from '../../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../../functions/domain/lifecycle-events';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import type { Complaint } from '../../../functions/domain/types';
import { FakeTable } from './fake-table';
import { metaItem, minutesAfter, registeredComplaint } from './fixtures';
import { load, setEnv } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const eb = mockClient(EventBridgeClient);

let clockTick: typeof import('../../../functions/handlers/clock-tick').handler;
let table: FakeTable;

beforeAll(async () => {
  setEnv();
  ({ handler: clockTick } = await load<typeof import('../../../functions/handlers/clock-tick')>('../../../functions/handlers/clock-tick'));
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  eb.reset();
  table = new FakeTable(ddb);
  ses.on(SendEmailCommand).callsFake(() => ({ MessageId: 'msg' }));
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
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
const recipients = () => ses.commandCalls(SendEmailCommand).flatMap((call) => call.args[0].input.Destination!.ToAddresses!);
const warningEvents = () =>
  eb
    .commandCalls(PutEventsCommand)
    .map((call) => JSON.parse(call.args[0].input.Entries![0]!.Detail!))
    .filter((d) => d.kind === 'clock-warning');

/** The recipients the complaint's history records for its warnings (H-37). */
const historyWarningRecipients = (complaintId: string) =>
  table
    .keys(`C#${complaintId}`)
    .map((key) => table.get(`C#${complaintId}`, key.slice(key.indexOf('|') + 1)))
    .filter((item) => item?.type === 'clock-warning')
    .map((item) => (item!.detail as { to: string }).to);

describe('clock warnings go only to staff on the contact list', () => {
  it("fails to reach an owner address that is not on the team's contact list: the supervisors are warned instead", async () => {
    const c = dispatchedTo('someone@outside.example');
    table.seed(metaItem(c));
    await clockTick({ complaintId: c.id, now: WARNING_DUE, milestone: 'investigation' });

    expect(warningEvents().length).toBeGreaterThan(0);
    expect(warningEvents().every((d) => d.audience === 'supervisor')).toBe(true);
    expect(recipients()).toContain('noc-sup@example.com');
    expect(recipients()).not.toContain('someone@outside.example');
    // The history names the group the warning went to, not the policy's 'owner'.
    expect(historyWarningRecipients(c.id).length).toBeGreaterThan(0);
    expect(historyWarningRecipients(c.id).every((to) => to === 'supervisor')).toBe(true);
  });

  it("warns an owner whose address is one of the team's contacts", async () => {
    const c = dispatchedTo('NOC-Mgmt@example.com');
    table.seed(metaItem(c));
    await clockTick({ complaintId: c.id, now: WARNING_DUE, milestone: 'investigation' });

    expect(warningEvents().length).toBeGreaterThan(0);
    expect(warningEvents().every((d) => d.audience === 'owner')).toBe(true);
    expect(recipients()).toContain('NOC-Mgmt@example.com');
    expect(historyWarningRecipients(c.id).length).toBeGreaterThan(0);
    expect(historyWarningRecipients(c.id).every((to) => to === 'owner')).toBe(true);
  });
});
