/**
 * `npm run demo` against the local stack: the synthesized loop on a virtual clock (advanced by the
 * demo's afterTick hook, so the story is deterministic and quick), then the CLI itself as a child
 * process that Ctrl-C stops cleanly.
 */

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USAGE, DemoError, type DemoResult, type DemoRow, parseDemoFlags, renderTable, runDemo } from '../../local/demo';
import { VirtualClock } from '../../local/engine/index';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { freePort } from '../../local/services/net';

const REPO = path.resolve(__dirname, '..', '..');
const MINUTE = 60_000;
/** Monday 2 March 2026, 09:00 in Shanghai: a working day, no holiday near. */
const T0 = Date.parse('2026-03-02T01:00:00.000Z');

let stack: LocalStack;
let clock: VirtualClock;
let dataDir: string;
let result: DemoResult;

const row = (key: string): DemoRow => result.rows.find((r) => r.scenario.key === key)!;
const clockOf = (r: DemoRow, id: string) => r.view!.clocks.find((c) => c.id === id);

beforeAll(async () => {
  clock = new VirtualClock(T0);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-demo-'));
  stack = await startLocalStack({ port: 0, clock, dataDir, fresh: true, schedules: false, log: () => undefined });
  const closed = ['broadband', 'signal', 'router'];
  result = await runDemo({
    api: stack.urls.api,
    intervalMs: 1,
    runId: 'test',
    write: () => undefined,
    // The demo's steps are timed in loop time, so it plays out as at any time scale: 5 virtual
    // minutes per refresh during first contact (H-05 is 15 minutes), then an hour.
    afterTick: async () => {
      await clock.advance(clock.now() - T0 < 60 * MINUTE ? 5 * MINUTE : 60 * MINUTE);
      await stack.engine.settle();
    },
    stopWhen: (rows) =>
      rows.every((r) => r.stuck !== undefined || r.next >= r.scenario.steps.length) &&
      rows.filter((r) => closed.includes(r.scenario.key)).every((r) => r.view?.status === 'closed') &&
      clock.now() - T0 >= 4 * 60 * MINUTE,
    durationMs: 240_000,
  });
}, 400_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('posts complaints in Chinese and English covering every channel, severity and service type', () => {
    expect(result.reason).toBe('done');
    const bodies = result.rows.map((r) => r.scenario.body);
    expect(new Set(bodies.map((b) => b.channel))).toEqual(new Set(['phone', 'online', 'on-site', 'third-party-platform']));
    expect(new Set(bodies.map((b) => b.severityHint))).toEqual(new Set(['minor', 'general', 'major', 'urgent']));
    expect(new Set(bodies.map((b) => b.serviceType))).toEqual(new Set(['network', 'data', 'device', 'information-security']));
    expect(new Set(bodies.map((b) => b.language))).toEqual(new Set(['zh-CN', 'en']));
    expect(result.rows.every((r) => /^c-[a-z0-9]+$/.test(r.id) && r.view?.points.registered)).toBe(true);
    expect(result.rows.filter((r) => r.stuck)).toEqual([]);
  });

  it('drives complaints to closure through the survey link in the local SES email', () => {
    for (const key of ['broadband', 'signal']) {
      const r = row(key);
      expect(r.view!.status).toBe('closed');
      expect(r.view!.escalationLevel).toBe(0);
      expect(r.view!.points['survey-answered']).toBeDefined();
    }
    expect(result.log.filter((l) => l.includes('demo: survey: solved')).length).toBe(3);
  });

  it('reopens the complaint whose customer says not solved (H-34), then closes it', () => {
    const r = row('router');
    expect(r.view!.reopenCount).toBe(1);
    expect(r.view!.status).toBe('closed');
    expect(result.log.some((l) => l.includes(r.id.slice(0, 11)) && l.includes('reopened'))).toBe(true);
  });

  it('leaves complaints to breach and shows their escalations, which reach the supervisor by email', async () => {
    const emails = await stack.ses.emails();
    for (const key of ['data-leak', 'sim-swap']) {
      const r = row(key);
      expect(clockOf(r, 'H-01')?.status).toBe('breached');
      expect(r.view!.escalationLevel).toBeGreaterThanOrEqual(1);
      expect(
        emails.some(
          (m) =>
            m.subject.includes(r.id) && m.subject.includes('Escalation level 1') && m.destination.to.some((t) => t.includes('supervisor')),
        ),
      ).toBe(true);
    }
    // The urgent outage got its first contact in time, then missed the 2-hour handling opinion (H-06).
    const outage = row('outage');
    expect(clockOf(outage, 'H-01')?.status).toBe('met');
    expect(clockOf(outage, 'H-06')?.status).toBe('breached');
    expect(result.log.some((l) => l.includes(outage.id.slice(0, 11)) && l.includes('H-06 breached its deadline'))).toBe(true);
  });

  it('pauses one complaint: its pausable clocks stop, the 15-day clock runs on', () => {
    const r = row('throttled');
    expect(r.view!.status).toBe('paused');
    expect(clockOf(r, 'H-12')?.status).toBe('paused');
    expect(clockOf(r, 'MIIT-15D')?.status).toBe('running');
  });

  it('renders a table row per complaint with its status, next deadline and escalation', () => {
    const lines = renderTable(result.rows).split('\n');
    expect(lines[0]).toMatch(
      /^#\s+complaint\s+plan\s+severity\s+channel\s+status\s+milestone\s+next deadline\s+overdue\s+escalated\s+mails\s+doing$/,
    );
    expect(lines).toHaveLength(8);
    const leak = lines.find((l) => l.includes(row('data-leak').id.slice(0, 11)))!;
    expect(leak).toMatch(/L2 management|L1 supervisor/);
    expect(lines.find((l) => l.includes(row('throttled').id.slice(0, 11)))).toMatch(/\bpaused\b/);
  });

  it('exits cleanly on Ctrl-C (the CLI as a child process)', async () => {
    // Node with tsx's loader, in its own process group: Ctrl-C in a terminal signals the whole group.
    // (Not the tsx CLI: under heavy load its signal relay may SIGKILL a child that answers slowly.)
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/demo.ts', '--api', stack.urls.api, '--plain', '--interval', '200'], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!out.includes('posted:') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(out, err).toContain('posted:');
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 15_000))]);
    if (code === 'still running') process.kill(-child.pid!, 'SIGKILL');
    expect(code, err).toBe(0);
    expect(out).toContain('Stopped (Ctrl-C)');
    // Intakes the child had in flight still run on the server side: let them finish before teardown.
    await new Promise((r) => setTimeout(r, 3000));
    await stack.engine.settle();
  }, 90_000);

  it('fails with a clear message naming npm start when nothing listens', async () => {
    const port = await freePort();
    const run = runDemo({ api: `http://127.0.0.1:${port}`, write: () => undefined });
    await expect(run).rejects.toBeInstanceOf(DemoError);
    await expect(run).rejects.toThrow(/nothing answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start it with npm start/);
  });

  it('fails on an unknown flag or a bad URL, and documents the time scale it is made for', () => {
    expect(() => parseDemoFlags(['--speed', '3'])).toThrow(/unknown flag '--speed'/);
    expect(() => parseDemoFlags(['--api', 'localhost:3000'])).toThrow(/--api expects a URL/);
    expect(parseDemoFlags(['--api=http://127.0.0.1:4000/', '--duration', '30'])).toMatchObject({
      api: 'http://127.0.0.1:4000',
      durationMs: 30_000,
    });
    expect(DEMO_USAGE).toContain('npm start -- --time-scale 600');
  });
});
