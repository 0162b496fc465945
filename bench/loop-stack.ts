/**
 * The local stack as the benchmarks drive it: the synthesized template on the project's engine
 * with a VirtualClock, DynamoDB Local behind a counting proxy, local SES, and the real handlers.
 * Records every API request (count and round-trip time) so cost and volume runs can price them.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../local/engine/index';
import { type LocalStack, startLocalStack, useLocalPowertoolsDefaults } from '../local/local-stack';
import { signedFetch } from '../local/signed-fetch';
import { type DynamoMeter, type DynamoTraceLine, STEP_HEADER, startDynamoMeter } from './dynamo-meter';
import { installLambdaMeter, workflowStep } from './lambda-meter';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Monday 2 March 2026, 09:00 in Shanghai: no public holiday within two weeks. */
export const T0 = Date.parse('2026-03-02T01:00:00.000Z');

export interface ApiCall {
  route: string;
  status: number;
  ms: number;
}

export interface BenchStack {
  readonly stack: LocalStack;
  readonly clock: VirtualClock;
  readonly dynamo: DynamoMeter;
  /** IAM-signed call to the REST API; settles the engine afterwards unless told not to. */
  api(method: string, route: string, body?: unknown, settle?: boolean): Promise<{ status: number; body: any }>;
  /** Unsigned form POST or GET to a link from an email (survey, ack). */
  link(url: string, form?: Record<string, string>): Promise<number>;
  advance(ms: number): Promise<void>;
  takeApiCalls(): ApiCall[];
  /** The workflow tasks invoked since the last take (function names, in order). */
  takeTaskCalls(): string[];
  /** Memory size (MB) of the function behind a name. */
  memoryOf(name: string): number;
  executionArn(complaintId: string): string;
  stop(): Promise<void>;
}

export async function startBenchStack(
  opts: { meterLambdas?: boolean; meterDynamo?: boolean; traceDynamo?: (line: DynamoTraceLine) => void } = {},
): Promise<BenchStack> {
  if (opts.meterLambdas !== false) installLambdaMeter();
  // The handlers' INFO lines would drown the figures (a caller may still ask for them).
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const clock = new VirtualClock(T0);
  // In memory: what is measured is the loop, not DynamoDB Local's disk writes.
  useLocalPowertoolsDefaults();
  // The route of the API request in flight: the API server runs its handler outside the caller's
  // async context, so a request without a workflow step belongs to it (one at a time per complaint).
  let apiInFlight: string | undefined;
  // The workflow task in flight, for requests whose client carries no step label (one complaint at a time).
  let taskInFlight: string | undefined;
  let taskCalls: string[] = [];
  const stepOf = () => workflowStep.getStore() ?? taskInFlight ?? apiInFlight ?? 'other';
  // The meter stands in front of DynamoDB Local for the handlers: every request of theirs goes through it.
  let meter: DynamoMeter | undefined;
  const meterInFront = async (endpoint: string) => {
    meter = await startDynamoMeter(endpoint, opts.traceDynamo, stepOf);
    return opts.meterDynamo === false ? endpoint : meter.endpoint;
  };
  const stack = await startLocalStack({
    port: 0,
    clock,
    inMemory: true,
    schedules: false,
    log: () => undefined,
    interpose: { dynamodb: meterInFront },
    wrapLambda: (name, handler) => async (event, context) => {
      const step = name.includes(':function:') ? name.split(':function:')[1]!.split(':')[0]! : name;
      taskCalls.push(step);
      taskInFlight = step;
      try {
        return await handler(event, context);
      } finally {
        taskInFlight = undefined;
      }
    },
  });
  const dynamo = meter!;
  await labelDynamoRequests(stepOf);
  const { engine } = stack;
  let calls: ApiCall[] = [];
  const memory = new Map(stack.app.functions.map((f) => [f.name, f.memoryMb]));
  const maxMemory = Math.max(...stack.app.functions.map((f) => f.memoryMb));

  const record = (route: string, status: number, t: bigint) => calls.push({ route, status, ms: Number(process.hrtime.bigint() - t) / 1e6 });

  return {
    stack,
    clock,
    dynamo,
    api: async (method, route, body, settle = true) => {
      const t = process.hrtime.bigint();
      const label = `${method} ${route.replace(/\/c-[A-Za-z0-9]+/, '/{id}')}`;
      apiInFlight = label;
      const res = await signedFetch(`${stack.urls.api}${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      apiInFlight = undefined;
      record(label, res.status, t);
      if (settle) await engine.settle();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // HTML page
      }
      return { status: res.status, body: parsed as any };
    },
    link: async (url, form) => {
      const t = process.hrtime.bigint();
      const label = `${form ? 'POST' : 'GET'} ${new URL(url).pathname.replace(/\/[^/]+$/, '/{token}')}`;
      apiInFlight = label;
      const res = await fetch(
        url,
        form
          ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() }
          : { method: 'GET' },
      );
      await res.text();
      apiInFlight = undefined;
      record(label, res.status, t);
      await engine.settle();
      return res.status;
    },
    advance: async (ms) => {
      await clock.advance(ms);
      await engine.settle();
    },
    takeApiCalls: () => {
      const out = calls;
      calls = [];
      return out;
    },
    takeTaskCalls: () => {
      const out = taskCalls;
      taskCalls = [];
      return out;
    },
    memoryOf: (name) => memory.get(name) ?? maxMemory,
    executionArn: (id) => `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`,
    stop: async () => {
      await dynamo.close();
      await stack.stop();
    },
  };
}

/**
 * Names the step each DynamoDB request works for in a header the meter reads. Every handler
 * shares the one document client of functions/adapters/clients.ts (loaded the way the local stack
 * loads the handlers, so it is the same module instance).
 */
async function labelDynamoRequests(stepOf: () => string): Promise<void> {
  const clients = (await import(pathToFileURL(path.join(__dirname, '..', 'functions', 'adapters', 'clients.ts')).href)) as {
    dynamo(): DynamoDBDocumentClient;
  };
  clients.dynamo().middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[STEP_HEADER] = stepOf();
      return next(args);
    },
    { step: 'build', name: 'benchStepLabel' },
  );
}

/** Every history event of an execution. */
export async function historyOf(b: BenchStack, executionArn: string): Promise<any[]> {
  const events: any[] = [];
  let nextToken: string | undefined;
  do {
    const page: any = await b.stack.engine.getExecutionHistory({ executionArn, maxResults: 1000, nextToken, includeExecutionData: false });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
