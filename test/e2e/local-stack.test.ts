/**
 * `npm start` as a user runs it: a child process on free ports with a fresh data dir and a high
 * time scale. A complaint posted over HTTP (SigV4-signed) gets no first response, so its H-01
 * clock escalates to the team supervisor at 20 virtual minutes: the email is read from the local
 * SES store. A printed login link signs in to the console. Ctrl-C (SIGINT to the process group)
 * then stops everything.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CapturedEmail, fetchEmails } from '../../local/services/ses-local';
import { signedFetch } from '../../local/signed-fetch';
import { consoleSession } from '../support/console-session';

const REPO = path.resolve(__dirname, '..', '..');
const READY = 'complaint-loop is running locally';
const TIME_SCALE = 3600;

interface Started {
  child: ChildProcess;
  stdout: () => string;
  urls: { api: string; emails: string; engine: string; dynamodb: string; events: string };
}

function startNpm(dataDir: string): Promise<Started> {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_ENDPOINT_URL')) delete env[k];
  const child = spawn('npm', ['start', '--', '--port', '0', '--time-scale', String(TIME_SCALE), '--data-dir', dataDir, '--fresh'], {
    cwd: REPO,
    env,
    // Own process group: the test sends SIGINT to all of it, as Ctrl-C in a terminal does.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-20_000)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!out.includes(READY)) return;
      const banner = out.slice(out.indexOf(READY));
      const url = (label: string) => {
        const m = new RegExp(`${label}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(banner);
        if (!m) throw new Error(`no ${label} URL in the banner:\n${banner}`);
        return m[1];
      };
      clearInterval(timer);
      try {
        resolve({
          child,
          stdout: () => out,
          urls: {
            api: url('API \\(REST, API Gateway format\\)'),
            emails: url('Emails \\(local SES\\)'),
            engine: url('Step Functions engine'),
            dynamodb: url('DynamoDB Local'),
            events: url('EventBridge events'),
          },
        });
      } catch (e) {
        reject(e);
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${out}\n${err}`));
    });
  });
}

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

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm start: the whole loop on one machine', () => {
  let started: Started | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-e2e-'));
    started = await startNpm(dataDir);
  }, 300_000);

  afterAll(async () => {
    // Never leave the stack running, even when a test failed before the Ctrl-C test.
    if (started?.child.exitCode === null && started.child.pid) {
      try {
        process.kill(-started.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URLs and the credentials', () => {
    const out = started!.stdout();
    expect(out).toContain('AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1');
    expect(out).toMatch(/State machine\s+arn:aws:states:us-east-1:123456789012:stateMachine:/);
  });

  it('prints a manager login link and a supervisor one; the supervisor link signs that supervisor in', async () => {
    const out = started!.stdout();
    const manager = /as a manager \(all teams\)\s+(http:\/\/\S+)/.exec(out)?.[1];
    const supervisor = /as a supervisor \(one team\)\s+(http:\/\/\S+)/.exec(out)?.[1];
    expect(manager).toMatch(/\/_local\/login\?code=[A-Za-z0-9_-]+$/);
    expect(supervisor).toMatch(/&as=cs-lead@carrier\.example&groups=customer-service:supervisor$/);
    const cookie = await consoleSession(supervisor!);
    const page = await (await fetch(`${started!.urls.api}/v1/console`, { headers: { cookie } })).text();
    expect(page).toContain('cs-lead@carrier.example');
    // Each printed link works once.
    expect((await fetch(supervisor!, { redirect: 'manual' })).status).toBe(403);
  });

  it('fails an unsigned complaint with 403, as API Gateway with IAM auth does', async () => {
    const res = await fetch(`${started!.urls.api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('escalates an unanswered complaint to the supervisor by email (H-01, 20 virtual minutes)', async () => {
    const requestId = `e2e-${Date.now()}`;
    const res = await signedFetch(`${started!.urls.api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        requestId,
        customerId: 'cust-e2e',
        contact: { phone: '13800138000' },
        channel: 'phone',
        source: 'external',
        serviceType: 'network',
        description: '家里宽带从昨晚开始断网，重启光猫也没用。',
        occurredAt: '2026-03-02T08:00:00+08:00',
      }),
    });
    expect(res.status).toBe(202);
    const { complaintId } = (await res.json()) as { complaintId: string };
    expect(complaintId).toMatch(/^c-/);

    // 20 virtual minutes are a third of a real second at this scale; allow for a loaded machine.
    const escalation = await waitFor<CapturedEmail>(
      'the H-01 escalation email',
      async () =>
        (await fetchEmails(started!.urls.emails)).find(
          (e) => e.subject.includes(complaintId) && e.subject.includes('H-01') && e.destination.to.some((to) => /supervisor@/.test(to)),
        ),
      60_000,
    );
    expect(escalation.destination.to).toEqual(['network-operations-supervisor@example.com']);
    expect(escalation.body.text ?? escalation.body.html).toContain(complaintId);
    // No personal data in the escalation: the phone number stays out of the email.
    expect(JSON.stringify(escalation)).not.toContain('13800138000');

    // The clock ran on the engine's (scaled) time: the H-01 deadline is 20 virtual minutes after
    // intake, and its first escalation was recorded at or after that deadline.
    type View = { clocks: { id: string; startedAt: string; deadline: string; escalations: { level: number; at: string }[] }[] };
    // The email goes out before the escalation is saved on the complaint: poll the view briefly.
    const h01 = await waitFor(
      'the H-01 escalation on the complaint',
      async () => {
        const view = await signedFetch(`${started!.urls.api}/complaints/${complaintId}`);
        expect(view.status).toBe(200);
        const text = await view.text();
        expect(text).not.toContain('13800138000');
        const clock = (JSON.parse(text) as View).clocks.find((c) => c.id === 'H-01');
        return clock && clock.escalations.length > 0 ? clock : undefined;
      },
      30_000,
    );
    expect(Date.parse(h01.deadline) - Date.parse(h01.startedAt)).toBe(20 * 60_000);
    expect(h01.escalations[0].level).toBe(1);
    expect(Date.parse(h01.escalations[0].at)).toBeGreaterThanOrEqual(Date.parse(h01.deadline));
  });

  it('stops every server and child process on Ctrl-C', async () => {
    const { child, urls } = started!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    // npm may exit before its child finishes stopping: wait for the ports to close.
    for (const u of Object.values(urls)) {
      await waitFor(`${u} to stop listening`, async () => ((await isListening(u)) ? undefined : true), 20_000);
    }
  });
});
