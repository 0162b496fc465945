/**
 * Part 2: Lambda cold start. Every functions/handlers/*.ts is bundled exactly as the stack bundles
 * it (FUNCTION_BUNDLING in lib/constructs/complaint-function.ts), next to its floor: a bundle that
 * only creates the AWS SDK clients the function uses, built with the same settings. Module
 * initialization (the time to import the bundle in a fresh `node` process, started with the
 * function's NODE_OPTIONS) is measured for function and floor in alternating processes, so load on
 * the machine hits both alike; each pair gives one ratio, and the ratio's median and spread are
 * what the target reads (init within 1.15× of the floor).
 *
 * One function is also timed with each way of keeping stack traces mappable: the source map with
 * `--enable-source-maps`, the source map file without the flag, and no source map.
 *
 *   npx tsx bench/cold-start.ts      (BENCH_COLD_RUNS=10 pairs per function by default)
 * The ratios are of CPU time (user + system): on a loaded machine wall time mostly measures the
 * wait for a core; both are reported.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';
import { exampleEnvironment } from '../functions/contract/environment';
import { FUNCTION_BUNDLING, FUNCTION_NODE_OPTIONS } from '../lib/constructs/complaint-function';
import { REPO_ROOT } from '../lib/paths';
import { parseFlagsOrExit } from '../local/flags';
import { isMain, writePartResult } from './results-file';
import { fmtSpread, type MachineLoad, machineLoad, round, type Spread, spread } from './stats';

export const COLD_TARGETS = { bundleKiB: 250, initRatioToFloor: 1.15 } as const;

/** Values for every variable a handler reads at module load (the contract's examples), and the runtime's. */
const DUMMY_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ...exampleEnvironment(),
  // The console sign-in functions' own (ComplaintSignIn sets them); their key set is fetched on first use.
  USER_POOL_ID: 'us-east-1_Example1',
  USER_POOL_CLIENT_ID: 'exampleclientid',
  SIGN_IN_URL: 'https://auth.example.com',
  POWERTOOLS_SERVICE_NAME: 'complaint-loop',
  POWERTOOLS_METRICS_NAMESPACE: 'ComplaintLoop',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'WARN',
};

export interface ColdStartRow {
  handler: string;
  bundleKiB: number;
  /** The AWS SDK's share (@aws-sdk, @smithy and their helpers), KiB. */
  sdkKiB: number;
  /** Largest packages in the bundle, KiB. */
  largest: Record<string, number>;
  initMs: Spread;
  /** CPU time (user + system) of the same import: less sensitive to a loaded machine. */
  initCpuMs: Spread;
  /** The clients alone, built and timed the same way, in the processes alternating with the function's. */
  floor: { clients: string[]; bundleKiB: number; initMs: Spread; initCpuMs: Spread };
  /**
   * Function init ÷ floor init in CPU time (user + system, all threads), one ratio per pair of
   * neighbouring processes: on a loaded machine wall time mostly measures the wait for a core.
   */
  initRatio: Spread;
  sizeMet: boolean;
  initMet: boolean;
}

export interface SourceMapOption {
  option: string;
  mappable: string;
  initMs: Spread;
  initCpuMs: Spread;
  /** Init CPU time ÷ the no-source-map bundle's, per pair of neighbouring processes. */
  ratioToNoMap: Spread;
}

export interface ColdStartResult {
  machine: MachineLoad;
  node: string;
  runsPerFunction: number;
  nodeOptions: string;
  rows: ColdStartRow[];
  sourceMaps: { handler: string; options: SourceMapOption[] };
}

/** The client each SDK package stands for, as an ESM import the floor bundle makes. */
const SDK_CLIENTS: Record<string, { name: string; code: string }> = {
  '@aws-sdk/client-dynamodb': {
    name: 'DynamoDB (document client)',
    code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; DynamoDBDocumentClient.from(new DynamoDBClient({}));",
  },
  '@aws-sdk/client-sfn': { name: 'Step Functions', code: "import { SFNClient } from '@aws-sdk/client-sfn'; new SFNClient({});" },
  '@aws-sdk/client-sesv2': { name: 'SESv2', code: "import { SESv2Client } from '@aws-sdk/client-sesv2'; new SESv2Client({});" },
  '@aws-sdk/client-eventbridge': {
    name: 'EventBridge',
    code: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge'; new EventBridgeClient({});",
  },
  '@aws-sdk/client-sqs': { name: 'SQS', code: "import { SQSClient } from '@aws-sdk/client-sqs'; new SQSClient({});" },
};
const isSdkPackage = (pkg: string) =>
  /^@(aws-sdk|smithy|aws-crypto)\//.test(pkg) || ['bowser', 'fast-xml-parser', 'strnum', 'tslib', 'uuid'].includes(pkg);

/** esbuild options equal to what the CDK's NodejsFunction passes for FUNCTION_BUNDLING. */
export function stackBuildOptions(overrides: Partial<BuildOptions> = {}): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format === 'esm' ? 'esm' : 'cjs',
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    charset: FUNCTION_BUNDLING.charset,
    external: [...FUNCTION_BUNDLING.externalModules],
    metafile: true,
    logLevel: 'error',
    ...overrides,
  };
}

/** The file the stack's asset holds (CDK names it index.mjs for ESM). */
const OUT_NAME = FUNCTION_BUNDLING.format === 'esm' ? 'index.mjs' : 'index.js';

/** KiB per package (project files count as '(project)'). */
export function kibByPackage(metafile: Metafile): Record<string, number> {
  const bytes: Record<string, number> = {};
  for (const out of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(out.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? '(project)';
      bytes[pkg] = (bytes[pkg] ?? 0) + input.bytesInOutput;
    }
  }
  return Object.fromEntries(Object.entries(bytes).map(([k, v]) => [k, v / 1024]));
}

interface Built {
  file: string;
  kib: number;
  byPackage: Record<string, number>;
}

function build(entry: string, dir: string, overrides: Partial<BuildOptions> = {}): Built {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, OUT_NAME);
  const r = buildSync(stackBuildOptions({ entryPoints: [entry], outfile: file, ...overrides }));
  return { file, kib: fs.statSync(file).size / 1024, byPackage: kibByPackage(r.metafile!) };
}

/** The floor entry: the same clients, from a file next to the handlers so it resolves the same packages. */
function buildFloor(clientPackages: string[], dir: string): Built {
  const entry = path.join(REPO_ROOT, 'bench', `.floor-${path.basename(dir)}.mjs`);
  fs.writeFileSync(entry, `${clientPackages.map((p) => SDK_CLIENTS[p]!.code).join('\n')}\n`);
  try {
    return build(entry, dir);
  } finally {
    fs.rmSync(entry, { force: true });
  }
}

/** One fresh process: wall and CPU milliseconds to import the bundle (module initialization). */
function initOnce(file: string, nodeOptions: string): { wall: number; cpu: number } {
  const script =
    `const c=process.cpuUsage(),t=process.hrtime.bigint();import(${JSON.stringify(`file://${file}`)}).then(()=>{` +
    `const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);process.stdout.write(w+' '+(u.user+u.system)/1e3)})`;
  const args = [...nodeOptions.split(' ').filter(Boolean), '-e', script];
  const out = execFileSync(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...DUMMY_ENV }, encoding: 'utf8' });
  const [wall, cpu] = out.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall!, cpu: cpu! };
}

interface Timed {
  wall: number[];
  cpu: number[];
}

/**
 * Times each candidate `runs` times, alternating candidates process by process (and the order each
 * round), after one untimed import each: the first read from disk is not what a warm page cache sees.
 */
function timeInterleaved(candidates: Array<{ file: string; nodeOptions: string }>, runs: number): Timed[] {
  for (const c of candidates) initOnce(c.file, c.nodeOptions);
  const timed: Timed[] = candidates.map(() => ({ wall: [], cpu: [] }));
  for (let r = 0; r < runs; r++) {
    const order = candidates.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) {
      const t = initOnce(candidates[i]!.file, candidates[i]!.nodeOptions);
      timed[i]!.wall.push(round(t.wall, 2));
      timed[i]!.cpu.push(round(t.cpu, 2));
    }
  }
  return timed;
}

const ratios = (a: number[], b: number[]) => spread(a.map((x, i) => round(x / b[i]!, 3)));

function measureFunction(handlerFile: string, dir: string, runs: number, nodeOptions: string): ColdStartRow {
  const name = path.basename(handlerFile, '.ts');
  const fn = build(handlerFile, path.join(dir, name));
  const clientPackages = Object.keys(fn.byPackage).filter((p) => p in SDK_CLIENTS);
  const floor = buildFloor(clientPackages, path.join(dir, `${name}-floor`));
  const [f, fl] = timeInterleaved(
    [
      { file: fn.file, nodeOptions },
      { file: floor.file, nodeOptions },
    ],
    runs,
  );
  const largest = Object.fromEntries(
    Object.entries(fn.byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => [k, round(v, 0)]),
  );
  const sdkKiB = Object.entries(fn.byPackage)
    .filter(([k]) => isSdkPackage(k))
    .reduce((sum, [, v]) => sum + v, 0);
  const initRatio = ratios(f!.cpu, fl!.cpu);
  return {
    handler: name,
    bundleKiB: round(fn.kib, 1),
    sdkKiB: round(sdkKiB, 0),
    largest,
    initMs: spread(f!.wall),
    initCpuMs: spread(f!.cpu),
    floor: {
      clients: clientPackages.map((p) => SDK_CLIENTS[p]!.name),
      bundleKiB: round(floor.kib, 1),
      initMs: spread(fl!.wall),
      initCpuMs: spread(fl!.cpu),
    },
    initRatio,
    sizeMet: fn.kib < COLD_TARGETS.bundleKiB,
    initMet: initRatio.median <= COLD_TARGETS.initRatioToFloor,
  };
}

/** The ways to keep a stack trace mappable, timed on one function in alternating processes. */
function measureSourceMaps(handlerFile: string, dir: string, runs: number): ColdStartResult['sourceMaps'] {
  const handler = path.basename(handlerFile, '.ts');
  const withMap = build(handlerFile, path.join(dir, `${handler}-map`), { sourcemap: true });
  const noMap = build(handlerFile, path.join(dir, `${handler}-nomap`), { sourcemap: false });
  const [flag, fileOnly, none] = timeInterleaved(
    [
      { file: withMap.file, nodeOptions: '--enable-source-maps' },
      { file: withMap.file, nodeOptions: '' },
      { file: noMap.file, nodeOptions: '' },
    ],
    runs,
  );
  const option = (name: string, mappable: string, t: Timed): SourceMapOption => ({
    option: name,
    mappable,
    initMs: spread(t.wall),
    initCpuMs: spread(t.cpu),
    ratioToNoMap: ratios(t.cpu, none!.cpu),
  });
  return {
    handler,
    options: [
      option('source map + --enable-source-maps', 'in the log, at every cold start', flag!),
      option('source map file, no flag', 'offline, with the asset’s index.mjs.map', fileOnly!),
      option('no source map', 'no', none!),
    ],
  };
}

export async function runColdStart(opts: { runs?: number; log?: (s: string) => void } = {}): Promise<ColdStartResult> {
  const runs = opts.runs ?? Number(process.env.BENCH_COLD_RUNS ?? 10);
  const log = opts.log ?? console.log;
  const nodeOptions = FUNCTION_NODE_OPTIONS ?? '';
  // BENCH_COLD_FUNCTIONS=intake,notify: only those (a quick look; results.md wants them all).
  const only = process.env.BENCH_COLD_FUNCTIONS?.split(',');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-cold-'));
  try {
    const handlersDir = path.join(REPO_ROOT, 'functions', 'handlers');
    const handlers = fs
      .readdirSync(handlersDir)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => !only || only.includes(f.replace(/\.ts$/, '')))
      .sort();
    log(
      `Cold start: ${handlers.length} functions bundled as the stack does, each beside its SDK floor, ${runs} alternating pairs of fresh node ${process.version} processes (NODE_OPTIONS '${nodeOptions}')`,
    );
    const rows: ColdStartRow[] = [];
    for (const h of handlers) {
      const row = measureFunction(path.join(handlersDir, h), dir, runs, nodeOptions);
      rows.push(row);
      log(
        `  ${row.handler}: ${row.bundleKiB} KiB (${row.sizeMet ? 'MET' : 'NOT MET'} < ${COLD_TARGETS.bundleKiB}; floor ${row.floor.bundleKiB}), ` +
          `init CPU ${fmtSpread(row.initCpuMs, 1, ' ms')} vs floor ${fmtSpread(row.floor.initCpuMs, 1, ' ms')}: ratio ${fmtSpread(row.initRatio, 2)} ` +
          `(${row.initMet ? 'MET' : 'NOT MET'} ≤ ${COLD_TARGETS.initRatioToFloor}); largest ${JSON.stringify(row.largest)}`,
      );
    }
    const sourceMaps = measureSourceMaps(path.join(handlersDir, 'notify.ts'), dir, runs);
    for (const o of sourceMaps.options) {
      log(
        `  ${sourceMaps.handler}, ${o.option}: init ${fmtSpread(o.initMs, 1, ' ms')} wall, ${fmtSpread(o.initCpuMs, 1, ' ms')} CPU; CPU ÷ no source map ${fmtSpread(o.ratioToNoMap, 2)}`,
      );
    }
    return { machine: machineLoad(), node: process.version, runsPerFunction: runs, nodeOptions, rows, sourceMaps };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(module)) {
  parseFlagsOrExit('bench/cold-start.ts', process.argv.slice(2), {});
  runColdStart()
    .then((r) => console.log(`  written ${writePartResult('cold-start', r)}`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
