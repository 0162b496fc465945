/**
 * The Task state: the integration call (request-response, or `.waitForTaskToken` with its token,
 * TimeoutSeconds and HeartbeatSeconds), its history events, and the task tokens an execution waits
 * on. Retry and Catch wrap it (retry.ts); its result goes through the step's query-language pipeline.
 */
import type { Waiter } from './abort';
import type { TaskState } from './asl';
import type { TimerHandle } from './clock';
import { StatesError, StatesErrors } from './errors';
import { JsonText } from './history';
import {
  finishResult,
  type Journal,
  numberField,
  type RunHost,
  runtimeError,
  type Step,
  type StepResult,
  type StepRuntime,
  type Thread,
  type TokenEntry,
  type TokenOutcome,
} from './step';
import { type ParsedResource, parseResource } from './tasks';

type Obj = Record<string, any>;
type Outcome = TokenOutcome & { t: number };

/** A Task without TimeoutSeconds: Step Functions' own default, in effect no timeout. */
export const DEFAULT_TASK_TIMEOUT_S = 99_999_999;

const SUPPORTED_RESOURCES =
  'Lambda function ARNs, arn:aws:states:::lambda:invoke, dynamodb:getItem|putItem|updateItem|deleteItem, events:putEvents, sqs:sendMessage, states:startExecution, aws-sdk:dynamodb|sesv2|ses|sqs|eventbridge|sfn';

/** One attempt's call: the integration, its arguments, the token and deadlines, as the history names them. */
interface TaskCall {
  parsed: ParsedResource;
  resource: string;
  params: unknown;
  token?: string;
  ctx: Obj;
  start: number;
  timeoutS: number;
  heartbeatS: number | undefined;
  /** A Lambda function ARN: its events are LambdaFunction*, not Task*. */
  isFunction: boolean;
  /** Whether the definition set a timeout (only then does the history show one). */
  timeoutSet: boolean;
  rt: { resourceType: string; resource: string };
}

/** One attempt of a Task state. */
export async function taskState(rt: StepRuntime, step: Step<TaskState>, ctx0: Obj): Promise<StepResult> {
  const th = step.thread;
  const call = await prepareCall(rt, step, ctx0);
  emitScheduled(rt, th, call);
  let result: unknown;
  try {
    assertSupported(call);
    if (call.token) {
      // The wait happens in this frame (not a helper's): one async frame less per parked execution.
      const entry = await submitForToken(rt, th, call, call.token);
      let outcome: Outcome;
      if (entry instanceof TokenWait) {
        try {
          outcome = await rt.waitAbortable<Outcome>(th, (w) => {
            w.cancelable = entry;
            entry.onDone(w);
          });
        } catch (e) {
          entry.close();
          throw e;
        }
      } else outcome = entry;
      th.t = outcome.t;
      if ('err' in outcome) throw new StatesError(outcome.err[0], outcome.err[1]);
      result = outcome.ok;
    } else {
      result = await rt.effect(th, `${th.attempt}.task`, () =>
        withTimeout(rt.host, rt.host.tasks.invoke(call.parsed, call.resource, call.params), call.start + call.timeoutS * 1000),
      );
    }
  } catch (e) {
    if (e instanceof StatesError) emitFailed(rt, th, call, e);
    throw e;
  }
  emitSucceeded(rt, th, call, result);
  return finishResult(rt, step, result, call.ctx);
}

/** The token (journaled), the context object, the arguments and the deadlines of one attempt. */
async function prepareCall(rt: StepRuntime, step: Step<TaskState>, ctx0: Obj): Promise<TaskCall> {
  const { state: st, thread: th, ql } = step;
  const resource = st.Resource;
  const parsed = parseResource(resource);
  const token = parsed.pattern === 'waitForTaskToken' ? rt.effectSync(th, `${th.attempt}.token`, () => rt.host.newToken()) : undefined;
  const ctx = token ? withTask(ctx0, token) : ctx0;
  const io = rt.io(step, ctx);
  const eff = ql.effectiveInput(io);
  const params = await ql.arguments(io, eff, undefined);
  const timeoutS = (await numberField(step, io, eff, 'TimeoutSeconds')) ?? DEFAULT_TASK_TIMEOUT_S;
  const heartbeatS = await numberField(step, io, eff, 'HeartbeatSeconds');
  return {
    parsed,
    resource,
    params,
    token,
    ctx,
    start: th.t,
    timeoutS,
    heartbeatS,
    isFunction: parsed.kind === 'lambda-function',
    timeoutSet: st.TimeoutSeconds !== undefined || st.TimeoutSecondsPath !== undefined,
    rt: { resourceType: parsed.resourceType, resource: parsed.resourceName },
  };
}

function withTask(ctx: Obj, token: string): Obj {
  const c: Obj = { Execution: ctx.Execution, State: ctx.State, StateMachine: ctx.StateMachine, Task: { Token: token } };
  if (ctx.Map) c.Map = ctx.Map;
  return c;
}

function assertSupported(call: TaskCall): void {
  if (call.parsed.pattern === 'sync')
    throw runtimeError(`The .sync integration pattern is not supported by the local engine (resource ${call.resource})`);
  if (call.parsed.kind === 'unsupported')
    throw runtimeError(`Unsupported Task resource: ${call.resource} (supported: ${SUPPORTED_RESOURCES})`);
}

function emitScheduled(rt: StepRuntime, th: Thread, call: TaskCall): void {
  if (call.isFunction) {
    const d: Obj = { resource: call.resource, input: call.params };
    if (call.timeoutSet) d.timeoutInSeconds = call.timeoutS;
    rt.emit(th, 'LambdaFunctionScheduled', d);
    rt.emit(th, 'LambdaFunctionStarted');
    return;
  }
  // Literal objects, not spreads: spread copies get a hidden class each, which parked executions pay for.
  const d: Obj = {
    resourceType: call.rt.resourceType,
    resource: call.rt.resource,
    region: rt.host.region,
    parameters: call.params ?? {},
    timeoutInSeconds: call.timeoutSet ? call.timeoutS : undefined,
    heartbeatInSeconds: call.heartbeatS,
  };
  rt.emit(th, 'TaskScheduled', d);
  rt.emit(th, 'TaskStarted', call.rt);
}

function emitFailed(rt: StepRuntime, th: Thread, call: TaskCall, e: StatesError): void {
  const timedOut = e.error === StatesErrors.Timeout || e.error === StatesErrors.HeartbeatTimeout;
  if (call.isFunction) rt.emit(th, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', { error: e.error, cause: e.cause });
  else
    rt.emit(th, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
      resourceType: call.rt.resourceType,
      resource: call.rt.resource,
      error: e.error,
      cause: e.cause,
    });
}

function emitSucceeded(rt: StepRuntime, th: Thread, call: TaskCall, result: unknown): void {
  if (call.isFunction) rt.emit(th, 'LambdaFunctionSucceeded', { output: result });
  else rt.emit(th, 'TaskSucceeded', { resourceType: call.rt.resourceType, resource: call.rt.resource, output: result });
}

/** Race an in-flight call against the task timeout on the engine clock. */
function withTimeout<T>(host: RunHost, p: Promise<T>, due: number): Promise<T> {
  if (due - host.clock.now() > DEFAULT_TASK_TIMEOUT_S * 1000 - 1) return p;
  return new Promise<T>((resolve, reject) => {
    const h = host.schedule(due, () => reject(new StatesError(StatesErrors.Timeout, 'Task timed out')));
    p.then(
      (v) => {
        h.cancel();
        resolve(v);
      },
      (e) => {
        h.cancel();
        reject(e);
      },
    );
  });
}

/** Register the token, then call the integration (it may report success before it returns). */
async function submitForToken(rt: StepRuntime, th: Thread, call: TaskCall, token: string): Promise<TokenWait | Outcome> {
  const recorded = rt.journal?.get(`tok:${token}`) as Outcome | undefined;
  const entry = recorded ? undefined : new TokenWait(rt.host, rt.journal, token, call.start, call.timeoutS, call.heartbeatS);
  try {
    const submitted = await rt.effect(th, `${th.attempt}.submit`, () => rt.host.tasks.invoke(call.parsed, call.resource, call.params));
    rt.emit(th, 'TaskSubmitted', {
      resourceType: call.rt.resourceType,
      resource: call.rt.resource,
      output: new JsonText(JSON.stringify(submitted ?? null)),
    });
  } catch (e) {
    entry?.close();
    throw e;
  }
  return entry ?? recorded!;
}

/** A live task token: timers for TimeoutSeconds/HeartbeatSeconds, and its outcome, journaled. */
class TokenWait implements TokenEntry {
  private done?: Outcome;
  private waiter?: Waiter<Outcome>;
  private timeoutTimer?: TimerHandle;
  private hbTimer?: TimerHandle;

  constructor(
    private readonly host: RunHost,
    private readonly journal: Journal | undefined,
    private readonly token: string,
    start: number,
    timeoutS: number,
    private readonly heartbeatS: number | undefined,
  ) {
    if (timeoutS < DEFAULT_TASK_TIMEOUT_S) {
      this.timeoutTimer = host.schedule(start + timeoutS * 1000, () =>
        this.settle({ err: [StatesErrors.Timeout, `Task timed out after ${timeoutS} seconds`], kind: 'timeout' }),
      );
    }
    const lastHb = journal?.get(`hb:${token}`) as number | undefined;
    this.armHeartbeat(lastHb ?? start);
    host.tokens.set(token, this);
  }

  private armHeartbeat(from: number): void {
    if (this.heartbeatS === undefined) return;
    this.hbTimer?.cancel();
    const hb = this.heartbeatS;
    this.hbTimer = this.host.schedule(from + hb * 1000, () =>
      this.settle({ err: [StatesErrors.HeartbeatTimeout, `Task did not send a heartbeat within ${hb} seconds`], kind: 'heartbeat' }),
    );
  }

  settle(o: TokenOutcome): boolean {
    if (this.done) return false;
    this.done = ('ok' in o ? { ok: o.ok, t: this.host.clock.now() } : { err: o.err, kind: o.kind, t: this.host.clock.now() }) as Outcome;
    this.release('kind' in o && (o.kind === 'timeout' || o.kind === 'heartbeat') ? 'timeout' : 'closed');
    this.journal?.put(`tok:${this.token}`, this.done);
    this.waiter?.resolve(this.done);
    return true;
  }

  heartbeat(): void {
    const t = this.host.clock.now();
    this.journal?.put(`hb:${this.token}`, t);
    this.armHeartbeat(t);
  }

  onDone(w: Waiter<Outcome>): void {
    if (this.done) w.resolve(this.done);
    else this.waiter = w;
  }

  cancel(): void {
    this.close();
  }

  /** The waiting thread went away (stop, sibling failure, failed submit): the token is dead. */
  close(): void {
    if (this.done) return;
    this.done = { err: ['States.Aborted', 'closed'], t: this.host.clock.now() };
    this.release('closed');
  }

  private release(how: 'timeout' | 'closed'): void {
    this.timeoutTimer?.cancel();
    this.hbTimer?.cancel();
    this.host.tokens.delete(this.token);
    this.host.closedTokens.set(this.token, how);
  }
}
