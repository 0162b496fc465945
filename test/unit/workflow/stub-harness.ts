/**
 * The definition CDK deploys, run on the project's engine with a virtual clock and the five task
 * Lambdas replaced by stubs: plain functions that answer per the task contracts. Every request the
 * definition sends and every answer a stub gives is checked against the contract's zod schemas, so a
 * payload that drifts from `functions/contract/tasks.ts` fails the test that produced it.
 *
 * The definition is `buildComplaintLoopDefinition()` with `COMPLAINT_LOOP_SUBSTITUTIONS` bound the way
 * the stack's DefinitionSubstitutions bind them (each `${Placeholder}` becomes the function's ARN):
 * the same text the stack's DefinitionString carries, without synthesizing the stack (seconds, and
 * esbuild child processes) for every test. test/cdk/stack-resources.test.ts checks that the stack
 * binds each placeholder to its function.
 */
import { expect, onTestFinished } from 'vitest';
import type { ClassifiedAnswer, ClockAnswerWithManagement } from '../../../functions/app/tasks/tasks';
import {
  awaitMilestoneRequestSchema,
  CLOCKS_CHANGED,
  type ClockAnswer,
  classifyRequestSchema,
  clockAnswerSchema,
  clockTickAnswerSchema,
  clockTickRequestSchema,
  executionInputSchema,
  lifecycleRequestSchema,
  type MilestoneMet,
  milestoneMetSchema,
  notifyRequestSchema,
} from '../../../functions/contract/tasks';
import type { MilestoneId } from '../../../functions/domain/milestones';
import * as z from '../../../functions/domain/zod';
import { Engine, type LambdaHandler, VirtualClock, validateDefinition } from '../../../local/engine';
import { buildComplaintLoopDefinition, COMPLAINT_LOOP_SUBSTITUTIONS } from '../../../workflows/complaint-loop';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Monday 2 March 2026, 09:00 in Beijing. */
export const T0 = Date.UTC(2026, 2, 2, 1, 0, 0);
export const iso = (ms: number): string => new Date(ms).toISOString();

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const COMPLAINT_ID = 'c-20260302-0001';

export type HandlerName = (typeof COMPLAINT_LOOP_SUBSTITUTIONS)[keyof typeof COMPLAINT_LOOP_SUBSTITUTIONS];

/** What each task receives (the contract's request schemas) and answers. */
export interface Requests {
  classify: z.output<typeof classifyRequestSchema>;
  lifecycle: z.output<typeof lifecycleRequestSchema>;
  'await-milestone': z.output<typeof awaitMilestoneRequestSchema>;
  'clock-tick': z.output<typeof clockTickRequestSchema>;
  notify: z.output<typeof notifyRequestSchema>;
}
export interface Answers {
  classify: ClassifiedAnswer;
  lifecycle: ClockAnswerWithManagement;
  'await-milestone': { readonly met: boolean };
  'clock-tick': z.output<typeof clockTickAnswerSchema>;
  notify: ClockAnswer;
}

/** The fields of each answer the definition reads; the classify and lifecycle answers have no schema of their own. */
const clockAndManagementSchema = z.extend(clockAnswerSchema, { management: z.boolean() });
const CONTRACTS: { [K in HandlerName]: { request: z.ZodMiniType<Requests[K]>; answer?: z.ZodMiniType } } = {
  classify: { request: classifyRequestSchema, answer: clockAndManagementSchema },
  lifecycle: { request: lifecycleRequestSchema, answer: clockAndManagementSchema },
  'await-milestone': { request: awaitMilestoneRequestSchema },
  'clock-tick': { request: clockTickRequestSchema, answer: clockTickAnswerSchema },
  notify: { request: notifyRequestSchema, answer: clockAnswerSchema },
};

export type Stub<K extends HandlerName> = (request: Requests[K], loop: StubbedLoop) => Answers[K] | Promise<Answers[K]>;
export type Stubs = { [K in HandlerName]: Stub<K> };

export interface TaskCall<K extends HandlerName = HandlerName> {
  readonly handler: K;
  /** Virtual time of the invocation. */
  readonly at: number;
  readonly request: Requests[K];
}

export interface LoopOptions {
  readonly stubs?: Partial<Stubs>;
  /** Classification: H-24 management involvement. */
  readonly management?: boolean;
  /** What the stubs report as the next instant a clock needs attention, from the start (default T0 + 1 day); null: none. */
  readonly nextDueAt?: number | null;
  /** The engine's random source, fixed: a FULL-jitter retry waits this fraction of its computed delay (default 0.5). */
  readonly jitter?: number;
}

const functionArn = (handler: HandlerName): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:complaint-loop-${handler}`;

/** The definition with CloudFormation's DefinitionSubstitutions applied, as the stack deploys it. */
export function deployedDefinition(): string {
  let text = JSON.stringify(buildComplaintLoopDefinition());
  for (const [placeholder, handler] of Object.entries(COMPLAINT_LOOP_SUBSTITUTIONS)) {
    text = text.replaceAll(`\${${placeholder}}`, functionArn(handler));
  }
  const unbound = text.match(/\$\{\w+\}/);
  if (unbound) throw new Error(`definition placeholder ${unbound[0]} has no substitution`);
  return text;
}

/**
 * Checks the deployed definition as CreateStateMachine does. The engine remembers the verdict per
 * definition text, so calling this in `beforeAll` keeps the validator's one-off start-up out of the
 * first test.
 */
export function checkDeployedDefinition(): void {
  expect(validateDefinition(deployedDefinition())).toEqual([]);
}

const DEFAULT_STUBS: Stubs = {
  classify: (_request, loop) => ({
    serviceType: 'network',
    type: loop.management ? 'major' : 'general',
    severity: loop.management ? 'major' : 'general',
    source: 'external',
    team: 'network-operations',
    management: loop.management,
    complexity: 'simple',
    reasons: ['stub classification'],
    nextDueAt: loop.nextDueAt,
  }),
  lifecycle: (_request, loop) => ({ nextDueAt: loop.nextDueAt, management: loop.management }),
  'await-milestone': (request, loop) => {
    loop.waiting.set(request.milestone as MilestoneId, request.taskToken);
    return { met: false };
  },
  // A clock step sends what is due and answers the next instant still ahead, if any.
  'clock-tick': (_request, loop) => ({ nextDueAt: loop.dueAhead(), expired: false }),
  notify: (_request, loop) => ({ nextDueAt: loop.nextDueAt }),
};

/** One complaint's execution of the deployed definition, its stubs, and what they saw. */
export class StubbedLoop {
  readonly clock: VirtualClock;
  readonly engine: Engine;
  readonly complaintId = COMPLAINT_ID;
  executionArn = '';
  management: boolean;
  /** What the stubs answer as `nextDueAt` (what the store would compute): ISO instant or null. */
  nextDueAt: string | null;
  /** Task tokens of the milestone waits the await-milestone stub has seen, by milestone. */
  readonly waiting = new Map<MilestoneId, string>();
  readonly calls: TaskCall[] = [];
  /** Requests or answers that broke the task contracts. */
  readonly contractViolations: string[] = [];
  private readonly stubs: Stubs;

  constructor(options: LoopOptions) {
    this.clock = new VirtualClock(T0);
    const jitter = options.jitter ?? 0.5;
    this.engine = new Engine({
      clock: this.clock,
      region: REGION,
      accountId: ACCOUNT,
      random: () => jitter,
      resolveLambda: (arn) => this.route(arn),
    });
    this.management = options.management ?? false;
    const due = options.nextDueAt === undefined ? T0 + DAY : options.nextDueAt;
    this.nextDueAt = due === null ? null : iso(due);
    this.stubs = { ...DEFAULT_STUBS, ...options.stubs } as Stubs;
  }

  /** `nextDueAt` if it is still ahead of the engine clock, else null. */
  dueAhead(): string | null {
    return this.nextDueAt !== null && Date.parse(this.nextDueAt) > this.clock.now() ? this.nextDueAt : null;
  }

  /** The stub's default answer, for stubs that only change some calls. */
  byDefault<K extends HandlerName>(handler: K, request: Requests[K]): Answers[K] | Promise<Answers[K]> {
    return (DEFAULT_STUBS[handler] as Stub<K>)(request, this);
  }

  async start(): Promise<void> {
    const { stateMachineArn } = await this.engine.createStateMachine({
      name: 'ComplaintLoop-complaint-loop',
      definition: deployedDefinition(),
      roleArn: `arn:aws:iam::${ACCOUNT}:role/complaint-loop-workflow`,
    });
    const input = executionInputSchema.parse({ complaintId: this.complaintId });
    const started = await this.engine.startExecution({ stateMachineArn, name: this.complaintId, input: JSON.stringify(input) });
    this.executionArn = started.executionArn;
    await this.engine.settle();
  }

  private route(arn: string): LambdaHandler | undefined {
    const handler = Object.values(COMPLAINT_LOOP_SUBSTITUTIONS).find((h) => functionArn(h) === arn);
    return handler && ((event) => this.handle(handler, event));
  }

  /** One invocation of a task Lambda: the request checked, recorded and answered by its stub, the answer checked. */
  async handle<K extends HandlerName>(handler: K, event: unknown): Promise<Answers[K]> {
    const contract = CONTRACTS[handler];
    const request = contract.request.safeParse(event);
    if (!request.success) {
      this.contractViolations.push(`${handler} request ${JSON.stringify(event)}: ${request.error.message}`);
      throw new Error(`${handler}: the request breaks the task contract`);
    }
    this.calls.push({ handler, at: this.clock.now(), request: request.data });
    const answer = await (this.stubs[handler] as Stub<K>)(request.data, this);
    const checked = contract.answer?.safeParse(answer);
    if (checked && !checked.success) this.contractViolations.push(`${handler} answer ${JSON.stringify(answer)}: ${checked.error.message}`);
    return answer;
  }

  requests<K extends HandlerName>(handler: K): Requests[K][] {
    return this.calls.filter((c): c is TaskCall<K> => c.handler === handler).map((c) => c.request);
  }

  /** Virtual times of the calls to one task, relative to T0. */
  callTimes(handler: HandlerName): number[] {
    return this.calls.filter((c) => c.handler === handler).map((c) => c.at - T0);
  }

  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
  }

  /** Advance the virtual clock to T0 + ms. */
  async advanceTo(ms: number): Promise<void> {
    await this.clock.advanceTo(T0 + ms);
  }

  private takeToken(milestone: MilestoneId): string {
    const token = this.waiting.get(milestone);
    if (!token) throw new Error(`the workflow does not wait for ${milestone}`);
    this.waiting.delete(milestone);
    return token;
  }

  /** SendTaskSuccess to the wait for `milestone`, as the events API does when it is met. */
  async meet(milestone: MilestoneId, extra: Partial<MilestoneMet> = {}): Promise<void> {
    const output = milestoneMetSchema.parse({ milestone, nextDueAt: this.nextDueAt, ...extra });
    await this.engine.sendTaskSuccess({ taskToken: this.takeToken(milestone), output: JSON.stringify(output) });
    await this.engine.settle();
  }

  /** SendTaskFailure ClocksChanged to the wait for `milestone`, as the events API does on pause, resume or reclassification. */
  async changeClocks(milestone: MilestoneId): Promise<void> {
    await this.engine.sendTaskFailure({ taskToken: this.takeToken(milestone), error: CLOCKS_CHANGED, cause: 'deadlines changed' });
    await this.engine.settle();
  }

  /** Names of the states entered, in order (from the execution history). */
  async statesEntered(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.engine.getExecutionHistory({ executionArn: this.executionArn, maxResults: 1000, nextToken });
      for (const e of page.events) if (String(e.type).endsWith('StateEntered')) names.push(e.stateEnteredEventDetails?.name ?? '');
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  async describe(): Promise<{ status: string; error?: string; cause?: string; output?: string }> {
    return (await this.engine.describeExecution({ executionArn: this.executionArn })) as { status: string };
  }
}

/**
 * Starts one complaint on the deployed definition with the given stubs and waits until it has
 * nothing left to run. When the test ends the engine closes and the test fails if any task
 * request or stub answer broke its contract.
 */
export async function startLoop(options: LoopOptions = {}): Promise<StubbedLoop> {
  const loop = new StubbedLoop(options);
  onTestFinished(async () => {
    await loop.engine.close();
    expect(loop.contractViolations, 'task contract violations').toEqual([]);
  });
  await loop.start();
  return loop;
}

/** A stub that throws `error()` on its first `times` calls, then answers as the default stub does. */
export function failFirst<K extends HandlerName>(handler: K, times: number, error: () => Error): Stub<K> {
  let failures = 0;
  return (request, loop) => {
    if (failures < times) {
      failures++;
      throw error();
    }
    return loop.byDefault(handler, request);
  };
}
