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
import { type ClockOrigin, type ClockPlan, planClock, saveClock } from './clock-state';
import { type Clock, Engine, type LambdaHandler, ScaledClock, type SfnServer, startSfnServer } from './engine/index';
import { FunctionRegistry, localServiceEnv, type ServiceEndpoints } from './function-registry';
import { LocalHostedLogin, LocalIdentityProvider, type LocalPerson } from './identity';
import { startSchedules } from './scheduler';
import { type AwsLite, LOCAL_REGION, startAwsLite } from './services/aws-lite';
import { type DynamoDbLocal, LOCAL_CREDENTIALS, startDynamoDbLocal } from './services/dynamodb-local';
import { freePort } from './services/net';
import { type SesLocal, startSesLocal } from './services/ses-local';
import { type ProvisionReport, provisionStateMachines, provisionTables } from './stack/provision';
import type { CfnTemplate, LocalSignInTargets } from './stack/resolve';
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
   * A one-time login link for the console's sign-in (identity.ts): opening it signs the browser in
   * as `as` (default: a manager) through the stack's own sign-in, then goes to `next` (default
   * /console). Throws when the template has no console sign-in (no Cognito user pool client).
   */
  browserLoginUrl(next?: string, as?: LocalPerson): string;
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

/**
 * Powertools reads its switches from the process's environment, never from a function's, so the
 * process that runs the stack (npm start, a benchmark, a test project) sets them for itself:
 * no metric lines flooding the terminal, no tracing without an X-Ray daemon. startLocalStack
 * itself leaves the process's environment alone.
 */
export const LOCAL_POWERTOOLS_ENV = { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_TRACE_ENABLED: 'false' } as const;

/** Sets LOCAL_POWERTOOLS_ENV in `env` where the caller has not chosen otherwise. */
export function useLocalPowertoolsDefaults(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(LOCAL_POWERTOOLS_ENV)) env[name] ??= value;
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

/** Port offsets from `port` when no fixed port is given (the API takes `port` itself). */
const SERVICE_PORT_OFFSETS = { api: 0, engine: 1, dynamodb: 2, ses: 3, awsLite: 4 } as const;
type ServiceName = keyof typeof SERVICE_PORT_OFFSETS;

/** Each service's port, chosen once: fixed, `port` plus the service's offset, or a free one when `port` is 0. */
function portAllocator(opts: LocalStackOptions): (service: ServiceName) => Promise<number> {
  const basePort = opts.port ?? 3000;
  const chosen = new Map<ServiceName, Promise<number>>();
  const choose = async (service: ServiceName) => {
    const fixed = service === 'api' ? undefined : opts.servicePorts?.[service];
    if (fixed) return fixed;
    return basePort === 0 ? freePort() : basePort + SERVICE_PORT_OFFSETS[service];
  };
  return (service) => {
    let port = chosen.get(service);
    if (!port) chosen.set(service, (port = choose(service)));
    return port;
  };
}

/** What the stack started, stopped in reverse order; every stop is attempted. */
class Stoppers {
  private readonly stops: Array<() => Promise<void>> = [];

  add(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    const errors: unknown[] = [];
    for (let stop = this.stops.pop(); stop; stop = this.stops.pop()) {
      try {
        await stop();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw new AggregateError(errors, 'some local services did not stop cleanly');
  }
}

/** Options resolved, the data dir prepared and its clock plan checked, before anything starts. */
interface Setup {
  opts: LocalStackOptions;
  log: (line: string) => void;
  timeScale: number;
  dataDir: string;
  persist: boolean;
  /** A file or dir under the data dir; undefined when in memory. */
  under: (name: string) => string | undefined;
  clockPlan: ClockPlan | undefined;
  portOf: (service: ServiceName) => Promise<number>;
  stoppers: Stoppers;
  /**
   * The engine's clock once it exists. Synthesis and the JVM take a while, which at a high time
   * scale would be days of virtual time, so the clock starts last; until then mail, events and
   * messages are stamped with host time.
   */
  clock: { current?: Clock };
}

function prepare(opts: LocalStackOptions): Setup {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new LocalStackError(`timeScale must be a positive number, got ${timeScale}`);
  const dataDir = path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR);
  const persist = !opts.inMemory;
  if (opts.fresh && persist) fs.rmSync(dataDir, { recursive: true, force: true });
  if (persist) fs.mkdirSync(dataDir, { recursive: true });
  return {
    opts,
    log: opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)),
    timeScale,
    dataDir,
    persist,
    under: (name) => (persist ? path.join(dataDir, name) : undefined),
    // A data dir that cannot run at this scale fails here, at once.
    clockPlan: opts.clock ? undefined : planClock({ dataDir: persist ? dataDir : undefined, timeScale, startAt: opts.startAt }),
    portOf: portAllocator(opts),
    stoppers: new Stoppers(),
    clock: { current: opts.clock },
  };
}

interface BackingServices {
  /** DynamoDB Local's JVM starts while the app synthesizes. */
  dynamoStarting: Promise<DynamoDbLocal>;
  ses: SesLocal;
  awsLite: AwsLite;
}

async function startBackingServices(setup: Setup): Promise<BackingServices> {
  const { portOf, under, stoppers, clock } = setup;
  const now = () => (clock.current ? clock.current.now() : Date.now());
  const dynamoStarting = startDynamoDbLocal({ port: await portOf('dynamodb'), dataDir: under('dynamodb') });
  dynamoStarting.then(
    (d) => stoppers.add(() => d.stop()),
    () => undefined,
  );
  const ses = await startSesLocal({ port: await portOf('ses'), now, dataFile: under('ses-emails.json') });
  stoppers.add(() => ses.stop());
  const awsLite = await startAwsLite({ port: await portOf('awsLite'), dataFile: under('aws-lite.json'), now });
  stoppers.add(() => awsLite.stop());
  return { dynamoStarting, ses, awsLite };
}

async function synthesizedTemplate(log: (line: string) => void): Promise<CfnTemplate> {
  log('synthesizing the CDK app (no bundling)...');
  // Imported here: synthesizing pulls in aws-cdk-lib, which tests with a template don't need.
  const synth = (await import(pathToFileURL(path.join(__dirname, 'stack', 'synth.ts')).href)) as SynthModule & { default?: SynthModule };
  const synthesize = synth.synthesizeTemplate ?? synth.default?.synthesizeTemplate;
  if (!synthesize) throw new LocalStackError('local/stack/synth.ts exports no synthesizeTemplate');
  return synthesize();
}

/**
 * The identity provider that stands in for the template's user pool, when it has an app client
 * (console sign-in); its hosted login is served by the API server at its root, as Cognito's domain
 * serves it.
 */
function localSignIn(
  template: CfnTemplate,
  apiBaseUrl: string,
): { provider: LocalIdentityProvider; targets: LocalSignInTargets } | undefined {
  if (!Object.values(template.Resources).some((r) => r.Type === 'AWS::Cognito::UserPoolClient')) return undefined;
  const provider = new LocalIdentityProvider(LOCAL_REGION);
  return { provider, targets: provider.targets(apiBaseUrl) };
}

/** The hosted login for the app's sign-in client; a login link goes on to where the stack sends people to sign in. */
function hostedLoginFor(app: LocalApp, provider: LocalIdentityProvider | undefined): LocalHostedLogin | undefined {
  if (!provider || !app.signInClient) return undefined;
  const signIn = app.gatewayResponses.find((r) => r.responseType === 'UNAUTHORIZED')?.headers.Location;
  return new LocalHostedLogin({ provider, client: app.signInClient, signInPath: signIn ?? `/${app.stage}/console/sign-in` });
}

/** The template's resources with local names, and the queues, buses and rules aws-lite serves. */
function loadApp(
  template: CfnTemplate,
  targets: { apiBaseUrl: string; signIn?: LocalSignInTargets },
  awsLite: AwsLite,
  log: (line: string) => void,
): LocalApp {
  const app = deriveLocalApp(template, { ...targets, awsLiteEndpoint: awsLite.endpoint });
  if (app.stateMachines.length === 0) throw new LocalStackError('the template has no AWS::StepFunctions::StateMachine');
  if (app.skippedFunctions.length) log(`not run locally (no complaint-loop:entry metadata): ${app.skippedFunctions.join(', ')}`);
  for (const q of app.queues) awsLite.ensureQueue(q);
  for (const bus of app.eventBuses) awsLite.ensureEventBus(bus);
  for (const rule of app.schedules) awsLite.defineRule({ name: rule.ruleId, scheduleExpression: rule.expression, state: 'ENABLED' });
  return app;
}

/** The endpoints the functions use: the real ones, or what the caller interposes (a fault proxy). */
async function functionEndpoints(setup: Setup, dynamo: DynamoDbLocal, services: BackingServices): Promise<ServiceEndpoints> {
  const { interpose } = setup.opts;
  return {
    dynamodb: interpose?.dynamodb ? await interpose.dynamodb(dynamo.endpoint) : dynamo.endpoint,
    ses: interpose?.ses ? await interpose.ses(services.ses.endpoint) : services.ses.endpoint,
    engine: `http://127.0.0.1:${await setup.portOf('engine')}`,
    awsLite: services.awsLite.endpoint,
  };
}

function applySesSandbox(setup: Setup, ses: SesLocal, app: LocalApp): void {
  const sandbox = setup.opts.sesSandbox;
  if (!sandbox) return;
  const verified = [...staffAddresses(unionEnvironment(app.functions).env.CONTACTS), ...(sandbox.verify ?? [])];
  ses.setSandbox({ verified });
  setup.log(`local SES in sandbox mode: only ${verified.length} verified identities receive mail`);
}

async function provisionTablesOf(app: LocalApp, dynamo: DynamoDbLocal, report: ProvisionReport): Promise<void> {
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await provisionTables(client, app.tables, report);
  } finally {
    client.destroy();
  }
}

/** The engine on the loop's clock (saved to the data dir every second when it is the stack's own). */
function startEngine(
  setup: Setup,
  registry: FunctionRegistry,
): { engine: Engine; clock: Clock; origin: LocalStack['loopClock']['origin'] } {
  const { opts, clockPlan, timeScale, dataDir, persist, stoppers } = setup;
  const clock: Clock = setup.clock.current ?? new ScaledClock({ scale: timeScale, startMs: clockPlan!.startMs(Date.now()) });
  setup.clock.current = clock;
  const engine = new Engine({
    clock,
    stateDir: setup.under('engine'),
    region: LOCAL_REGION,
    resolveLambda: (nameOrArn) => {
      const f = registry.find(nameOrArn);
      if (!f) return undefined;
      const invoke: LambdaHandler = (event) => registry.invoke(f, event);
      return opts.wrapLambda ? opts.wrapLambda(f.name, invoke) : invoke;
    },
  });
  stoppers.add(() => engine.close());
  if (!opts.clock && persist) {
    const timer = setInterval(() => saveClock(dataDir, clock, timeScale), 1000);
    timer.unref();
    stoppers.add(async () => {
      clearInterval(timer);
      saveClock(dataDir, clock, timeScale);
    });
  }
  return { engine, clock, origin: clockPlan?.origin ?? 'injected' };
}

function runSchedules(setup: Setup, app: LocalApp, clock: Clock, registry: FunctionRegistry): void {
  if (setup.opts.schedules !== false && app.schedules.length) {
    const invoke = (id: string, event: unknown) => registry.invoke(localFunction(registry, id), event);
    const running = startSchedules(app.schedules, clock, invoke, setup.log);
    setup.stoppers.add(async () => running.stop());
  }
  if (app.skippedSchedules.length) setup.log(`schedules not run locally: ${app.skippedSchedules.join(', ')}`);
}

function localFunction(registry: FunctionRegistry, logicalId: string): LocalFunction {
  const f = registry.find(logicalId);
  if (!f) throw new LocalStackError(`function ${logicalId} is not a local function (no complaint-loop:entry metadata)`);
  return f;
}

function serviceUrls(apiBaseUrl: string, sfnServer: SfnServer, dynamo: DynamoDbLocal, ses: SesLocal, awsLite: AwsLite): LocalStackUrls {
  return {
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
}

/** The engine's AWS JSON endpoint, then the stack's REST API with its index page of links. */
async function startFronts(
  setup: Setup,
  stack: {
    engine: Engine;
    clock: Clock;
    app: LocalApp;
    registry: FunctionRegistry;
    hostedLogin?: LocalHostedLogin;
    urls: (sfn: SfnServer) => LocalStackUrls;
  },
): Promise<{ urls: LocalStackUrls; api: ApiServer }> {
  const sfnServer = await startSfnServer(stack.engine, { port: await setup.portOf('engine'), credentials: LOCAL_CREDENTIALS });
  setup.stoppers.add(() => sfnServer.close());
  const urls = stack.urls(sfnServer);
  const api = await startApiServer({
    port: await setup.portOf('api'),
    routes: stack.app.routes,
    gatewayResponses: stack.app.gatewayResponses,
    localEndpoints: stack.hostedLogin,
    stage: stack.app.stage,
    credentials: LOCAL_CREDENTIALS,
    now: () => stack.clock.now(),
    timeoutOf: (id) => stack.registry.find(id)?.timeoutSeconds,
    links: {
      'Emails sent (local SES)': urls.emails,
      'Emails as JSON': urls.emailsJson,
      'EventBridge events received': urls.events,
      'SQS queues (dead letters)': urls.queues,
      'Step Functions endpoint (AWS JSON 1.0; use with --endpoint-url)': urls.engine,
      'DynamoDB Local endpoint': urls.dynamodb,
    },
    log: setup.log,
    resolveHandler: async (id) => (await stack.registry.load(localFunction(stack.registry, id))) as unknown as ProxyHandler,
  });
  setup.stoppers.add(() => api.close());
  return { urls, api };
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const setup = prepare(opts);
  try {
    const apiBaseUrl = `http://127.0.0.1:${await setup.portOf('api')}`;
    const services = await startBackingServices(setup);
    const template = opts.template ?? (await synthesizedTemplate(setup.log));
    const signIn = localSignIn(template, apiBaseUrl);
    const app = loadApp(template, { apiBaseUrl, signIn: signIn?.targets }, services.awsLite, setup.log);
    const hostedLogin = hostedLoginFor(app, signIn?.provider);
    const dynamo = await services.dynamoStarting;
    const endpoints = await functionEndpoints(setup, dynamo, services);
    applySesSandbox(setup, services.ses, app);
    const registry = new FunctionRegistry(app.functions, localServiceEnv(endpoints), REPO_ROOT);
    // Fail at start, not at the first request, when a handler does not load.
    for (const f of app.functions) await registry.load(f);

    const provisioned: ProvisionReport = { created: [], existing: [], updated: [], warnings: [] };
    await provisionTablesOf(app, dynamo, provisioned);
    const { engine, clock, origin } = startEngine(setup, registry);
    await provisionStateMachines(engine, app.stateMachines, provisioned);
    for (const w of provisioned.warnings) setup.log(`warning: ${w}`);
    runSchedules(setup, app, clock, registry);
    const urls = (sfn: SfnServer) => serviceUrls(apiBaseUrl, sfn, dynamo, services.ses, services.awsLite);
    const fronts = await startFronts(setup, { engine, clock, app, registry, hostedLogin, urls });

    let stopped: Promise<void> | undefined;
    return {
      engine,
      urls: fronts.urls,
      credentials: { ...LOCAL_CREDENTIALS, region: LOCAL_REGION },
      app,
      dataDir: setup.dataDir,
      ses: services.ses,
      awsLite: services.awsLite,
      provisioned,
      loopClock: { origin, startedAt: new Date(clock.now()).toISOString() },
      stateMachineArn: app.stateMachines[0].arn,
      browserLoginUrl: (next, as) => {
        if (!hostedLogin) throw new LocalStackError('this stack has no console sign-in (the template has no Cognito user pool client)');
        return `${apiBaseUrl}${hostedLogin.mintLink(next, as)}`;
      },
      invoke: async (name, event) => {
        const f = registry.find(name);
        if (!f) throw new LocalStackError(`no local function named ${name}`);
        return registry.invoke(f, event);
      },
      stop: () => (stopped ??= setup.stoppers.stopAll()),
    };
  } catch (err) {
    await setup.stoppers.stopAll().catch(() => undefined);
    throw err;
  }
}
