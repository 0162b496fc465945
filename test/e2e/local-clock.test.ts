/**
 * The loop's clock between runs, on the real local stack (fixture template: a 20-minute Wait, then
 * an email): a run begun in the past with --start-at, stopped while its timer is pending, comes
 * back at time scale 1 on the wall clock and the timer that fell due meanwhile fires at once.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { ClockStateError } from '../../local/clock-state';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { signedFetch } from '../../local/signed-fetch';
import { fixtureTemplate } from '../support/fixture-template';

const HOUR = 3_600_000;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the loop clock across runs of the local stack', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-clock-'));
  let stack: LocalStack | undefined;
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts at --start-at, then at scale 1 resumes on the wall clock and fires the timers that fell due', async () => {
    const startAt = Date.now() - 2 * HOUR;
    stack = await startLocalStack({ port: 0, dataDir, timeScale: 1, startAt, template: fixtureTemplate(), log: () => undefined });
    expect(stack.loopClock.origin).toBe('start-at');
    const res = await signedFetch(`${stack.urls.api}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'thing-down' }),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { receivedAt: string; executionArn: string };
    // Received on the loop's clock, two hours back: its 20-minute Wait is pending.
    expect(Date.parse(accepted.receivedAt)).toBeLessThan(Date.now() - HOUR);
    expect(await stack.ses.emails()).toEqual([]);

    const urls = stack.urls;
    await stack.stop();
    // Same ports: handler modules stay loaded in this process and keep their SDK clients' endpoints.
    const portOf = (u: string) => Number(new URL(u).port);
    const servicePorts = {
      engine: portOf(urls.engine),
      dynamodb: portOf(urls.dynamodb),
      ses: portOf(urls.ses),
      awsLite: portOf(urls.awsLite),
    };
    const restart = (startAtAgain?: number) =>
      startLocalStack({
        port: portOf(urls.api),
        servicePorts,
        dataDir,
        timeScale: 1,
        startAt: startAtAgain,
        template: fixtureTemplate(),
        log: () => undefined,
      });

    // --start-at only begins a fresh run: this data dir holds one.
    stack = undefined;
    await expect(restart(startAt)).rejects.toThrow(ClockStateError);

    stack = await restart();
    expect(stack.loopClock.origin).toBe('wall clock');
    const sfn = new SFNClient({ endpoint: stack.urls.engine, region: 'us-east-1', credentials: stack.credentials });
    try {
      const status = await waitFor('the pending Wait to fire', async () => {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn: accepted.executionArn }));
        return d.status === 'RUNNING' ? undefined : d.status;
      });
      expect(status).toBe('SUCCEEDED');
    } finally {
      sfn.destroy();
    }
    const mail = (await stack.ses.emails()).find((e) => e.subject === 'Escalation thing-down');
    // Sent on the wall clock, which is past the timer's due time.
    expect(mail?.body.text).toMatch(/^at \S+: /);
    const sentAt = Date.parse(/^at (\S+):/.exec(mail!.body.text!)![1]);
    expect(sentAt).toBeGreaterThan(Date.parse(accepted.receivedAt) + 20 * 60_000);
  }, 120_000);
});
