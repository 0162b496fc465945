/**
 * How `npm start` stops when it is run from a script or a process manager rather than a terminal:
 * a signal to the npm process alone (not its process group), and a parent that dies without one.
 * Each case checks that every port is closed and that no process the stack started remains.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..', '..');
const READY = 'complaint-loop is running locally';
const BANNER_LABELS = [
  'API \\(REST, API Gateway format\\)',
  'Emails \\(local SES\\)',
  'EventBridge events',
  'Step Functions engine',
  'DynamoDB Local',
];

interface Started {
  npm: ChildProcess;
  urls: string[];
  output: () => string;
}

const running: ChildProcess[] = [];

function startNpm(): Promise<Started> {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_ENDPOINT_URL')) delete env[k];
  // Own process group, only so that afterEach can clean up if a test fails: the tests signal pids.
  const npm = spawn('npm', ['start', '--', '--port', '0', '--in-memory'], {
    cwd: REPO,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(npm);
  let out = '';
  npm.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!out.includes(READY)) return;
      clearInterval(timer);
      const banner = out.slice(out.indexOf(READY));
      const urls = BANNER_LABELS.map((label) => new RegExp(`${label}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(banner)?.[1]);
      if (urls.some((u) => !u)) reject(new Error(`a URL is missing from the banner:\n${banner}`));
      else resolve({ npm, urls: urls as string[], output: () => out });
    }, 200);
    npm.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** Every process below `pid`, with its command line. */
function descendants(pid: number): { pid: number; command: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), command: m[3] }));
  const found: { pid: number; command: string }[] = [];
  const visit = (parent: number) => {
    for (const row of rows.filter((r) => r.ppid === parent)) {
      found.push({ pid: row.pid, command: row.command });
      visit(row.pid);
    }
  };
  visit(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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

async function waitFor(what: string, done: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The stack's processes: Node running start.ts, and DynamoDB Local's JVM below it. */
function stackProcesses(npmPid: number) {
  const all = descendants(npmPid);
  const node = all.find((p) => p.command.includes('local/start.ts'));
  const java = all.find((p) => p.command.includes('LoopbackDynamoDbLocal'));
  expect(node, `start.ts below npm: ${JSON.stringify(all)}`).toBeDefined();
  expect(java, `DynamoDB Local below npm: ${JSON.stringify(all)}`).toBeDefined();
  return { all, node: node!, java: java! };
}

async function expectAllGone(started: Started, pids: number[]): Promise<void> {
  for (const url of started.urls) await waitFor(`${url} to stop listening`, async () => !(await isListening(url)));
  for (const pid of pids) await waitFor(`process ${pid} to exit`, () => !alive(pid));
}

describe('npm start stops everything it started', () => {
  afterEach(() => {
    for (const npm of running.splice(0)) {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('on SIGTERM to the npm process alone', async () => {
    const started = await startNpm();
    const { all } = stackProcesses(started.npm.pid!);
    // No shell between npm and Node: the signal npm forwards reaches start.ts itself.
    expect(all.map((p) => p.command).filter((c) => /^(\/bin\/)?sh -c/.test(c))).toEqual([]);
    const exited = new Promise<number | null>((resolve) => started.npm.once('exit', (code) => resolve(code)));
    process.kill(started.npm.pid!, 'SIGTERM');
    await exited;
    await expectAllGone(
      started,
      all.map((p) => p.pid),
    );
    expect(started.output()).toContain('SIGTERM: stopping...');
  }, 180_000);

  it('when npm dies without a chance to forward a signal (SIGKILL)', async () => {
    const started = await startNpm();
    const { all } = stackProcesses(started.npm.pid!);
    process.kill(started.npm.pid!, 'SIGKILL');
    await expectAllGone(
      started,
      all.map((p) => p.pid),
    );
    expect(started.output()).toMatch(/parent process \d+ exited: stopping\.\.\./);
  }, 180_000);

  it('fails safe when the Node process itself is killed (SIGKILL): DynamoDB Local exits with it', async () => {
    const started = await startNpm();
    const { all, node } = stackProcesses(started.npm.pid!);
    process.kill(node.pid, 'SIGKILL');
    await expectAllGone(
      started,
      all.map((p) => p.pid),
    );
  }, 180_000);
});
