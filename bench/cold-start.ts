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
 * The runtime's SDK: Lambda's Node.js runtimes include the AWS SDK for JavaScript v3 ("Runtime-
 * included SDK versions", https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html; "Dependency search
 * path and runtime-included libraries", https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html),
 * and the CDK's NodejsFunction leaves `@aws-sdk/*` out of the bundle for a runtime it knows to include
 * it, unless told otherwise (aws-cdk-lib/aws-lambda-nodejs README, "Externals"). The SDK team's own
 * cold-start benchmarks recommend bundling instead when init time matters
 * (https://aws.amazon.com/blogs/developer/reduce-lambda-cold-start-times-migrate-to-aws-sdk-for-javascript-v3/,
 * after https://aws.amazon.com/blogs/compute/optimizing-node-js-dependencies-in-aws-lambda/). So a few
 * functions are also built with the SDK left out (RUNTIME_SDK_EXTERNALS) and timed in the same
 * rounds as their bundled build and floor: their imports resolve to the project's node_modules, as
 * the runtime's resolve to its own (unbundled package files read from disk; the project's SDK
 * version stands in for the runtime's, which AWS updates on its own schedule).
 *
 * Where the rest of the init time goes: one function (BENCH_COLD_BREAKDOWN, notify by default: it
 * has every library the functions use) is also timed as cumulative entries, each built the same way
 * and timed in the same rounds as its bundle and floor: its SDK floor, + the zod members its modules
 * read (from whichever of zod or zod/mini they import), + the Powertools logger, + Powertools
 * metrics, + the project's modules that import zod (the schemas they build at load), + the handler
 * itself. A library the function does not bundle is not a step.
 *
 *   npx tsx bench/cold-start.ts      (BENCH_COLD_RUNS=10 pairs per function by default)
 * The ratios are of CPU time (user + system): on a loaded machine wall time mostly measures the
 * wait for a core; both are reported.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BuildOptions, buildSync, build as esbuild, type Metafile, type Plugin, transformSync } from 'esbuild';
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
  /** The bundle with RUNTIME_SDK_EXTERNALS left out (externalModules), KiB; absent from older results. */
  runtimeSdkKiB?: number;
}

export interface SourceMapOption {
  option: string;
  mappable: string;
  initMs: Spread;
  initCpuMs: Spread;
  /** Init CPU time ÷ the no-source-map bundle's, per pair of neighbouring processes. */
  ratioToNoMap: Spread;
}

/** A function built with the AWS SDK left to the runtime, timed in the rounds of its bundled build and floor. */
export interface RuntimeSdkRow {
  handler: string;
  /**
   * 'externalModules': what the stack would build with the SDK external (esbuild keeps every import
   * of an external module, so the clients the shared composition module imports all load);
   * 'its clients only': the SDK's packages declared free of side effects, so only what the function uses loads.
   */
  variant: 'externalModules' | 'its clients only';
  /** The bundle without @aws-sdk/* and @smithy/*, KiB. */
  bundleKiB: number;
  /** The same function with the SDK bundled (its row in `rows`), KiB. */
  bundledKiB: number;
  /** The SDK packages the bundle imports, which Node reads from node_modules at init. */
  sdkImports: string[];
  initMs: Spread;
  initCpuMs: Spread;
  /** Init CPU ÷ the bundled function's, per round. */
  ratioToBundled: Spread;
  /** Init CPU ÷ the bundled SDK floor's, per round: the figure the init target reads. */
  ratioToFloor: Spread;
  sizeMet: boolean;
}

export interface RuntimeSdkResult {
  /** What esbuild leaves out of these bundles. */
  external: string[];
  /** The project's SDK version, standing in for the runtime's. */
  sdkVersion: string;
  rows: RuntimeSdkRow[];
}

/** One cumulative entry of the init breakdown. */
export interface InitStep {
  step: string;
  bundleKiB: number;
  /** Init CPU of the entry as a whole. */
  initCpuMs: Spread;
  /** Init CPU this step adds to the previous one, per round (the floor: its own). */
  addedCpuMs: Spread;
}

export interface InitBreakdown {
  handler: string;
  /** The zod entry points the handler's modules import, with the number of members each step keeps. */
  zod: Array<{ specifier: string; members: number }>;
  /** zod's share of the handler's bundle and of the zod step's, KiB. */
  zodKiB: { handler: number; step: number };
  /** The project's modules that import zod (the schema step), relative to the repository. */
  schemaModules: string[];
  steps: InitStep[];
}

export interface ColdStartResult {
  machine: MachineLoad;
  node: string;
  runsPerFunction: number;
  nodeOptions: string;
  rows: ColdStartRow[];
  sourceMaps: { handler: string; options: SourceMapOption[] };
  /** Absent from results written before the runtime's SDK was measured. */
  runtimeSdk?: RuntimeSdkResult;
  initBreakdown?: InitBreakdown;
}

/** Left out of the runtime-SDK builds: the runtime's node_modules holds the SDK and its Smithy packages. */
export const RUNTIME_SDK_EXTERNALS = ['@aws-sdk/*', '@smithy/*'] as const;
/**
 * One function per shape: DynamoDB only, and three clients. (Every function's size with the SDK left
 * out is in its row; timing more of them would lengthen the part by half again.)
 */
const RUNTIME_SDK_FUNCTIONS = ['lifecycle', 'notify'];

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
const sdkVersion = (): string =>
  (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', '@aws-sdk', 'client-dynamodb', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
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
  /** The source files bundled, as esbuild names them (relative to the working directory). */
  inputs: string[];
}

function build(entry: string, dir: string, overrides: Partial<BuildOptions> = {}): Built {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, OUT_NAME);
  const r = buildSync(stackBuildOptions({ entryPoints: [entry], outfile: file, ...overrides }));
  const inputs = Object.values(r.metafile!.outputs).flatMap((o) => Object.keys(o.inputs));
  return { file, kib: fs.statSync(file).size / 1024, byPackage: kibByPackage(r.metafile!), inputs };
}

/** An entry written next to the handlers, so it resolves the same packages, built like them. */
function buildEntry(code: string, dir: string): Built {
  const entry = path.join(REPO_ROOT, 'bench', `.entry-${path.basename(dir)}.mjs`);
  fs.writeFileSync(entry, `${code}\n`);
  try {
    return build(entry, dir);
  } finally {
    fs.rmSync(entry, { force: true });
  }
}

const clientsOf = (fn: Built) => Object.keys(fn.byPackage).filter((p) => p in SDK_CLIENTS);
/** The floor's code: only the clients the function creates. */
const floorCode = (clientPackages: string[]) => clientPackages.map((p) => SDK_CLIENTS[p]!.code).join('\n');

/** The packages the runtime's node_modules holds for these builds (RUNTIME_SDK_EXTERNALS). */
const RUNTIME_SDK_PACKAGE = /^@(aws-sdk|smithy)\//;

/** Declares the SDK's packages external and free of side effects: an import whose names go unused is dropped. */
const sideEffectFreeSdk: Plugin = {
  name: 'side-effect-free-sdk',
  setup(b) {
    b.onResolve({ filter: RUNTIME_SDK_PACKAGE }, (args) => ({ path: args.path, external: true, sideEffects: false }));
  },
};

/**
 * The function with the SDK left out, in `dir` beside a link to the project's node_modules: its SDK
 * imports resolve there, unbundled, as the runtime's resolve to its own.
 */
async function buildWithRuntimeSdk(
  handlerFile: string,
  dir: string,
  variant: RuntimeSdkRow['variant'],
): Promise<Built & { sdkImports: string[] }> {
  const modules = path.join(path.dirname(dir), 'node_modules');
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), modules, 'dir');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, OUT_NAME);
  const external = [...FUNCTION_BUNDLING.externalModules, ...RUNTIME_SDK_EXTERNALS];
  const plugins = variant === 'its clients only' ? [sideEffectFreeSdk] : [];
  const r = await esbuild(stackBuildOptions({ entryPoints: [handlerFile], outfile: file, external, plugins }));
  const inputs = Object.values(r.metafile!.outputs).flatMap((o) => Object.keys(o.inputs));
  const sdkImports = externalImports(fs.readFileSync(file, 'utf8')).filter((p) => RUNTIME_SDK_PACKAGE.test(p));
  return { file, kib: fs.statSync(file).size / 1024, byPackage: kibByPackage(r.metafile!), inputs, sdkImports };
}

/** The modules an ESM bundle imports (static `import ... from "x"` and `import "x"`), each once, in order. */
export function externalImports(code: string): string[] {
  return [...new Set([...code.matchAll(/\bimport\s*(?:[\w$*{][^;]*?\bfrom\s*)?["']([^"']+)["']/g)].map((m) => m[1]!))];
}

export interface ZodImport {
  /** 'zod', 'zod/mini', ... */
  specifier: string;
  /** The members the modules read (a type that is also a value counts). */
  members: string[];
}

/**
 * The zod entry points the sources import values from, each with the members they read: through a
 * namespace (`import * as z from 'zod/mini'` then `z.object`) or by name (`import { z } from 'zod'`).
 */
export function zodImports(sources: readonly string[], projectZod?: { readonly reexports: string }): ZodImport[] {
  const bySpecifier = new Map<string, Set<string>>();
  const importRe =
    /import\s+(?!type\b)(?:\*\s+as\s+([\w$]+)|\{([^}]*)\})\s+from\s+['"](zod(?:\/[\w/-]+)?|(?:\.{1,2}\/)+(?:[\w-]+\/)*zod)['"]/g;
  for (const source of sources) {
    for (const [, namespace, named, imported] of source.matchAll(importRe)) {
      // A relative '…/zod' is the project's zod module: it stands for the entry it re-exports.
      const specifier = imported!.startsWith('.') ? projectZod?.reexports : imported;
      if (!specifier) continue;
      const members = bySpecifier.get(specifier!) ?? new Set<string>();
      bySpecifier.set(specifier!, members);
      if (namespace)
        for (const [, member] of source.matchAll(new RegExp(`(?<![\\w$.])${namespace}\\.([\\w$]+)`, 'g'))) members.add(member!);
      for (const part of named?.split(',') ?? []) {
        const name = part.trim();
        if (name && !name.startsWith('type ')) members.add(name.split(/\s+as\s+/)[0]!);
      }
    }
  }
  return [...bySpecifier]
    .map(([specifier, members]) => ({ specifier, members: [...members].sort() }))
    .sort((a, b) => a.specifier.localeCompare(b.specifier));
}

/** An entry that keeps exactly these zod members (esbuild drops the rest, as it does in the handler). */
export function zodStepCode(imports: readonly ZodImport[]): string {
  return imports
    .map(
      ({ specifier, members }, i) =>
        `import * as zod${i} from ${JSON.stringify(specifier)};\nexport const zodMembers${i} = [${members.map((m) => `zod${i}.${m}`).join(', ')}];`,
    )
    .join('\n');
}

/** Per round, what each cumulative step adds to the one before it (the first step: its own time). */
export function addedPerRound(cumulative: readonly (readonly number[])[]): number[][] {
  return cumulative.map((runs, i) => runs.map((x, r) => (i === 0 ? x : round(x - cumulative[i - 1]![r]!, 2))));
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

/** A cumulative entry between the floor and the handler, for the init breakdown. */
interface Step {
  step: string;
  built: Built;
}

/**
 * One function in alternating rounds of fresh processes: its builds with the runtime's SDK (for
 * RUNTIME_SDK_FUNCTIONS), the bundled function, the breakdown's cumulative entries from the largest
 * down (for the breakdown's function), and the floor. Each entry neighbours the next smaller one in
 * every round, and the order reverses each round.
 */
async function measureFunction(
  handlerFile: string,
  dir: string,
  runs: number,
  nodeOptions: string,
  withBreakdown: boolean,
): Promise<{ row: ColdStartRow; runtimeSdk: RuntimeSdkRow[]; breakdown?: InitBreakdown }> {
  const name = path.basename(handlerFile, '.ts');
  const fn = build(handlerFile, path.join(dir, name));
  const floor = buildEntry(floorCode(clientsOf(fn)), path.join(dir, `${name}-floor`));
  const variants = RUNTIME_SDK_FUNCTIONS.includes(name) ? (['externalModules', 'its clients only'] as const) : [];
  const runtime = await Promise.all(
    variants.map(async (variant, i) => ({
      variant,
      built: await buildWithRuntimeSdk(handlerFile, path.join(dir, `${name}-runtime-sdk-${i}`), variant),
    })),
  );
  const steps = withBreakdown ? buildSteps(fn, path.join(dir, `${name}-steps`)) : [];
  const order = [...runtime.map((r) => r.built), fn, ...[...steps].reverse().map((step) => step.built), floor];
  const timed = timeInterleaved(
    order.map((b) => ({ file: b.file, nodeOptions })),
    runs,
  );
  const f = timed[runtime.length]!;
  const fl = timed[timed.length - 1]!;
  const runtimeSdkKiB = (
    runtime[0]?.built ?? (await buildWithRuntimeSdk(handlerFile, path.join(dir, `${name}-runtime-sdk`), 'externalModules'))
  ).kib;
  const row = { ...functionRow(name, fn, floor, f, fl), runtimeSdkKiB: round(runtimeSdkKiB, 1) };
  const runtimeSdk = runtime.map(
    ({ variant, built }, i): RuntimeSdkRow => ({
      handler: name,
      variant,
      bundleKiB: round(built.kib, 1),
      bundledKiB: row.bundleKiB,
      sdkImports: built.sdkImports,
      initMs: spread(timed[i]!.wall),
      initCpuMs: spread(timed[i]!.cpu),
      ratioToBundled: ratios(timed[i]!.cpu, f.cpu),
      ratioToFloor: ratios(timed[i]!.cpu, fl.cpu),
      sizeMet: built.kib < COLD_TARGETS.bundleKiB,
    }),
  );
  if (!withBreakdown) return { row, runtimeSdk };
  // Smallest first: the floor, the steps in the order they were added, the handler.
  const stepTimes = [fl, ...timed.slice(runtime.length + 1, -1).reverse(), f];
  return {
    row,
    runtimeSdk,
    breakdown: breakdownOf(name, fn, [{ step: 'SDK floor', built: floor }, ...steps, { step: HANDLER_STEP, built: fn }], stepTimes),
  };
}

function functionRow(name: string, fn: Built, floor: Built, f: Timed, fl: Timed): ColdStartRow {
  const largest = Object.fromEntries(
    Object.entries(fn.byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => [k, round(v, 0)]),
  );
  const sdkKiB = Object.entries(fn.byPackage)
    .filter(([k]) => isSdkPackage(k))
    .reduce((sum, [, v]) => sum + v, 0);
  const initRatio = ratios(f.cpu, fl.cpu);
  return {
    handler: name,
    bundleKiB: round(fn.kib, 1),
    sdkKiB: round(sdkKiB, 0),
    largest,
    initMs: spread(f.wall),
    initCpuMs: spread(f.cpu),
    floor: {
      clients: clientsOf(fn).map((p) => SDK_CLIENTS[p]!.name),
      bundleKiB: round(floor.kib, 1),
      initMs: spread(fl.wall),
      initCpuMs: spread(fl.cpu),
    },
    initRatio,
    sizeMet: fn.kib < COLD_TARGETS.bundleKiB,
    initMet: initRatio.median <= COLD_TARGETS.initRatioToFloor,
  };
}

/**
 * The project's own modules in a bundle: absolute path and source as JavaScript (types stripped, so
 * a zod name read only in a type, such as `z.core.$ZodError`, does not count as used).
 */
const modulesOf = new WeakMap<Built, Array<{ file: string; source: string }>>();
function projectModules(fn: Built): Array<{ file: string; source: string }> {
  let modules = modulesOf.get(fn);
  if (!modules) {
    modules = fn.inputs
      .filter((f) => !f.includes('node_modules/'))
      .map((f) => ({ file: path.resolve(f), source: transformSync(fs.readFileSync(path.resolve(f), 'utf8'), { loader: 'ts' }).code }));
    modulesOf.set(fn, modules);
  }
  return modules;
}

/** The functions' own zod module (functions/domain/zod.ts): the zod entry it re-exports, and its English locale. */
const PROJECT_ZOD_FILE = path.join(REPO_ROOT, 'functions', 'domain', 'zod.ts');
let projectZodRead: { reexports: string } | undefined | null = null;
function projectZod(): { reexports: string } | undefined {
  if (projectZodRead !== null) return projectZodRead;
  const source = fs.existsSync(PROJECT_ZOD_FILE) ? fs.readFileSync(PROJECT_ZOD_FILE, 'utf8') : '';
  const reexports = /export\s+\*\s+from\s+['"](zod[^'"]*)['"]/.exec(source)?.[1];
  projectZodRead = reexports ? { reexports } : undefined;
  return projectZodRead;
}

/** The zod members the handler's own modules read, from the entry points they import, that zod exports at run time. */
function zodUsedBy(fn: Built): ZodImport[] {
  const fromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));
  // The project's zod module itself is imported whole by the step (zodStep): its own imports would name every locale.
  const readers = projectModules(fn).filter((m) => m.file !== PROJECT_ZOD_FILE);
  return zodImports(
    readers.map((m) => m.source),
    projectZod(),
  ).map(({ specifier, members }) => {
    const exported = new Set(Object.keys(fromRepo(specifier) as object));
    return { specifier, members: members.filter((m) => exported.has(m)) };
  });
}

const LOGGER_CODE =
  "import { Logger } from '@aws-lambda-powertools/logger'; export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME });";
const METRICS_CODE = "import { Metrics } from '@aws-lambda-powertools/metrics'; export const metrics = new Metrics();";
const schemaModulesOf = (fn: Built) =>
  projectModules(fn).filter((m) => m.file !== PROJECT_ZOD_FILE && zodImports([m.source], projectZod()).length > 0);
/** The zod step: the members the handler reads, and the project's zod module for its effect (the English locale). */
const zodStep = (fn: Built, zod: readonly ZodImport[]) =>
  [
    zodStepCode(zod),
    ...(projectModules(fn).some((m) => m.file === PROJECT_ZOD_FILE) ? [`import ${JSON.stringify(PROJECT_ZOD_FILE)};`] : []),
  ].join('\n');
const HANDLER_STEP = "+ the handler (the rest of the project's modules and packages)";

/**
 * The floor's clients, + the zod the handler uses, + the Powertools logger, + metrics, + the
 * project's modules that import zod (imported for their effects: the handler's bundle keeps every
 * schema they build at load): each only if the handler bundles it.
 */
function buildSteps(fn: Built, dir: string): Step[] {
  const zod = zodUsedBy(fn);
  const schemaModules = schemaModulesOf(fn);
  const libraries = [
    {
      step: `+ zod (${zod.map((z) => `${z.members.length} members of '${z.specifier}'`).join(', ')})`,
      code: zodStep(fn, zod),
      package: 'zod',
    },
    { step: '+ Powertools logger', code: LOGGER_CODE, package: '@aws-lambda-powertools/logger' },
    { step: '+ Powertools metrics', code: METRICS_CODE, package: '@aws-lambda-powertools/metrics' },
    {
      step: `+ the project's ${schemaModules.length} modules that import zod (the schemas they build at load), with what they import`,
      code: schemaModules.map((m) => `import ${JSON.stringify(m.file)};`).join('\n'),
      package: 'zod',
    },
  ].filter((l) => l.package in fn.byPackage);
  let code = floorCode(clientsOf(fn));
  return libraries.map((library, i) => {
    code = `${code}\n${library.code}`;
    return { step: library.step, built: buildEntry(code, path.join(dir, `step${i + 1}`)) };
  });
}

/** Each cumulative entry's init and what it adds to the one before, from timings smallest first. */
function breakdownOf(handler: string, fn: Built, entries: Step[], timed: Timed[]): InitBreakdown {
  const added = addedPerRound(timed.map((t) => t.cpu));
  const zodEntry = entries.find((e) => e.step.startsWith('+ zod'));
  return {
    handler,
    zod: zodEntry ? zodUsedBy(fn).map((z) => ({ specifier: z.specifier, members: z.members.length })) : [],
    zodKiB: { handler: round(fn.byPackage.zod ?? 0, 1), step: round(zodEntry?.built.byPackage.zod ?? 0, 1) },
    schemaModules: schemaModulesOf(fn).map((m) => path.relative(REPO_ROOT, m.file)),
    steps: entries.map((e, i) => ({
      step: e.step,
      bundleKiB: round(e.built.kib, 1),
      initCpuMs: spread(timed[i]!.cpu),
      addedCpuMs: spread(added[i]!),
    })),
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
  // The function whose init is broken down (notify: it bundles every library the functions use).
  const breakdownHandler = process.env.BENCH_COLD_BREAKDOWN ?? 'notify';
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
    const runtimeRows: RuntimeSdkRow[] = [];
    let initBreakdown: InitBreakdown | undefined;
    for (const h of handlers) {
      const withBreakdown = h === `${breakdownHandler}.ts`;
      const { row, runtimeSdk, breakdown } = await measureFunction(path.join(handlersDir, h), dir, runs, nodeOptions, withBreakdown);
      rows.push(row);
      runtimeRows.push(...runtimeSdk);
      initBreakdown ??= breakdown;
      log(
        `  ${row.handler}: ${row.bundleKiB} KiB (${row.sizeMet ? 'MET' : 'NOT MET'} < ${COLD_TARGETS.bundleKiB}; floor ${row.floor.bundleKiB}; with the runtime's SDK ${row.runtimeSdkKiB}), ` +
          `init CPU ${fmtSpread(row.initCpuMs, 1, ' ms')} vs floor ${fmtSpread(row.floor.initCpuMs, 1, ' ms')}: ratio ${fmtSpread(row.initRatio, 2)} ` +
          `(${row.initMet ? 'MET' : 'NOT MET'} ≤ ${COLD_TARGETS.initRatioToFloor}); largest ${JSON.stringify(row.largest)}`,
      );
      for (const r of runtimeSdk) {
        log(
          `    with the runtime's SDK (${r.variant}, imports ${r.sdkImports.length} SDK packages): ${r.bundleKiB} KiB, init CPU ${fmtSpread(r.initCpuMs, 1, ' ms')}: ` +
            `${fmtSpread(r.ratioToBundled, 2)} × bundled, ${fmtSpread(r.ratioToFloor, 2)} × floor`,
        );
      }
      for (const step of breakdown?.steps ?? []) {
        log(
          `    init, ${step.step}: ${step.bundleKiB} KiB, ${fmtSpread(step.initCpuMs, 1, ' ms')} CPU, adds ${fmtSpread(step.addedCpuMs, 1, ' ms')}`,
        );
      }
    }
    const sourceMaps = measureSourceMaps(path.join(handlersDir, 'notify.ts'), dir, runs);
    for (const o of sourceMaps.options) {
      log(
        `  ${sourceMaps.handler}, ${o.option}: init ${fmtSpread(o.initMs, 1, ' ms')} wall, ${fmtSpread(o.initCpuMs, 1, ' ms')} CPU; CPU ÷ no source map ${fmtSpread(o.ratioToNoMap, 2)}`,
      );
    }
    const runtimeSdk: RuntimeSdkResult = { external: [...RUNTIME_SDK_EXTERNALS], sdkVersion: sdkVersion(), rows: runtimeRows };
    return {
      machine: machineLoad(),
      node: process.version,
      runsPerFunction: runs,
      nodeOptions,
      rows,
      sourceMaps,
      runtimeSdk,
      initBreakdown,
    };
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
