/** The clock tick under a policy with a pause cap (pause.maxTotal): the cap's end is a clock event. */
import { gunzipSync } from 'node:zlib';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pauseClocks } from '../../../functions/domain/clocks';
import { resolveSlaPolicy } from '../../../functions/domain/sla-policy';
import type { ClockState } from '../../../functions/domain/types';
import { FakeTable } from './fake-table';
import { metaItem, minutesAfter, registeredComplaint } from './fixtures';
import { load, setEnv } from './support';

const CAP = { pause: { maxTotal: 'PT2H' } };
const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const eb = mockClient(EventBridgeClient);
let clockTick: typeof import('../../../functions/handlers/clock-tick').handler;
let table: FakeTable;

beforeAll(async () => {
  setEnv({ SLA_POLICY: JSON.stringify(CAP) });
  ({ handler: clockTick } = await load<typeof import('../../../functions/handlers/clock-tick')>('../../../functions/handlers/clock-tick'));
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  eb.reset();
  table = new FakeTable(ddb);
  ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

function storedClocks(id: string): Record<string, ClockState> {
  const item = table.get(`C#${id}`, 'META')!;
  return item.clocksZ instanceof Uint8Array
    ? JSON.parse(gunzipSync(item.clocksZ).toString('utf8'))
    : (item.clocks as Record<string, ClockState>);
}

describe('clock-tick with a pause cap', () => {
  it('at the cap end the frozen clocks run again, with an audit line and no email; the complaint stays paused', async () => {
    const policy = resolveSlaPolicy(CAP);
    const c = pauseClocks(registeredComplaint(), minutesAfter(60), 'customer away', policy, 'agent-7');
    expect(c.pause?.capEndsAt).toBe(minutesAfter(180));
    table.seed(metaItem(c));

    const early = (await clockTick({ complaintId: c.id, now: minutesAfter(170), milestone: 'first-contact' })) as {
      nextDueAt: string | null;
    };
    expect(storedClocks(c.id)['H-02']!.status).toBe('paused');
    expect(early.nextDueAt! <= minutesAfter(180)).toBe(true);

    await clockTick({ complaintId: c.id, now: minutesAfter(180), milestone: 'first-contact' });
    const clocks = storedClocks(c.id);
    expect(clocks['H-02']).toMatchObject({
      status: 'running',
      deadline: new Date(Date.parse(c.clocks['H-02']!.deadline) + 2 * 3_600_000).toISOString(),
    });
    expect(table.get(`C#${c.id}`, 'META')!.status).toBe('paused');
    const audit = table.keys(`C#${c.id}|EV#`).map((k) => table.items.get(k)!);
    expect(audit.filter((a) => a.type === 'clock-pause-cap-reached').map((a) => (a.detail as { clockId: string }).clockId)).toContain(
      'H-02',
    );
    expect(ses.commandCalls(SendEmailCommand).filter((x) => x.args[0].input.Content?.Simple?.Subject?.Data?.includes('H-02'))).toHaveLength(
      0,
    );
  });
});
