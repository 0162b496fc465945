/**
 * Engine benchmark (npm run bench:engine; not part of npm test).
 *  1. State transitions per second on one core: 10,000 executions of a mixed Pass/Choice/Wait/Task
 *     definition with in-process Lambdas, on the virtual clock. Target >= 20,000/s.
 *  2. Memory per waiting execution with 100,000 executions parked on task tokens. Target < 1 GiB.
 * Each measurement is repeated; medians are printed with min..max. Memory runs in a fresh child
 * process with --expose-gc so the numbers are not polluted by the throughput runs.
 */
import { fork } from 'node:child_process';
import * as os from 'node:os';
import { Engine, VirtualClock } from '../local/engine';
import { parseFlagsOrExit } from '../local/flags';

const ROLE = 'arn:aws:iam::123456789012:role/bench';
const T0 = Date.UTC(2025, 0, 1);

const mixed = {
  Comment: 'Pass/Choice/Wait/Task mix',
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'n.$': '$.n', step: 0 }, Next: 'Classify' },
    Classify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:classify', 'Payload.$': '$' },
      ResultSelector: { 'severity.$': '$.Payload.severity' },
      ResultPath: '$.c',
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.c.severity', StringEquals: 'major', Next: 'Fast' }],
      Default: 'Slow',
    },
    Fast: { Type: 'Wait', Seconds: 60, Next: 'Record' },
    Slow: { Type: 'Wait', Seconds: 3600, Next: 'Record' },
    Record: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:record', ResultPath: '$.r', Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.r.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Broken' },
    Broken: { Type: 'Fail', Error: 'Broken' },
    Done: { Type: 'Succeed' },
  },
};

const lambdas: Record<string, (e: any) => Promise<unknown>> = {
  classify: async (e) => ({ severity: e.n % 3 === 0 ? 'major' : 'normal' }),
  record: async () => ({ ok: true }),
};

function resolveLambda(arn: string) {
  return lambdas[arn.split(':function:').pop()!.split(':')[0]];
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(xs: number[], digits = 0): string {
  const s = xs.slice().sort((a, b) => a - b);
  return `median ${median(xs).toFixed(digits)} (min ${s[0].toFixed(digits)} .. max ${s[s.length - 1].toFixed(digits)}, n=${xs.length})`;
}

async function throughputRun(executions: number): Promise<{ transitions: number; ms: number; cpuMs: number }> {
  const clock = new VirtualClock(T0);
  const engine = new Engine({ clock, resolveLambda });
  const { stateMachineArn } = await engine.createStateMachine({ name: 'mixed', definition: JSON.stringify(mixed), roleArn: ROLE });
  const t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const arns: string[] = [];
  for (let i = 0; i < executions; i++) {
    arns.push(
      (await engine.startExecution({ stateMachineArn, name: `e${i}`, input: JSON.stringify({ id: `c-${i}`, n: i }) })).executionArn,
    );
  }
  await engine.settle();
  await clock.advance(2 * 3600_000);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  let transitions = 0;
  let succeeded = 0;
  for (const executionArn of arns) {
    const d = await engine.describeExecution({ executionArn });
    if (d.status === 'SUCCEEDED') succeeded++;
    const h = await engine.getExecutionHistory({ executionArn, maxResults: 1000, includeExecutionData: false });
    transitions += h.events.filter((e) => (e.type as string).endsWith('StateEntered')).length;
  }
  if (succeeded !== executions) throw new Error(`only ${succeeded}/${executions} executions succeeded`);
  await engine.close();
  return { transitions, ms, cpuMs };
}

const parked = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'customer.$': '$.customer' }, Next: 'Ack' },
    Ack: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
      TimeoutSeconds: 72 * 3600,
      HeartbeatSeconds: 3600,
      End: true,
    },
  },
};

async function memoryRun(n: number): Promise<{ heapPer: number; rssPer: number; heapTotal: number; rss: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory run needs --expose-gc');
  let tokens = 0;
  const clock = new VirtualClock(T0);
  const engine = new Engine({
    clock,
    resolveLambda: () => async () => {
      tokens++;
      return {};
    },
  });
  const { stateMachineArn } = await engine.createStateMachine({ name: 'parked', definition: JSON.stringify(parked), roleArn: ROLE });
  gc();
  const before = process.memoryUsage();
  for (let i = 0; i < n; i++) {
    await engine.startExecution({ stateMachineArn, name: `p${i}`, input: JSON.stringify({ id: `c-${i}`, customer: `cust-${i % 997}` }) });
    if (i % 10_000 === 9_999) await engine.settle();
  }
  await engine.settle();
  gc();
  const after = process.memoryUsage();
  if (tokens !== n) throw new Error(`expected ${n} parked tokens, got ${tokens}`);
  const running = await engine.listExecutions({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 });
  if (running.executions.length !== 1) throw new Error('executions are not waiting');
  const heapPer = (after.heapUsed - before.heapUsed) / n;
  const rssPer = (after.rss - before.rss) / n;
  await engine.close();
  return { heapPer, rssPer, heapTotal: after.heapUsed, rss: after.rss };
}

async function main(): Promise<void> {
  const { values } = parseFlagsOrExit('bench/engine.ts', process.argv.slice(2), { 'memory-child': { type: 'string' } });
  if (values['memory-child'] !== undefined) {
    const n = Number(values['memory-child']);
    const r = await memoryRun(n);
    process.send!(r);
    return;
  }
  const executions = 10_000;
  const repeats = Number(process.env.BENCH_REPEATS ?? 5);
  console.log(`Throughput: ${executions} executions x ${repeats} runs, virtual clock, in-process Lambdas`);
  await throughputRun(500); // warm-up
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const { transitions, ms, cpuMs } = await throughputRun(executions);
    const rate = transitions / (ms / 1000);
    const cpuRate = transitions / (cpuMs / 1000);
    rates.push(rate);
    cpuRates.push(cpuRate);
    console.log(
      `  run ${r + 1}: ${transitions} transitions in ${ms.toFixed(0)} ms wall (${rate.toFixed(0)}/s), ${cpuMs.toFixed(0)} ms CPU (${cpuRate.toFixed(0)}/s per CPU-second)`,
    );
  }
  // The process is single-threaded (JS on one core); on a loaded machine wall time includes time
  // spent waiting for the CPU, so the per-CPU-second rate is the one-core figure.
  console.log(`  transitions/s (wall) ${fmt(rates)}`);
  console.log(
    `  transitions per CPU-second (one core) ${fmt(cpuRates)}  target >= 20000: ${median(cpuRates) >= 20_000 ? 'MET' : 'NOT MET'}`,
  );
  console.log(
    `  load average during the runs: ${os
      .loadavg()
      .map((x: number) => x.toFixed(1))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );

  const n = 100_000;
  const memRepeats = Number(process.env.BENCH_MEM_REPEATS ?? 3);
  console.log(`Memory: ${n} executions parked on task tokens x ${memRepeats} runs (fresh process each, --expose-gc)`);
  const heaps: number[] = [];
  const rsss: number[] = [];
  const totals: number[] = [];
  for (let r = 0; r < memRepeats; r++) {
    const res = await new Promise<{ heapPer: number; rssPer: number; heapTotal: number; rss: number }>((resolve, reject) => {
      const child = fork(__filename, ['--memory-child', String(n)], {
        execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=4096'],
      });
      child.once('message', (m) => resolve(m as never));
      child.once('exit', (code) => (code ? reject(new Error(`memory child exited ${code}`)) : undefined));
    });
    heaps.push(res.heapPer);
    rsss.push(res.rssPer);
    totals.push(res.rss / 2 ** 20);
    console.log(
      `  run ${r + 1}: heap ${(res.heapPer / 1024).toFixed(2)} KiB/execution, RSS ${(res.rssPer / 1024).toFixed(2)} KiB/execution, process RSS ${(res.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(res.heapTotal / 2 ** 20).toFixed(0)} MiB`,
    );
  }
  console.log(
    `  heap KiB per waiting execution ${fmt(
      heaps.map((x) => x / 1024),
      2,
    )}`,
  );
  console.log(
    `  RSS KiB per waiting execution ${fmt(
      rsss.map((x) => x / 1024),
      2,
    )}`,
  );
  console.log(`  process RSS MiB with ${n} waiting ${fmt(totals)}  target < 1024: ${median(totals) < 1024 ? 'MET' : 'NOT MET'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
