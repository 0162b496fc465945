/**
 * Part 3: intake throughput. The local stack runs in a child process on the real-time clock (as
 * `npm start` does); autocannon sends SigV4-signed POST /complaints at a fixed concurrency, each
 * with its own request id (signed beforehand: autocannon's setupRequest is synchronous and signing
 * is not). Reported per run: complaints accepted (202) per second, p50 and p99 latency; then
 * medians over the runs. Two stacks in turn: `npm start` as it comes (data on disk) and
 * `npm start -- --in-memory`.
 *
 *   npx tsx bench/throughput.ts   (BENCH_TP_CONNECTIONS=32, BENCH_TP_AMOUNT=3000, BENCH_TP_RUNS=3,
 *                                  BENCH_TP_MODES=disk,in-memory)
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { parseFlagsOrExit } from '../local/flags';
import { signRequest } from '../local/signed-fetch';
import { isMain, writePartResult } from './results-file';
import { complaintBody } from './scenarios';
import { fmtSpread, type MachineLoad, machineLoad, round, type Spread, spread } from './stats';

export const TP_TARGETS = { acceptedPerSecond: 1000, p99Ms: 50 } as const;

export interface ThroughputRun {
  accepted: number;
  other: number;
  errors: number;
  seconds: number;
  acceptedPerSecond: number;
  p50: number;
  p99: number;
  /** CPU per accepted complaint: the stack's Node process, and DynamoDB Local's JVM. */
  stackCpuMsPerComplaint?: number;
  dynamoDbLocalCpuMsPerComplaint?: number;
}

export type ThroughputMode = 'disk' | 'in-memory';

export interface ThroughputModeResult {
  mode: ThroughputMode;
  machine: MachineLoad;
  runs: ThroughputRun[];
  acceptedPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  stackCpuMsPerComplaint: Spread;
  dynamoDbLocalCpuMsPerComplaint?: Spread;
  rateMet: boolean;
  p99Met: boolean;
}

export interface ThroughputResult {
  connections: number;
  requestsPerRun: number;
  modes: ThroughputModeResult[];
}

interface Signed {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

async function presign(
  api: string,
  credentials: { accessKeyId: string; secretAccessKey: string; region: string },
  n: number,
): Promise<Signed[]> {
  const url = `${api}/complaints`;
  const out: Signed[] = [];
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify(complaintBody());
    const r = await signRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      credentials,
      region: credentials.region,
    });
    out.push({ method: 'POST', path: '/complaints', headers: { ...r.headers, host: new URL(api).host }, body });
  }
  return out;
}

function fire(api: string, requests: Signed[], connections: number): Promise<autocannon.Result> {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: api,
        connections,
        amount: requests.length,
        timeout: 30,
        requests: [
          {
            setupRequest: (req: any) => {
              const r = requests[next++ % requests.length]!;
              return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
            },
          },
        ],
      },
      (err: Error | null, result: autocannon.Result) => (err ? reject(err) : resolve(result)),
    );
    void instance;
  });
}

export async function runThroughput(opts: { log?: (s: string) => void } = {}): Promise<ThroughputResult> {
  const log = opts.log ?? console.log;
  const connections = Number(process.env.BENCH_TP_CONNECTIONS ?? 32);
  const amount = Number(process.env.BENCH_TP_AMOUNT ?? 3000);
  const repeats = Number(process.env.BENCH_TP_RUNS ?? 3);
  const modes = (process.env.BENCH_TP_MODES ?? 'disk,in-memory').split(',') as ThroughputMode[];
  const bad = modes.filter((m) => m !== 'disk' && m !== 'in-memory');
  if (bad.length) throw new Error(`BENCH_TP_MODES: expected disk and/or in-memory, got ${bad.join(', ')}`);
  const result: ThroughputResult = { connections, requestsPerRun: amount, modes: [] };
  for (const mode of modes) {
    log(
      `Intake throughput (${mode}): ${repeats} runs x ${amount} signed POST /complaints, ${connections} connections, stack in a child process`,
    );
    result.modes.push(await runMode(mode, { connections, amount, repeats, log }));
  }
  return result;
}

type CpuSample = { stackMs: number; dynamoDbLocalMs?: number };

function cpuOf(child: ChildProcess): Promise<CpuSample> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      const cpu = (m as { cpu?: CpuSample }).cpu;
      if (!cpu) return;
      child.off('message', on);
      resolve(cpu);
    };
    child.on('message', on);
    child.send('cpu');
  });
}

async function runMode(
  mode: ThroughputMode,
  o: { connections: number; amount: number; repeats: number; log: (s: string) => void },
): Promise<ThroughputModeResult> {
  const child = fork(path.join(__dirname, 'intake-server.ts'), mode === 'in-memory' ? ['--in-memory'] : [], {
    // BENCH_TP_PROFILE=<dir>: a V8 CPU profile of the stack process (open it in Chrome DevTools).
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_TP_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_TP_PROFILE] : [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  try {
    const ready = await new Promise<{ api: string; credentials: { accessKeyId: string; secretAccessKey: string; region: string } }>(
      (resolve, reject) => {
        child.once('message', (m) => resolve(m as never));
        child.once('exit', (code) => reject(new Error(`the local stack exited with ${code} before it was ready`)));
      },
    );
    await fire(ready.api, await presign(ready.api, ready.credentials, 40), 4); // warm-up: handlers load, clients connect
    const runs: ThroughputRun[] = [];
    for (let r = 0; r < o.repeats; r++) {
      const requests = await presign(ready.api, ready.credentials, o.amount);
      const before = await cpuOf(child);
      const res = await fire(ready.api, requests, o.connections);
      // The workflow keeps running behind the accepted requests: its CPU counts too, so wait for it.
      await new Promise((r) => setTimeout(r, 3000));
      const after = await cpuOf(child);
      const accepted = res['2xx'];
      const seconds = res.duration;
      const run: ThroughputRun = {
        accepted,
        other: res.non2xx,
        errors: res.errors + res.timeouts,
        seconds,
        acceptedPerSecond: accepted / seconds,
        p50: res.latency.p50,
        p99: res.latency.p99,
        stackCpuMsPerComplaint: accepted ? round((after.stackMs - before.stackMs) / accepted, 1) : undefined,
        dynamoDbLocalCpuMsPerComplaint:
          accepted && after.dynamoDbLocalMs !== undefined && before.dynamoDbLocalMs !== undefined
            ? round((after.dynamoDbLocalMs - before.dynamoDbLocalMs) / accepted, 1)
            : undefined,
      };
      runs.push(run);
      o.log(
        `  run ${r + 1}: ${accepted} accepted, ${run.other} other, ${run.errors} errors in ${seconds.toFixed(1)} s: ${run.acceptedPerSecond.toFixed(0)}/s, p50 ${run.p50} ms, p99 ${run.p99} ms; ` +
          `CPU per complaint: stack ${run.stackCpuMsPerComplaint} ms, DynamoDB Local ${run.dynamoDbLocalCpuMsPerComplaint ?? '?'} ms`,
      );
    }
    const result: ThroughputModeResult = {
      mode,
      machine: machineLoad(),
      runs,
      acceptedPerSecond: spread(runs.map((r) => r.acceptedPerSecond)),
      p50Ms: spread(runs.map((r) => r.p50)),
      p99Ms: spread(runs.map((r) => r.p99)),
      stackCpuMsPerComplaint: spread(runs.map((r) => r.stackCpuMsPerComplaint ?? Number.NaN)),
      dynamoDbLocalCpuMsPerComplaint: runs.every((r) => r.dynamoDbLocalCpuMsPerComplaint !== undefined)
        ? spread(runs.map((r) => r.dynamoDbLocalCpuMsPerComplaint!))
        : undefined,
      rateMet: false,
      p99Met: false,
    };
    result.rateMet = result.acceptedPerSecond.median >= TP_TARGETS.acceptedPerSecond;
    result.p99Met = result.p99Ms.median < TP_TARGETS.p99Ms;
    o.log(
      `  ${mode}: accepted/s ${fmtSpread(result.acceptedPerSecond, 0)} (target ${TP_TARGETS.acceptedPerSecond}: ${result.rateMet ? 'MET' : 'NOT MET'}), ` +
        `p50 ${fmtSpread(result.p50Ms, 0, ' ms')}, p99 ${fmtSpread(result.p99Ms, 0, ' ms')} (target < ${TP_TARGETS.p99Ms}: ${result.p99Met ? 'MET' : 'NOT MET'})`,
    );
    return result;
  } finally {
    if (child.connected) child.send('stop');
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 30_000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

if (isMain(module)) {
  parseFlagsOrExit('bench/throughput.ts', process.argv.slice(2), {});
  runThroughput()
    .then((r) => console.log(`  written ${writePartResult('throughput', r)}`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
