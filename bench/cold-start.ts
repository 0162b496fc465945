/**
 * Part 2: Lambda cold start. Every functions/handlers/*.ts is bundled as the stack bundles it
 * (lib/constructs/complaint-function.ts: esbuild, minify, target node22, platform node, format cjs,
 * nothing external, the SDK included) but without the source map, and measured: bundle size, and
 * module initialization time = the time to require() the bundle in a fresh `node` process, median
 * over repeated processes. Only the require is timed, not node's own start-up.
 *
 *   npx tsx bench/cold-start.ts      (BENCH_COLD_RUNS=15 processes per function by default)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { exampleEnvironment } from '../functions/contract/environment';
import { REPO_ROOT } from '../lib/paths';
import { parseFlagsOrExit } from '../local/flags';
import { isMain, writePartResult } from './results-file';
import { fmtSpread, type MachineLoad, machineLoad, round, type Spread, spread } from './stats';

export const COLD_TARGETS = { bundleKiB: 250, initMs: 50 } as const;

/** Values for every variable a handler reads at module load (the contract's examples), and the runtime's. */
const DUMMY_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ...exampleEnvironment(),
  POWERTOOLS_SERVICE_NAME: 'complaint-loop',
  POWERTOOLS_METRICS_NAMESPACE: 'ComplaintLoop',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'WARN',
};

export interface ColdStartRow {
  handler: string;
  bundleBytes: number;
  bundleKiB: number;
  initMs: Spread;
  /** CPU time (user + system) of the same require: less sensitive to a loaded machine. */
  initCpuMs: Spread;
  /** Largest packages in the bundle, KiB. */
  largest: Record<string, number>;
  /** The AWS SDK's share (@aws-sdk, @smithy and their helpers), KiB. */
  sdkKiB: number;
  /**
   * The floor the SDK sets: a bundle that only creates the clients this function uses, built and
   * timed the same way. What the function's own code adds is the difference.
   */
  sdkOnly: { clients: string[]; bundleKiB: number; initMs: Spread; initCpuMs: Spread };
  sizeMet: boolean;
  initMet: boolean;
}

export interface ColdStartResult {
  machine: MachineLoad;
  node: string;
  runsPerFunction: number;
  rows: ColdStartRow[];
}

/** Client class per SDK package the handlers use (their bundles show which ones each pulls in). */
const SDK_CLIENTS: Record<string, { name: string; code: string }> = {
  '@aws-sdk/lib-dynamodb': {
    name: 'DynamoDB (document client)',
    code: "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb'); const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb'); DynamoDBDocumentClient.from(new DynamoDBClient({}));",
  },
  '@aws-sdk/client-sfn': { name: 'Step Functions', code: "new (require('@aws-sdk/client-sfn').SFNClient)({});" },
  '@aws-sdk/client-sesv2': { name: 'SESv2', code: "new (require('@aws-sdk/client-sesv2').SESv2Client)({});" },
  '@aws-sdk/client-eventbridge': { name: 'EventBridge', code: "new (require('@aws-sdk/client-eventbridge').EventBridgeClient)({});" },
  '@aws-sdk/client-sqs': { name: 'SQS', code: "new (require('@aws-sdk/client-sqs').SQSClient)({});" },
};
const isSdkPackage = (pkg: string) =>
  /^@(aws-sdk|smithy|aws-crypto)\//.test(pkg) || ['bowser', 'fast-xml-parser', 'strnum', 'tslib', 'uuid'].includes(pkg);

function bundle(
  entry: string,
  outfile: string,
): { bytes: number; largest: Record<string, number>; sdkBytes: number; sdkPackages: string[] } {
  const r = buildSync({
    metafile: true,
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: false,
    target: 'node22',
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
  const byPackage: Record<string, number> = {};
  for (const out of Object.values(r.metafile!.outputs)) {
    for (const [file, input] of Object.entries(out.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? '(project)';
      byPackage[pkg] = (byPackage[pkg] ?? 0) + input.bytesInOutput;
    }
  }
  const largest = Object.fromEntries(
    Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => [k, round(v / 1024, 0)]),
  );
  const sdkBytes = Object.entries(byPackage)
    .filter(([k]) => isSdkPackage(k))
    .reduce((sum, [, v]) => sum + v, 0);
  const sdkPackages = Object.keys(byPackage).filter((k) => k in SDK_CLIENTS);
  return { bytes: fs.statSync(outfile).size, largest, sdkBytes, sdkPackages };
}

/** Times `runs` fresh requires of `file` after one untimed read. */
function timeInit(file: string, runs: number): { initMs: Spread; initCpuMs: Spread } {
  initOnce(file); // first read of the file from disk is not what Lambda's warm page cache sees
  const times: Array<{ wall: number; cpu: number }> = [];
  for (let r = 0; r < runs; r++) times.push(initOnce(file));
  return { initMs: spread(times.map((t) => round(t.wall, 2))), initCpuMs: spread(times.map((t) => round(t.cpu, 2))) };
}

/** One fresh process: wall and CPU milliseconds to require the bundle (module initialization). */
function initOnce(file: string): { wall: number; cpu: number } {
  const script =
    `const c=process.cpuUsage(),t=process.hrtime.bigint();require(${JSON.stringify(file)});` +
    `const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);process.stdout.write(w+' '+(u.user+u.system)/1e3)`;
  const out = execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...DUMMY_ENV }, encoding: 'utf8' });
  const [wall, cpu] = out.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall!, cpu: cpu! };
}

export async function runColdStart(opts: { runs?: number; log?: (s: string) => void } = {}): Promise<ColdStartResult> {
  const runs = opts.runs ?? Number(process.env.BENCH_COLD_RUNS ?? 15);
  const log = opts.log ?? console.log;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-cold-'));
  try {
    const handlersDir = path.join(REPO_ROOT, 'functions', 'handlers');
    const handlers = fs
      .readdirSync(handlersDir)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    log(
      `Cold start: ${handlers.length} functions, bundled (minified, no source map), ${runs} fresh node ${process.version} processes each`,
    );
    const rows: ColdStartRow[] = [];
    for (const h of handlers) {
      const name = h.replace(/\.ts$/, '');
      const out = path.join(dir, `${name}.js`);
      const { bytes, largest, sdkBytes, sdkPackages } = bundle(path.join(handlersDir, h), out);
      const { initMs, initCpuMs } = timeInit(out, runs);
      // The same clients alone, from an entry file next to the handlers (so it resolves the same packages).
      const floorEntry = path.join(REPO_ROOT, 'bench', `.sdk-only-${name}.js`);
      fs.writeFileSync(floorEntry, `${sdkPackages.map((p) => SDK_CLIENTS[p]!.code).join('\n')}\n`);
      let floor: ColdStartRow['sdkOnly'];
      try {
        const floorOut = path.join(dir, `${name}.sdk-only.js`);
        const b = bundle(floorEntry, floorOut);
        floor = { clients: sdkPackages.map((p) => SDK_CLIENTS[p]!.name), bundleKiB: round(b.bytes / 1024, 1), ...timeInit(floorOut, runs) };
      } finally {
        fs.rmSync(floorEntry, { force: true });
      }
      const row: ColdStartRow = {
        handler: name,
        bundleBytes: bytes,
        bundleKiB: round(bytes / 1024, 1),
        initMs,
        initCpuMs,
        largest,
        sdkKiB: round(sdkBytes / 1024, 0),
        sdkOnly: floor,
        sizeMet: bytes / 1024 < COLD_TARGETS.bundleKiB,
        initMet: initMs.median < COLD_TARGETS.initMs,
      };
      rows.push(row);
      log(
        `  ${name}: ${row.bundleKiB} KiB (${row.sizeMet ? 'MET' : 'NOT MET'} < ${COLD_TARGETS.bundleKiB}), init ${fmtSpread(row.initMs, 1, ' ms')} (${row.initMet ? 'MET' : 'NOT MET'} < ${COLD_TARGETS.initMs}), CPU ${fmtSpread(row.initCpuMs, 1, ' ms')}; SDK ${row.sdkKiB} KiB; ` +
          `the SDK clients alone (${floor.clients.join(', ')}): ${floor.bundleKiB} KiB, init ${fmtSpread(floor.initMs, 1, ' ms')}; largest ${JSON.stringify(largest)}`,
      );
    }
    return { machine: machineLoad(), node: process.version, runsPerFunction: runs, rows };
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
