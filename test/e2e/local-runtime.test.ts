import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/engine/index';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { signedFetch } from '../../local/signed-fetch';
import { fixtureTemplate } from '../support/fixture-template';

const START = Date.UTC(2026, 2, 2, 1, 0, 0); // 09:00 in Shanghai

function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('startLocalStack on a CDK-shaped template (in process, virtual clock)', () => {
  let stack: LocalStack;
  let dataDir: string;
  const clock = new VirtualClock(START);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-runtime-'));
    stack = await startLocalStack({ port: 0, dataDir, clock, template: fixtureTemplate(), log: () => undefined });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('creates the table from the template with its GSI and TTL', async () => {
    const ddb = new DynamoDBClient({ endpoint: stack.urls.dynamodb, region: 'us-east-1', credentials: stack.credentials });
    const t = await ddb.send(new DescribeTableCommand({ TableName: 'DataTable1A2B3C4D' }));
    expect(t.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['open-by-team']);
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'DataTable1A2B3C4D' }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' });
    ddb.destroy();
  });

  it('serves the state machine over the engine endpoint for @aws-sdk/client-sfn', async () => {
    const sfn = new SFNClient({ endpoint: stack.urls.engine, region: 'us-east-1', credentials: stack.credentials });
    const out = await sfn.send(new ListStateMachinesCommand({}));
    expect(out.stateMachines?.map((m) => m.stateMachineArn)).toEqual([stack.stateMachineArn]);
    sfn.destroy();
  });

  it('runs a signed API call through the handler, the engine and a timer to an email, on engine time', async () => {
    const res = await signedFetch(`${stack.urls.api}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'thing-1' }),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { receivedAt: string; executionArn: string };
    // requestTimeEpoch comes from the engine's clock, not the host's.
    expect(accepted.receivedAt).toBe(new Date(START).toISOString());
    expect(accepted.executionArn).toBe(`${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:thing-1`);

    await clock.advance(19 * 60_000);
    expect((await stack.ses.emails()).filter((e) => e.subject === 'Escalation thing-1')).toEqual([]);
    await clock.advance(60_000);
    const mails = (await stack.ses.emails()).filter((e) => e.subject === 'Escalation thing-1');
    expect(mails).toHaveLength(1);
    // 20 virtual minutes after intake; the link points at the local API.
    // The SES store stamps mail with the engine's clock too.
    expect(mails[0].at).toBe(Math.floor((START + 20 * 60_000) / 1000));
    expect(mails[0].body.text).toBe(`at ${new Date(START + 20 * 60_000).toISOString()}: ${stack.urls.api}/things/thing-1`);
    expect(stack.awsLite.events().map((e) => e.detail)).toContainEqual({ thingId: 'thing-1' });

    const sfn = new SFNClient({ endpoint: stack.urls.engine, region: 'us-east-1', credentials: stack.credentials });
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: accepted.executionArn }));
    expect(d.status).toBe('SUCCEEDED');
    sfn.destroy();

    // The unsigned GET route reads what the handler wrote; each function loaded with its own service name.
    const got = await fetch(`${stack.urls.api}/prod/things/thing-1`);
    expect(await got.json()).toEqual({ id: 'thing-1', receivedAt: new Date(START).toISOString(), serviceName: 'complaint-loop-record' });
  });

  it('fails an unsigned POST with 403 and starts nothing', async () => {
    const res = await fetch(`${stack.urls.api}/things`, { method: 'POST', body: JSON.stringify({ id: 'thing-2' }) });
    expect(res.status).toBe(403);
    const sfn = new SFNClient({ endpoint: stack.urls.engine, region: 'us-east-1', credentials: stack.credentials });
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:thing-2` })),
    ).rejects.toThrow(/does not exist/i);
    sfn.destroy();
  });

  it('keeps data across a restart on the same data dir, and stops everything it started', async () => {
    const urls = stack.urls;
    const t0 = Date.now();
    await stack.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    for (const u of [urls.api, urls.engine, urls.dynamodb, urls.ses, urls.awsLite]) expect(await isListening(u)).toBe(false);
    // Same ports: handler modules stay loaded in this process and keep their SDK clients' endpoints.
    const portOf = (u: string) => Number(new URL(u).port);
    stack = await startLocalStack({
      port: portOf(urls.api),
      servicePorts: { engine: portOf(urls.engine), dynamodb: portOf(urls.dynamodb), ses: portOf(urls.ses), awsLite: portOf(urls.awsLite) },
      dataDir,
      clock,
      template: fixtureTemplate(),
      log: () => undefined,
    });
    expect(stack.provisioned.existing).toEqual(['table DataTable1A2B3C4D', 'state machine LoopStateMachineBBBB2222']);
    const got = await fetch(`${stack.urls.api}/things/thing-1`);
    expect(got.status).toBe(200);
  });
});
