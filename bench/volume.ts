/**
 * Part 4: lifecycle at volume. N complaints (400 by default), the four fixed scenarios mixed
 * in turn, all taken in at one virtual instant and driven through their whole loop on the virtual
 * clock: steps due at the same instant run with bounded concurrency. Measured: wall time from the
 * first intake to the last close, peak RSS of this process (engine, handlers, API server; DynamoDB
 * Local is a separate JVM, reported apart), and that every execution SUCCEEDED with its complaint
 * closed, and this process's CPU per complaint with a sampling profile of where it went (SDK,
 * logging, JSON, engine, project code, GC: bench/cpu-profile.ts). Timings are reported, never asserted.
 *
 *   npx tsx bench/volume.ts   (BENCH_VOLUME_N=400, BENCH_VOLUME_CONCURRENCY=32, BENCH_VOLUME_RUNS=1)
 *
 * BENCH_VOLUME_BASELINE=<git ref> runs the same bench at that commit before each run (bench/baseline.ts),
 * so Node CPU per complaint is also read as a ratio to that commit's, measured under the same load.
 */
import * as fs from 'node:fs';
import { REPO_ROOT } from '../lib/paths';
import { parseFlagsOrExit } from '../local/flags';
import { type BaselineCheckout, checkoutBaseline, runPartIn } from './baseline';
import { type CpuBreakdown, profiled } from './cpu-profile';
import { startBenchStack } from './loop-stack';
import { isMain, writePartResult } from './results-file';
import { mailIndex, outcomes, runComplaints, SCENARIOS, type ScenarioName } from './scenarios';
import { cpuMsOf, dynamoDbLocalPids, fmtSpread, type MachineLoad, machineLoad, round, type Spread, spread } from './stats';

/**
 * Node CPU per complaint's whole loop: half the 190 ms measured before clients, logging and
 * requests were worked on. (A wall-time target for 10,000 complaints is not set: DynamoDB Local's
 * own CPU per request rules out 10,000 in a minute on two cores, whatever Node does.)
 */
export const NODE_CPU_TARGET_MS_PER_COMPLAINT = 95;

export interface VolumeRun {
  complaints: number;
  seconds: number;
  peakRssMiB: number;
  javaPeakRssMiB?: number;
  succeededClosed: number;
  wrong: Array<{ id: string; scenario: ScenarioName; status: string; view: string }>;
  byScenario: Record<string, number>;
  apiRequests: number;
  emails: number;
  /** CPU seconds over the run: this process (engine, handlers, API) and DynamoDB Local's JVM. */
  nodeCpuSeconds: number;
  javaCpuSeconds?: number;
  /** Node CPU milliseconds per complaint's whole loop (this process: engine, API server, handlers). */
  nodeCpuMsPerComplaint: number;
  /** Where this process's CPU went (sampling profile over the run). */
  cpuProfile: CpuBreakdown;
  /** 1/5/15-minute load average at the end of the run. */
  loadAverage: [number, number, number];
}

export interface VolumeResult {
  machine: MachineLoad;
  complaints: number;
  concurrency: number;
  runs: VolumeRun[];
  seconds: Spread;
  peakRssMiB: Spread;
  allEndedRight: boolean;
  met: boolean;
  /** BENCH_VOLUME_BASELINE: the same runs at an earlier commit, each just before this commit's. */
  baseline?: {
    ref: string;
    commit: string;
    nodeCpuMsPerComplaint: number[];
    /** This commit's Node CPU per complaint ÷ the baseline's, run by run. */
    ratio: Spread;
  };
}

/** Peak resident set (VmHWM) of a process, from /proc on Linux. */
function peakRssOf(pid: number | string): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function runOnce(n: number, concurrency: number, log: (s: string) => void): Promise<VolumeRun> {
  // No metering: the handlers talk to DynamoDB Local directly, as they would to DynamoDB.
  const b = await startBenchStack({ meterLambdas: false, meterDynamo: false });
  try {
    const plan: ScenarioName[] = Array.from({ length: n }, (_, i) => SCENARIOS[i % SCENARIOS.length]!);
    // Warm-up: loading and compiling the handlers on their first call is not a complaint's cost.
    await runComplaints(b, [...SCENARIOS], { settle: false, mail: mailIndex() });
    b.takeApiCalls();
    const emailsBefore = mailIndex().total();
    // rss() alone: memoryUsage() walks the whole heap's spaces, costly every 200 ms.
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 200);
    const jvm = dynamoDbLocalPids(process.pid)[0];
    const cpu0 = process.cpuUsage();
    const java0 = jvm === undefined ? undefined : cpuMsOf(jvm);
    const t = process.hrtime.bigint();
    const {
      result: { ids },
      cpu: cpuProfile,
    } = await profiled(() => runComplaints(b, plan, { concurrency, settle: false, mail: mailIndex() }));
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const java1 = jvm === undefined ? undefined : cpuMsOf(jvm);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss(), (peakRssOf('self') ?? 0) * 2 ** 20);
    const apiRequests = b.takeApiCalls().length;
    const emails = mailIndex().total() - emailsBefore;
    const javaPeak = dynamoDbLocalPids(process.pid)
      .map(peakRssOf)
      .find((x) => x !== undefined);
    log(`  ${n} complaints through their loop in ${seconds.toFixed(1)} s wall; checking how each ended...`);
    const ends = await outcomes(b, plan, ids, concurrency);
    b.takeApiCalls();
    const wrong = ends.filter((o) => o.status !== 'SUCCEEDED' || o.view !== 'closed');
    const byScenario: Record<string, number> = {};
    for (const o of ends) if (!wrong.includes(o)) byScenario[o.scenario] = (byScenario[o.scenario] ?? 0) + 1;
    return {
      complaints: n,
      seconds: round(seconds, 2),
      peakRssMiB: round(peak / 2 ** 20, 0),
      javaPeakRssMiB: javaPeak === undefined ? undefined : round(javaPeak, 0),
      succeededClosed: n - wrong.length,
      wrong: wrong.slice(0, 20),
      byScenario,
      apiRequests,
      emails,
      nodeCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      nodeCpuMsPerComplaint: round((cpu.user + cpu.system) / 1e3 / n, 1),
      cpuProfile,
      loadAverage: machineLoad().loadAverage,
      javaCpuSeconds: java0 === undefined || java1 === undefined ? undefined : round((java1 - java0) / 1000, 1),
    };
  } finally {
    await b.stop();
  }
}

export async function runVolume(opts: { log?: (s: string) => void } = {}): Promise<VolumeResult> {
  const log = opts.log ?? console.log;
  const n = Number(process.env.BENCH_VOLUME_N ?? 400);
  const concurrency = Number(process.env.BENCH_VOLUME_CONCURRENCY ?? 32);
  const repeats = Number(process.env.BENCH_VOLUME_RUNS ?? 1);
  log(
    `Lifecycle at volume: ${n} complaints (${SCENARIOS.join(', ')} in turn), concurrency ${concurrency}, ${repeats} run(s), virtual clock`,
  );
  const baselineRef = process.env.BENCH_VOLUME_BASELINE;
  const baseline = baselineRef ? checkoutBaseline(baselineRef) : undefined;
  const baselineMs: number[] = [];
  const runs: VolumeRun[] = [];
  // The handlers bind their adapters to the first stack of a process: more than one run takes a process each.
  const separate = repeats > 1 || baseline !== undefined;
  const oneRun = {
    BENCH_VOLUME_N: String(n),
    BENCH_VOLUME_CONCURRENCY: String(concurrency),
    BENCH_VOLUME_RUNS: '1',
    BENCH_VOLUME_BASELINE: '',
  };
  try {
    for (let r = 0; r < repeats; r++) {
      if (baseline) baselineMs.push(runBaseline(baseline, oneRun, log));
      runs.push(separate ? runPartIn<VolumeResult>(REPO_ROOT, 'volume', oneRun).runs[0]! : await runOnce(n, concurrency, log));
    }
  } finally {
    baseline?.remove();
  }
  for (const [r, run] of runs.entries()) logRun(run, r, log);
  const result: VolumeResult = {
    machine: machineLoad(),
    complaints: n,
    concurrency,
    runs,
    seconds: spread(runs.map((r) => r.seconds)),
    peakRssMiB: spread(runs.map((r) => r.peakRssMiB)),
    allEndedRight: runs.every((r) => r.succeededClosed === r.complaints),
    met: false,
    ...(baseline
      ? {
          baseline: {
            ref: baseline.ref,
            commit: baseline.commit,
            nodeCpuMsPerComplaint: baselineMs,
            ratio: spread(runs.map((run, i) => round(run.nodeCpuMsPerComplaint / baselineMs[i]!, 2))),
          },
        }
      : {}),
  };
  // The target is for 10,000 complaints: a smaller run cannot meet it.
  result.met = result.allEndedRight && runs.every((r) => r.nodeCpuMsPerComplaint <= NODE_CPU_TARGET_MS_PER_COMPLAINT);
  log(
    `  wall ${fmtSpread(result.seconds, 1, ' s')}, Node CPU per complaint ${runs.map((r) => r.nodeCpuMsPerComplaint).join(', ')} ms (target ≤ ${NODE_CPU_TARGET_MS_PER_COMPLAINT}: ${result.met ? 'MET' : 'NOT MET'}), ` +
      `peak RSS ${fmtSpread(result.peakRssMiB, 0, ' MiB')}, every complaint ended right: ${result.allEndedRight}`,
  );
  if (result.baseline) log(`  Node CPU per complaint ÷ ${result.baseline.ref}'s: ${fmtSpread(result.baseline.ratio, 2)}`);
  return result;
}

function logRun(run: VolumeRun, r: number, log: (s: string) => void): void {
  log(
    `  run ${r + 1}: ${run.seconds} s, peak RSS ${run.peakRssMiB} MiB (DynamoDB Local JVM ${run.javaPeakRssMiB ?? '?'} MiB), ` +
      `${run.succeededClosed}/${run.complaints} SUCCEEDED and closed, ${run.apiRequests} API requests, ${run.emails} emails; ` +
      `CPU: Node ${run.nodeCpuSeconds} s, DynamoDB Local ${run.javaCpuSeconds ?? '?'} s`,
  );
  log(
    `  Node CPU ${run.nodeCpuMsPerComplaint} ms per complaint at load ${run.loadAverage.join(' / ')}; profile: ` +
      run.cpuProfile.groups.map((g) => `${g.group} ${(100 * g.share).toFixed(1)}%`).join(', '),
  );
  for (const w of run.wrong) log(`    ended wrong: ${w.scenario} ${w.id}: ${w.status}, complaint ${w.view}`);
}

/** One run of the baseline commit's volume bench; answers its Node CPU ms per complaint. */
function runBaseline(baseline: BaselineCheckout, oneRun: Readonly<Record<string, string>>, log: (s: string) => void): number {
  const run = baseline.runPart<{ runs: Array<{ nodeCpuMsPerComplaint: number; loadAverage: number[] }> }>('volume', oneRun).runs[0]!;
  log(`  baseline ${baseline.ref}: Node CPU ${run.nodeCpuMsPerComplaint} ms per complaint at load ${run.loadAverage.join(' / ')}`);
  return run.nodeCpuMsPerComplaint;
}

if (isMain(module)) {
  parseFlagsOrExit('bench/volume.ts', process.argv.slice(2), {});
  runVolume()
    .then((r) => console.log(`  written ${writePartResult('volume', r)}`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
