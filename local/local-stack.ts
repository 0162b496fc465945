/**
 * The whole complaint loop on one machine: DynamoDB Local, local SES, aws-lite (EventBridge, SQS),
 * the project's Step Functions engine with its HTTP API, and the stack's REST API served by the same
 * Lambda handlers in this process. Tables, state machines, functions and routes all come from the
 * synthesized CDK template. `npm start` (start.ts) is the CLI over startLocalStack; tests and
 * benchmarks call startLocalStack directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ApiServer, type ProxyHandler, startApiServer } from './api-server';
import { type ClockOrigin, planClock, saveClock } from './clock-state';
import { type Clock, Engine, type LambdaHandler, ScaledClock, type SfnServer, startSfnServer } from './engine/index';
import { createLambdaContext } from './lambda-context';
import { startSchedules } from './scheduler';
import { type AwsLite, LOCAL_REGION, startAwsLite } from './services/aws-lite';
import { type DynamoDbLocal, LOCAL_CREDENTIALS, startDynamoDbLocal } from './services/dynamodb-local';
import { freePort } from './services/net';
import { type SesLocal, startSesLocal } from './services/ses-local';
import { type ProvisionReport, provisionStateMachines, provisionTables } from './stack/provision';
import type { CfnTemplate } from './stack/resolve';
import type { synthesizeTemplate as SynthesizeTemplate } from './stack/synth';
import { deriveLocalApp, type LocalApp, type LocalFunction, unionEnvironment } from './stack/template';

type SynthModule = { synthesizeTemplate: typeof SynthesizeTemplate };

export const REPO_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, '.local-data');

export interface LocalStackOptions {
  /** API port; 0 = free port. The other services take the next four ports, or free ones when 0. @default 3000 */
  port?: number;
  /** Virtual seconds per real second. @default 1 */
  timeScale?: number;
  /** Where tables, executions, timers and queues persist. @default <repo>/.local-data */
  dataDir?: string;
  /** Wipe the data dir first. @default false */
  fresh?: boolean;
  /**
   * Keep everything in memory (DynamoDB Local with -inMemory, no engine state or clock files):
   * nothing survives a restart, and disk writes stop bounding throughput. @default false
   */
  inMemory?: boolean;
  /** Epoch ms: begin a fresh virtual run at this instant (refused on a data dir that holds a run). */
  startAt?: number;
  /** A clock for the engine (tests inject a VirtualClock); overrides timeScale and startAt. */
  clock?: Clock;
  /** Fixed ports per service (0 = free), overriding the ones derived from `port`. */
  servicePorts?: Partial<Record<'engine' | 'dynamodb' | 'ses' | 'awsLite', number>>;
  /**
   * Run the template's EventBridge rate schedules (the sweep) on the engine's clock. Workflow tests
   * that advance a virtual clock by days turn them off unless they test them.
   * @default true
   */
  schedules?: boolean;
  /** Use this template instead of synthesizing the app. */
  template?: CfnTemplate;
  /** Progress and warnings. @default stderr */
  log?: (line: string) => void;
  /**
   * Fault injection (reliability tests): wraps each handler the engine invokes as a workflow task.
   * API routes and `invoke` are not wrapped.
   */
  wrapLambda?: (functionName: string, handler: LambdaHandler) => LambdaHandler;
  /**
   * Fault injection (reliability tests): given a service's real endpoint, returns the endpoint the
   * handlers use instead (e.g. a fault proxy in front of it). The stack itself keeps the real one.
   */
  interpose?: Partial<Record<'dynamodb' | 'ses', (endpoint: string) => Promise<string>>>;
  /**
   * Local SES in sandbox mode, as a new AWS account: only the staff contacts of the settings
   * (CONTACTS) and `verify` (addresses or domains) receive mail; others get MessageRejected.
   */
  sesSandbox?: { readonly verify?: readonly string[] };
}

export interface LocalStackUrls {
  api: string;
  emails: string;
  emailsJson: string;
  events: string;
  queues: string;
  engine: string;
  dynamodb: string;
  ses: string;
  awsLite: string;
}

export interface LocalStack {
  readonly engine: Engine;
  readonly urls: LocalStackUrls;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; region: string };
  readonly app: LocalApp;
  readonly dataDir: string;
  readonly ses: SesLocal;
  readonly awsLite: AwsLite;
  readonly provisioned: ProvisionReport;
  /** Where the loop's clock started: see clock-state.ts. */
  readonly loopClock: { origin: ClockOrigin | 'injected'; startedAt: string };
  /** ARN of the (first) state machine of the template. */
  readonly stateMachineArn: string;
  /**
   * A one-time URL that logs a browser in to the console (and other GET pages behind AWS_IAM):
   * it sets a local session cookie, then redirects to `next` (default /console). See api-server.ts.
   */
  browserLoginUrl(next?: string): string;
  /** Invoke a function's handler as Lambda would (JSON in, JSON out). */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export class LocalStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStackError';
  }
}

/** Environment every in-process handler sees besides the template's variables. */
function localServiceEnv(urls: { dynamodb: string; ses: string; engine: string; awsLite: string }): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SFN: urls.engine,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    AWS_ENDPOINT_URL_SES: urls.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.awsLite,
    AWS_ENDPOINT_URL_SQS: urls.awsLite,
  };
}

/**
 * Loads each function's handler module once. Imports run one at a time with that function's own
 * environment applied, so module-level reads (Powertools service name...) see their function's values.
 */
class HandlerRegistry {
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly byName = new Map<string, LocalFunction>();

  constructor(
    functions: LocalFunction[],
    private readonly unionEnv: Record<string, string>,
  ) {
    for (const f of functions) {
      this.byName.set(f.name, f);
      this.byName.set(f.logicalId, f);
    }
  }

  /** Function name, or ARN (`...:function:<name>[:qualifier]`), to its definition. */
  find(nameOrArn: string): LocalFunction | undefined {
    const m = /:function:([^:]+)/.exec(nameOrArn);
    return this.byName.get(m ? m[1] : nameOrArn);
  }

  load(f: LocalFunction): Promise<LambdaHandler> {
    let p = this.loaded.get(f.logicalId);
    if (!p) {
      p = this.chain.then(() => this.importWithEnv(f));
      this.chain = p.catch(() => undefined);
      this.loaded.set(f.logicalId, p);
    }
    return p;
  }

  private async importWithEnv(f: LocalFunction): Promise<LambdaHandler> {
    const file = path.join(REPO_ROOT, f.entry);
    if (!fs.existsSync(file)) throw new LocalStackError(`function ${f.logicalId}: handler module ${f.entry} does not exist`);
    const saved: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(f.environment)) {
      if (k === 'NODE_OPTIONS') continue;
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    try {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown> & { default?: Record<string, unknown> };
      const fn = mod[f.handlerExport] ?? mod.default?.[f.handlerExport];
      if (typeof fn !== 'function')
        throw new LocalStackError(`function ${f.logicalId}: ${f.entry} exports no '${f.handlerExport}' function`);
      const handler = fn as (event: unknown, context: unknown) => Promise<unknown>;
      // The Lambda boundary is JSON both ways: handlers never share objects with the caller.
      return async (event: unknown) => {
        const result = await handler(JSON.parse(JSON.stringify(event ?? null)), createLambdaContext(f.name, f.timeoutSeconds, f.memoryMb));
        return result === undefined ? null : JSON.parse(JSON.stringify(result));
      };
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (k in this.unionEnv) process.env[k] = this.unionEnv[k];
        else if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }
}

/** Every address in a CONTACTS value (the staff the settings name). */
export function staffAddresses(contactsJson: string | undefined): string[] {
  if (!contactsJson) return [];
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && v.includes('@')) found.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(contactsJson));
  return [...found];
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new LocalStackError(`timeScale must be a positive number, got ${timeScale}`);
  const dataDir = path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  const persist = !opts.inMemory;
  if (opts.fresh && persist) fs.rmSync(dataDir, { recursive: true, force: true });
  if (persist) fs.mkdirSync(dataDir, { recursive: true });
  const under = (name: string) => (persist ? path.join(dataDir, name) : undefined);
  // Before anything starts: a data dir that cannot run at this scale fails at once.
  const clockPlan = opts.clock ? undefined : planClock({ dataDir: persist ? dataDir : undefined, timeScale, startAt: opts.startAt });

  const basePort = opts.port ?? 3000;
  const services = ['api', 'engine', 'dynamodb', 'ses', 'awsLite'] as const;
  const portOf = async (offset: number) => {
    const fixed = offset > 0 ? opts.servicePorts?.[services[offset] as Exclude<(typeof services)[number], 'api'>] : undefined;
    if (fixed) return fixed;
    return basePort === 0 ? freePort() : basePort + offset;
  };
  const apiPort = await portOf(0);
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    while (stoppers.length) {
      try {
        await stoppers.pop()!();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw new AggregateError(errors, 'some local services did not stop cleanly');
  };

  try {
    // DynamoDB Local's JVM starts while the app synthesizes.
    const dynamoStarting = startDynamoDbLocal({ port: await portOf(2), dataDir: under('dynamodb') });
    dynamoStarting.then(
      (d) => stoppers.push(() => d.stop()),
      () => undefined,
    );
    // The clock is created once everything is up (synthesis and the JVM take a while, which at a
    // high time scale would be days of virtual time); until then mail, events and messages are
    // stamped with host time.
    let clock: Clock | undefined = opts.clock;
    const ses = await startSesLocal({
      port: await portOf(3),
      now: () => (clock ? clock.now() : Date.now()),
      dataFile: under('ses-emails.json'),
    });
    stoppers.push(() => ses.stop());
    const awsLite = await startAwsLite({
      port: await portOf(4),
      dataFile: under('aws-lite.json'),
      now: () => (clock ? clock.now() : Date.now()),
    });
    stoppers.push(() => awsLite.stop());

    let template = opts.template;
    if (!template) {
      log('synthesizing the CDK app (no bundling)...');
      // Imported here: synthesizing pulls in aws-cdk-lib, which tests with a template don't need.
      const synth = (await import(pathToFileURL(path.join(__dirname, 'stack', 'synth.ts')).href)) as SynthModule & {
        default?: SynthModule;
      };
      template = (synth.synthesizeTemplate ?? synth.default!.synthesizeTemplate)();
    }
    const apiBaseUrl = `http://127.0.0.1:${apiPort}`;
    const app = deriveLocalApp(template!, { apiBaseUrl, awsLiteEndpoint: awsLite.endpoint });
    if (app.stateMachines.length === 0) throw new LocalStackError('the template has no AWS::StepFunctions::StateMachine');
    if (app.skippedFunctions.length) log(`not run locally (no complaint-loop:entry metadata): ${app.skippedFunctions.join(', ')}`);
    for (const q of app.queues) awsLite.ensureQueue(q);
    for (const bus of app.eventBuses) awsLite.ensureEventBus(bus);
    for (const rule of app.schedules) awsLite.defineRule({ name: rule.ruleId, scheduleExpression: rule.expression, state: 'ENABLED' });

    const dynamo: DynamoDbLocal = await dynamoStarting;
    const handlerDynamoEndpoint = opts.interpose?.dynamodb ? await opts.interpose.dynamodb(dynamo.endpoint) : dynamo.endpoint;
    const handlerSesEndpoint = opts.interpose?.ses ? await opts.interpose.ses(ses.endpoint) : ses.endpoint;

    const { env, conflicts } = unionEnvironment(app.functions);
    const enginePort = await portOf(1);
    const engineUrl = `http://127.0.0.1:${enginePort}`;
    Object.assign(process.env, {
      // Local defaults that a caller's environment may override.
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...pick(process.env, ['POWERTOOLS_TRACE_ENABLED', 'POWERTOOLS_METRICS_DISABLED']),
      ...env,
      ...localServiceEnv({ dynamodb: handlerDynamoEndpoint, ses: handlerSesEndpoint, engine: engineUrl, awsLite: awsLite.endpoint }),
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    if (opts.sesSandbox) {
      const verified = [...staffAddresses(env.CONTACTS), ...(opts.sesSandbox.verify ?? [])];
      ses.setSandbox({ verified });
      log(`local SES in sandbox mode: only ${verified.length} verified identities receive mail`);
    }
    if (conflicts.length) log(`per-function environment (applied while each handler loads): ${conflicts.join(', ')}`);

    const registry = new HandlerRegistry(app.functions, env);
    const functionsById = new Map(app.functions.map((f) => [f.logicalId, f]));
    const fnById = (id: string) => {
      const f = functionsById.get(id);
      if (!f) throw new LocalStackError(`function ${id} is not a local function (no complaint-loop:entry metadata)`);
      return f;
    };
    // Fail at start, not at the first request, when a handler does not load.
    for (const f of app.functions) await registry.load(f);

    const provisioned: ProvisionReport = { created: [], existing: [], updated: [], warnings: [] };
    const ddbClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      await provisionTables(ddbClient, app.tables, provisioned);
    } finally {
      ddbClient.destroy();
    }

    const engineClock: Clock = clock ?? new ScaledClock({ scale: timeScale, startMs: clockPlan!.startMs(Date.now()) });
    const loopClock = { origin: clockPlan?.origin ?? ('injected' as const), startedAt: new Date(engineClock.now()).toISOString() };
    clock = engineClock;
    const engine = new Engine({
      clock: engineClock,
      stateDir: under('engine'),
      region: LOCAL_REGION,
      resolveLambda: (nameOrArn) => {
        const f = registry.find(nameOrArn);
        if (!f) return undefined;
        const invoke: LambdaHandler = async (event) => (await registry.load(f))(event, {});
        return opts.wrapLambda ? opts.wrapLambda(f.name, invoke) : invoke;
      },
    });
    stoppers.push(() => engine.close());
    if (!opts.clock && persist) {
      const timer = setInterval(() => saveClock(dataDir, engineClock, timeScale), 1000);
      timer.unref();
      stoppers.push(async () => {
        clearInterval(timer);
        saveClock(dataDir, engineClock, timeScale);
      });
    }
    await provisionStateMachines(engine, app.stateMachines, provisioned);
    for (const w of provisioned.warnings) log(`warning: ${w}`);

    if (opts.schedules !== false && app.schedules.length) {
      const running = startSchedules(app.schedules, engineClock, async (id, event) => (await registry.load(fnById(id)))(event, {}), log);
      stoppers.push(async () => running.stop());
    }
    if (app.skippedSchedules.length) log(`schedules not run locally: ${app.skippedSchedules.join(', ')}`);

    const sfnServer: SfnServer = await startSfnServer(engine, { port: enginePort, credentials: LOCAL_CREDENTIALS });
    stoppers.push(() => sfnServer.close());

    const urls: LocalStackUrls = {
      api: apiBaseUrl,
      emails: `${ses.endpoint}/`,
      emailsJson: `${ses.endpoint}/store`,
      events: `${awsLite.endpoint}/events`,
      queues: `${awsLite.endpoint}/queues`,
      engine: sfnServer.url,
      dynamodb: dynamo.endpoint,
      ses: ses.endpoint,
      awsLite: awsLite.endpoint,
    };
    const api: ApiServer = await startApiServer({
      port: apiPort,
      routes: app.routes,
      stage: app.stage,
      credentials: LOCAL_CREDENTIALS,
      now: () => engineClock.now(),
      timeoutOf: (id) => functionsById.get(id)?.timeoutSeconds,
      links: {
        'Emails sent (local SES)': urls.emails,
        'Emails as JSON': urls.emailsJson,
        'EventBridge events received': urls.events,
        'SQS queues (dead letters)': urls.queues,
        'Step Functions endpoint (AWS JSON 1.0; use with --endpoint-url)': urls.engine,
        'DynamoDB Local endpoint': urls.dynamodb,
      },
      log,
      resolveHandler: async (id) => (await registry.load(fnById(id))) as unknown as ProxyHandler,
    });
    stoppers.push(() => api.close());

    let stopped: Promise<void> | undefined;
    return {
      engine,
      urls,
      credentials: { ...LOCAL_CREDENTIALS, region: LOCAL_REGION },
      app,
      dataDir,
      ses,
      awsLite,
      provisioned,
      loopClock,
      stateMachineArn: app.stateMachines[0].arn,
      browserLoginUrl: (next) => api.loginUrl(next),
      invoke: async (name, event) => {
        const f = registry.find(name);
        if (!f) throw new LocalStackError(`no local function named ${name}`);
        return (await registry.load(f))(event, {});
      },
      stop: () => (stopped ??= stopAll()),
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (env[k] !== undefined) out[k] = env[k]!;
  return out;
}
