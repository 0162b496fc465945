/**
 * Runs one execution of an ASL definition. Each execution is a tree of threads (the top level, a
 * Parallel branch, a Map iteration); a thread is an async loop over states. Everything
 * non-deterministic (clock reads, task results, timer firings, tokens, random numbers) goes through
 * `effect`, so an execution with a journal can be replayed after a restart without repeating side
 * effects, and continues live from where it stopped.
 */

import type { Clock, TimerHandle } from './clock';
import { StatesError, StatesErrors } from './errors';
import { choiceState, failState, passState, type StepRuntime, succeedState, waitState } from './flow-states';
import type { JsonataEnv } from './jsonata-eval';
import type { TemplateOptions } from './payload-template';
import { type IoCall, type IoResult, JSONATA_IO, JSONPATH_IO, type QueryIo } from './query-io';
import { type ParsedResource, parseResource, type TaskInvoker } from './tasks';

export type Json = unknown;
type Obj = Record<string, any>;

export interface StatesBlock {
  StartAt: string;
  States: Record<string, Obj>;
  QueryLanguage?: string;
  ProcessorConfig?: Obj;
}

export interface MachineDefinition extends StatesBlock {
  TimeoutSeconds?: number;
  Comment?: string;
}

/** Journal of recorded effects for one execution (absent when the engine does not persist). */
export interface Journal {
  get(key: string): unknown;
  has(key: string): boolean;
  put(key: string, value: unknown): void;
}

/** Outcome of a task token: output, or an error. */
export type TokenOutcome = { ok: unknown } | { err: [string, string]; kind?: 'timeout' | 'heartbeat' | 'failure' };

export interface TokenEntry {
  run: Run;
  settle(o: TokenOutcome): boolean;
  heartbeat(): void;
}

/** What a Run needs from its engine. */
export interface RunHost {
  clock: Clock;
  region: string;
  accountId: string;
  tasks: TaskInvoker;
  /** Random sources; called unbound (handed to JSONata and intrinsics as they are). */
  random: () => number;
  uuid: () => string;
  newToken(): string;
  /** Mark the calling thread blocked while `p` is pending (for Engine.settle / VirtualClock). */
  block<T>(p: Promise<T>): Promise<T>;
  workStarted(): void;
  workEnded(): void;
  schedule(due: number, fn: () => void): TimerHandle;
  tokens: Map<string, TokenEntry>;
  isoTimes: IsoTimes;
  closedTokens: Map<string, 'timeout' | 'closed'>;
  onEnd(run: Run): void;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Compact history event: details hold raw JSON values, serialized only when the history is read. */
export interface HistoryEvent {
  t: number;
  type: string;
  prev: number;
  d?: Obj;
}

/** An already-serialized JSON value kept in history details (serialized as is when read). */
export class JsonText {
  constructor(readonly text: string) {}
}

/** Not a States error: an execution or a sibling branch was stopped; never caught by Catch. */
export class AbortSignalError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AbortSignalError';
  }
}

/** Something told when a scope is aborted. Objects with methods, not closures: parked executions stay small. */
interface AbortListener {
  onAbort(e: AbortSignalError): void;
}

class AbortScope implements AbortListener {
  aborted?: AbortSignalError;
  private parent?: AbortScope;
  // Most scopes have at most one listener at a time: keep it in a field, a Set only beyond that.
  private one?: AbortListener;
  private listeners?: Set<AbortListener>;
  child(): AbortScope {
    const c = new AbortScope();
    if (this.aborted) c.aborted = this.aborted;
    else {
      c.parent = this;
      this.listen(c);
    }
    return c;
  }
  onAbort(e: AbortSignalError): void {
    this.abort(e);
  }
  detachFromParent(): void {
    this.parent?.unlisten(this);
    this.parent = undefined;
  }
  listen(l: AbortListener): void {
    if (!this.one && !this.listeners) this.one = l;
    else (this.listeners ??= new Set()).add(l);
  }
  unlisten(l: AbortListener): void {
    if (this.one === l) this.one = undefined;
    else this.listeners?.delete(l);
  }
  abort(e: AbortSignalError): void {
    if (this.aborted) return;
    this.aborted = e;
    const one = this.one;
    const ls = this.listeners;
    this.one = undefined;
    this.listeners = undefined;
    one?.onAbort(e);
    if (ls) for (const l of ls) l.onAbort(e);
  }
}

/**
 * One blocked wait: resolves, or rejects when its thread's scope is aborted (then runs `cancel`).
 * While pending, the thread does not count as runnable work (see Engine.settle).
 */
class Waiter<T> implements AbortListener {
  /** What to cancel when aborted (a timer, a task token). */
  cancelable?: { cancel(): void };
  private settled = false;
  constructor(
    private readonly host: RunHost,
    private readonly scope: AbortScope,
    private readonly res: (v: T) => void,
    private readonly rej: (e: unknown) => void,
  ) {
    scope.listen(this);
    host.workEnded();
  }
  onAbort(e: AbortSignalError): void {
    if (this.settled) return;
    this.settled = true;
    this.host.workStarted();
    this.cancelable?.cancel();
    this.rej(e);
  }
  resolve(v: T): void {
    if (this.settled) return;
    this.settled = true;
    this.host.workStarted();
    this.scope.unlisten(this);
    this.res(v);
  }
}

interface Scope {
  outer?: Record<string, unknown>;
  vars: Record<string, unknown>;
}

export interface Thread {
  /** Journal key prefix of the thread: '' at the top, then `<state key>:<attempt>.branch<i>/` or `.item<i>/`. */
  path: string;
  /** States entered by this thread so far: with the state's name, it names the journal records of a state. */
  step: number;
  state: string;
  /** Attempt of the current Task/Parallel/Map state (0, then 1 per retry). */
  attempt: number;
  /** Time of the thread's last observed clock reading (history timestamps, EnteredTime). */
  t: number;
  last: number;
  scope: Scope;
  abort: AbortScope;
  mapItem?: { Index: number; Value: unknown };
}

export interface StepResult {
  output: unknown;
  next?: string;
  /** Set when a Catch handled an error: its Next wins over the state's End. */
  caught?: boolean;
  /** Variables the state assigned (shown in its StateExited event). */
  assigned?: Obj;
}

/** One state being run: what every state handler needs, in one object instead of a parameter list. */
export interface Step {
  name: string;
  state: Obj;
  input: unknown;
  thread: Thread;
  /** The input/output pipeline of the state's query language. */
  ql: QueryIo;
  /** Engine time the state was entered. */
  entered: number;
  /** Query language the branches of a Parallel and the processor of a Map inherit. */
  childQl: string;
}

/** How runChildren runs the child threads of a Parallel or Map. */
interface ChildRun {
  count: number;
  /** At most this many at once; 0 = all. */
  limit: number;
  makeThread(i: number): Thread;
  body(i: number, child: Thread): Promise<unknown>;
  /** Decides, per failed child, whether to tolerate it (returning its output slot value). */
  onFailure?(i: number, e: StatesError, child: Thread): { tolerated: boolean; value?: unknown; error?: StatesError };
  onStart?(i: number, child: Thread): void;
  onSuccess?(i: number, child: Thread): void;
}

/** A waitForTaskToken call: the integration to submit and the token's deadlines. */
interface TokenCall {
  parsed: ParsedResource;
  resource: string;
  params: unknown;
  token: string;
  start: number;
  timeoutS: number;
  heartbeatS: number | undefined;
  rt: Obj;
}

/** A Task without TimeoutSeconds: Step Functions' own default, in effect no timeout. */
const DEFAULT_TASK_TIMEOUT_S = 99_999_999;
/** Retrier defaults of the Amazon States Language. */
export const RETRY_DEFAULTS = Object.freeze({ maxAttempts: 3, intervalSeconds: 1, backoffRate: 2.0 });

function visibleVars(s: Scope): Record<string, unknown> {
  if (!s.outer) return s.vars;
  return { ...s.outer, ...s.vars };
}

/** ISO timestamps, memoized per engine: on a virtual clock many states enter at the same millisecond. */
export class IsoTimes {
  private lastMs = Number.NaN;
  private last = '';
  format(ms: number): string {
    if (ms !== this.lastMs) {
      this.last = new Date(ms).toISOString();
      this.lastMs = ms;
    }
    return this.last;
  }
}

const STATE_TYPES = ['Task', 'Choice', 'Pass', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
const ENTERED: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(STATE_TYPES.map((t) => [t, `${t}StateEntered`])));
const EXITED: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(STATE_TYPES.map((t) => [t, `${t}StateExited`])));
/** Interned event type names: one string per type instead of one per event. */
function eventType(stateType: string, suffix: 'StateEntered' | 'StateExited'): string {
  return (suffix === 'StateEntered' ? ENTERED : EXITED)[stateType] ?? stateType + suffix;
}

function withTask(ctx: Obj, token: string): Obj {
  const c: Obj = { Execution: ctx.Execution, State: ctx.State, StateMachine: ctx.StateMachine, Task: { Token: token } };
  if (ctx.Map) c.Map = ctx.Map;
  return c;
}

function runtimeError(msg: string): StatesError {
  return new StatesError(StatesErrors.Runtime, msg);
}

/** Retry/Catch matching per the spec: States.ALL matches all but States.Runtime/DataLimitExceeded. */
export function errorMatches(errorEquals: string[], error: string): boolean {
  for (const e of errorEquals) {
    if (e === error) return true;
    if (e === StatesErrors.ALL && error !== StatesErrors.Runtime && error !== StatesErrors.DataLimitExceeded) return true;
    if (
      e === StatesErrors.TaskFailed &&
      error !== StatesErrors.Timeout &&
      error !== StatesErrors.HeartbeatTimeout &&
      error !== StatesErrors.Runtime &&
      error !== StatesErrors.DataLimitExceeded &&
      !error.startsWith('States.')
    )
      return true;
    if (e === StatesErrors.Timeout && error === StatesErrors.HeartbeatTimeout) return true;
  }
  return false;
}

export interface RunInit {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  definition: MachineDefinition;
  input: unknown;
  inputText: string;
  startMs: number;
  journal?: Journal;
}

export class Run implements StepRuntime {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  readonly definition: MachineDefinition;
  readonly inputText: string;
  readonly startMs: number;
  status: ExecutionStatus = 'RUNNING';
  stopMs?: number;
  output?: unknown;
  error?: string;
  cause?: string;
  readonly history: HistoryEvent[] = [];
  private readonly input: unknown;
  private readonly top = new AbortScope();
  private readonly journal?: Journal;
  private waiters?: Array<() => void>;
  private timeoutTimer?: TimerHandle;
  /** Set when a replayed execution had been stopped: it stops again once replay reaches the live frontier. */
  private pendingStop?: { status: 'ABORTED' | 'TIMED_OUT'; error?: string; cause?: string; t: number };
  private readonly execContext: Obj;

  constructor(
    private readonly host: RunHost,
    init: RunInit,
  ) {
    this.executionArn = init.executionArn;
    this.name = init.name;
    this.stateMachineArn = init.stateMachineArn;
    this.stateMachineName = init.stateMachineName;
    this.roleArn = init.roleArn;
    this.definition = init.definition;
    this.input = init.input;
    this.inputText = init.inputText;
    this.startMs = init.startMs;
    this.journal = init.journal;
    this.execContext = {
      Id: this.executionArn,
      Input: this.input,
      Name: this.name,
      RoleArn: this.roleArn,
      StartTime: this.host.isoTimes.format(this.startMs),
      RedriveCount: 0,
    };
    const stop = this.journal?.get('stop') as Run['pendingStop'];
    if (stop) this.pendingStop = stop;
  }

  /** Start (or, with a journal holding records, replay) the execution. */
  start(): void {
    const th: Thread = { path: '', step: 0, state: '', attempt: 0, t: this.startMs, last: 0, scope: { vars: {} }, abort: this.top };
    this.emit(th, 'ExecutionStarted', { input: this.input, roleArn: this.roleArn });
    const ts = this.definition.TimeoutSeconds;
    if (typeof ts === 'number' && ts > 0) {
      const due = this.startMs + ts * 1000;
      if (due <= this.host.clock.now() && !this.pendingStop) {
        this.pendingStop = {
          status: 'TIMED_OUT',
          error: StatesErrors.Timeout,
          cause: `The execution exceeded its TimeoutSeconds of ${ts}`,
          t: due,
        };
      } else {
        this.timeoutTimer = this.host.schedule(due, () =>
          this.stop('TIMED_OUT', StatesErrors.Timeout, `The execution exceeded its TimeoutSeconds of ${ts}`),
        );
      }
    }
    this.host.workStarted();
    this.runBlock(this.definition, this.input, th, this.definition.QueryLanguage ?? 'JSONPath').then(
      (out) => {
        this.host.workEnded();
        this.finish('SUCCEEDED', th, { output: out });
      },
      (e) => {
        this.host.workEnded();
        if (e instanceof AbortSignalError) return;
        if (e instanceof StatesError) this.finish('FAILED', th, { error: e.error, cause: e.cause });
        else
          this.finish('FAILED', th, { error: StatesErrors.Runtime, cause: `Internal engine error: ${(e as Error)?.stack ?? String(e)}` });
      },
    );
  }

  /** Resolves once the execution has ended. */
  whenDone(): Promise<void> {
    if (this.status !== 'RUNNING') return Promise.resolve();
    return new Promise((res) => (this.waiters ??= []).push(res));
  }

  /** StopExecution and the machine's TimeoutSeconds. */
  stop(status: 'ABORTED' | 'TIMED_OUT', error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    const t = this.host.clock.now();
    this.journal?.put('stop', { status, error, cause, t });
    this.applyStop({ status, error, cause, t });
  }

  private applyStop(s: NonNullable<Run['pendingStop']>): void {
    if (this.status !== 'RUNNING') return;
    const th: Thread = {
      path: '',
      step: 0,
      state: '',
      attempt: 0,
      t: s.t,
      last: this.history.length,
      scope: { vars: {} },
      abort: this.top,
    };
    const details: Obj = {};
    if (s.error !== undefined) details.error = s.error;
    if (s.cause !== undefined) details.cause = s.cause;
    this.finish(s.status, th, details);
    this.top.abort(new AbortSignalError(s.status));
  }

  private finish(status: ExecutionStatus, th: Thread, d: Obj): void {
    if (this.status !== 'RUNNING') return;
    this.timeoutTimer?.cancel();
    this.status = status;
    this.stopMs = th.t;
    const type =
      status === 'SUCCEEDED'
        ? 'ExecutionSucceeded'
        : status === 'FAILED'
          ? 'ExecutionFailed'
          : status === 'TIMED_OUT'
            ? 'ExecutionTimedOut'
            : 'ExecutionAborted';
    if (status === 'SUCCEEDED') {
      this.output = d.output;
      this.emit(th, type, { output: d.output });
    } else {
      this.error = d.error;
      this.cause = d.cause;
      const det: Obj = {};
      if (d.error) det.error = d.error;
      if (d.cause) det.cause = d.cause;
      this.emit(th, type, det);
    }
    this.journal?.put('end', status);
    for (const w of this.waiters ?? []) w();
    this.waiters = undefined;
    this.host.onEnd(this);
  }

  // ---- effects (journaled when persisting) ----

  /**
   * Stable journal key of one effect: the thread, the state's step number and name, and what the
   * effect is (`entered`, `0.task`, `retry0.wait`...). Adding an effect elsewhere moves no other key.
   */
  private key(th: Thread, effect: string): string {
    return `${th.path}${th.step}.${th.state}:${effect}`;
  }

  /** Called when an effect has no record: replay is over for this thread. */
  private goingLive(th: Thread): void {
    if (this.pendingStop) {
      const s = this.pendingStop;
      this.pendingStop = undefined;
      this.applyStop(s);
    }
    if (th.abort.aborted) throw th.abort.aborted;
  }

  private now(th: Thread, effect: string): number {
    const k = this.journal ? this.key(th, effect) : '';
    if (this.journal?.has(k)) return (th.t = this.journal.get(k) as number);
    this.goingLive(th);
    const t = this.host.clock.now();
    this.journal?.put(k, t);
    return (th.t = t);
  }

  private effectSync<T>(th: Thread, effect: string, compute: () => T): T {
    const k = this.journal ? this.key(th, effect) : '';
    if (this.journal?.has(k)) return this.journal.get(k) as T;
    this.goingLive(th);
    const v = compute();
    this.journal?.put(k, v);
    return v;
  }

  /** Run an async side effect once; its outcome (value or States error) and end time are recorded. */
  private async effect(th: Thread, effect: string, compute: () => Promise<unknown>): Promise<unknown> {
    const k = this.journal ? this.key(th, effect) : '';
    let rec = this.journal?.get(k) as { ok?: unknown; err?: [string, string]; t: number } | undefined;
    if (!rec) {
      this.goingLive(th);
      try {
        rec = { ok: await compute(), t: 0 };
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        rec = { err: [e.error, e.cause], t: 0 };
      }
      rec.t = this.host.clock.now();
      if (th.abort.aborted) throw th.abort.aborted;
      this.journal?.put(k, rec);
    }
    th.t = rec.t;
    if (rec.err) throw new StatesError(rec.err[0], rec.err[1]);
    return rec.ok;
  }

  /** Wait (abortably) until `register`'s waiter is resolved; marks the thread blocked meanwhile. */
  private waitAbortable<T>(th: Thread, register: (w: Waiter<T>) => void): Promise<T> {
    if (th.abort.aborted) return Promise.reject(th.abort.aborted);
    return new Promise<T>((resolve, reject) => register(new Waiter<T>(this.host, th.abort, resolve, reject)));
  }

  /** Sleep until `due` on the engine clock (recorded, so a replay does not wait again). */
  async sleepUntil(th: Thread, effect: string, due: number): Promise<void> {
    const k = this.journal ? this.key(th, effect) : '';
    if (this.journal?.has(k)) {
      th.t = this.journal.get(k) as number;
      return;
    }
    this.goingLive(th);
    if (due > this.host.clock.now()) {
      await this.waitAbortable<void>(th, (w) => {
        w.cancelable = this.host.schedule(due, () => w.resolve());
      });
    }
    th.t = Math.max(due, this.host.clock.now());
    this.journal?.put(k, th.t);
  }

  // ---- history ----

  emit(th: Thread, type: string, d?: Obj): void {
    if (this.status !== 'RUNNING' && !type.startsWith('Execution')) return;
    this.history.push({ t: th.t, type, prev: th.last, d });
    th.last = this.history.length;
  }

  // ---- states ----

  private async runBlock(block: StatesBlock, input: unknown, th: Thread, ql: string): Promise<unknown> {
    let name = block.StartAt;
    let value = input;
    for (;;) {
      if (th.abort.aborted) throw th.abort.aborted;
      const st = block.States[name];
      if (!st) throw runtimeError(`State '${name}' is not defined`);
      const r = await this.runState(name, st, value, th, st.QueryLanguage ?? ql, ql);
      if (r.next === undefined) return r.output;
      value = r.output;
      name = r.next;
    }
  }

  context(th: Thread, name: string, entered: number, retryCount: number, token?: string): Obj {
    const c: Obj = {
      Execution: this.execContext,
      State: { EnteredTime: this.host.isoTimes.format(entered), Name: name, RetryCount: retryCount },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
    };
    if (token !== undefined) c.Task = { Token: token };
    if (th.mapItem) c.Map = { Item: th.mapItem };
    return c;
  }

  /** The engine's random sources (callable unbound, see RunHost). */
  get hostRandom(): () => number {
    return this.host.random;
  }
  get hostUuid(): () => string {
    return this.host.uuid;
  }

  jenv(th: Thread, states: Obj): JsonataEnv {
    return { states, vars: visibleVars(th.scope), nowMs: th.t, random: this.host.random, uuid: this.host.uuid };
  }

  private async runState(name: string, st: Obj, input: unknown, th: Thread, ql: string, childQl: string): Promise<StepResult> {
    th.step++;
    th.state = name;
    th.attempt = 0;
    const entered = this.now(th, 'entered');
    const type = st.Type as string;
    this.emit(th, eventType(type, 'StateEntered'), { name, input });
    const step: Step = { name, state: st, input, thread: th, ql: ql === 'JSONata' ? JSONATA_IO : JSONPATH_IO, entered, childQl };
    let out: StepResult;
    switch (type) {
      case 'Pass':
        out = await passState(this, step);
        break;
      case 'Choice':
        out = await choiceState(this, step);
        break;
      case 'Wait':
        out = await waitState(this, step);
        break;
      case 'Succeed':
        out = await succeedState(this, step);
        break;
      case 'Fail':
        await failState(this, step);
        throw new Error('unreachable');
      case 'Task':
      case 'Parallel':
      case 'Map':
        out = await this.withCatch(step);
        break;
      default:
        throw runtimeError(`Unsupported state type ${type} in state '${name}'`);
    }
    if (this.status === 'RUNNING') {
      const d: Obj = { name, output: out.output };
      if (out.assigned) {
        const a = out.assigned;
        d.assignedVariables = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, JSON.stringify(v)]));
        d.assignedVariablesDetails = { truncated: false };
      }
      this.emit(th, eventType(type, 'StateExited'), d);
    }
    if (type === 'Succeed' || (st.End === true && !out.caught)) return { output: out.output };
    if (out.next === undefined) throw runtimeError(`State '${name}' has neither Next nor End`);
    return out;
  }

  /** The query-language pipeline and data view of a state, with `context` as its context object. */
  io(step: Step, context: Obj): IoCall {
    return new StateView(this, step.thread, step.state, step.input, context);
  }

  /** Apply what a state assigned to its thread's variables (after all its expressions were evaluated). */
  applyAssigned(th: Thread, r: IoResult, next: string | undefined, caught?: boolean): StepResult {
    if (r.assigned) Object.assign(th.scope.vars, r.assigned);
    return { output: r.output, next, assigned: r.assigned, caught };
  }

  // ---- Task / Parallel / Map with Retry and Catch ----

  /** Task/Parallel/Map: attempts with Retry on the engine clock, then Catch (one async frame for both). */
  private async withCatch(step: Step): Promise<StepResult> {
    const { name, state: st, thread: th, entered } = step;
    const retriers = (st.Retry ?? []) as Obj[];
    const counts = retriers.map(() => 0);
    let retryCount = 0;
    for (;;) {
      let err: StatesError;
      try {
        th.attempt = retryCount;
        const ctx = this.context(th, name, entered, retryCount);
        const type = st.Type;
        return type === 'Task'
          ? await this.task(step, ctx)
          : type === 'Parallel'
            ? await this.parallel(step, ctx)
            : await this.map(step, ctx);
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        err = e;
      }
      const idx = retriers.findIndex((r) => errorMatches(r.ErrorEquals ?? [], err.error));
      if (idx >= 0 && counts[idx] < (retriers[idx].MaxAttempts ?? RETRY_DEFAULTS.maxAttempts)) {
        const r = retriers[idx];
        let delay = (r.IntervalSeconds ?? RETRY_DEFAULTS.intervalSeconds) * (r.BackoffRate ?? RETRY_DEFAULTS.backoffRate) ** counts[idx];
        if (r.MaxDelaySeconds !== undefined) delay = Math.min(delay, r.MaxDelaySeconds);
        if (r.JitterStrategy === 'FULL') delay *= this.effectSync(th, `retry${retryCount}.jitter`, () => this.host.random());
        counts[idx]++;
        retryCount++;
        await this.sleepUntil(th, `retry${retryCount - 1}.wait`, th.t + Math.round(delay * 1000));
        continue;
      }
      const c = ((st.Catch ?? []) as Obj[]).find((x) => errorMatches(x.ErrorEquals ?? [], err.error));
      if (!c) throw err;
      const call = this.io(step, this.context(th, name, entered, 0));
      const r = await step.ql.caught(call, c, { Error: err.error, Cause: err.cause });
      return this.applyAssigned(th, r, c.Next, true);
    }
  }

  /** Post-processing shared by Task/Parallel/Map: ResultSelector, ResultPath, OutputPath / Output, Assign. */
  private async finishResult(step: Step, result: unknown, ctx: Obj): Promise<StepResult> {
    const call = this.io(step, ctx);
    // With a result, the output pipeline starts from the raw input (ResultPath) or the result itself.
    const r = await step.ql.output(call, step.input, { value: result });
    return this.applyAssigned(step.thread, r, step.state.Next);
  }

  /** A non-negative number field (TimeoutSeconds, MaxConcurrency...), or undefined when absent. */
  private async numberField(step: Step, call: IoCall, eff: unknown, field: string): Promise<number | undefined> {
    const v = await step.ql.field(call, eff, field);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw runtimeError(`${field} must be a non-negative number, got ${JSON.stringify(v)}`);
    return v;
  }

  private async task(step: Step, ctx0: Obj): Promise<StepResult> {
    const { state: st, thread: th, ql } = step;
    const resource = st.Resource as string;
    const parsed = parseResource(resource);
    const token =
      parsed.pattern === 'waitForTaskToken' ? this.effectSync(th, `${th.attempt}.token`, () => this.host.newToken()) : undefined;
    const ctx = token ? withTask(ctx0, token) : ctx0;
    const call = this.io(step, ctx);
    const eff = ql.effectiveInput(call);
    const params = await ql.arguments(call, eff, undefined);
    const timeoutS = (await this.numberField(step, call, eff, 'TimeoutSeconds')) ?? DEFAULT_TASK_TIMEOUT_S;
    const heartbeatS = await this.numberField(step, call, eff, 'HeartbeatSeconds');
    const isFn = parsed.kind === 'lambda-function';
    const rt = { resourceType: parsed.resourceType, resource: parsed.resourceName };
    if (isFn) {
      const d: Obj = { resource, input: params };
      if (st.TimeoutSeconds !== undefined || st.TimeoutSecondsPath !== undefined) d.timeoutInSeconds = timeoutS;
      this.emit(th, 'LambdaFunctionScheduled', d);
      this.emit(th, 'LambdaFunctionStarted');
    } else {
      // Literal objects, not spreads: spread copies get a hidden class each, which parked executions pay for.
      const d: Obj = {
        resourceType: rt.resourceType,
        resource: rt.resource,
        region: this.host.region,
        parameters: params ?? {},
        timeoutInSeconds: st.TimeoutSeconds !== undefined || st.TimeoutSecondsPath !== undefined ? timeoutS : undefined,
        heartbeatInSeconds: heartbeatS,
      };
      this.emit(th, 'TaskScheduled', d);
      this.emit(th, 'TaskStarted', rt);
    }
    const start = th.t;
    let result: unknown;
    try {
      if (parsed.kind === 'unsupported' || parsed.pattern === 'sync') {
        throw runtimeError(
          parsed.pattern === 'sync'
            ? `The .sync integration pattern is not supported by the local engine (resource ${resource})`
            : `Unsupported Task resource: ${resource} (supported: Lambda function ARNs, arn:aws:states:::lambda:invoke, dynamodb:getItem|putItem|updateItem|deleteItem, events:putEvents, sqs:sendMessage, states:startExecution, aws-sdk:dynamodb|sesv2|ses|sqs|eventbridge|sfn)`,
        );
      }
      if (token) {
        // The wait happens in this frame (not a helper's): one async frame less per parked execution.
        const entry = await this.submitForToken(th, { parsed, resource, params, token, start, timeoutS, heartbeatS, rt });
        let outcome: Outcome;
        if (entry instanceof TokenWait) {
          try {
            outcome = await this.waitAbortable<Outcome>(th, (w) => {
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
        result = await this.effect(th, `${th.attempt}.task`, () =>
          this.withTimeout(this.host.tasks.invoke(parsed, resource, params), start + timeoutS * 1000),
        );
      }
    } catch (e) {
      if (e instanceof StatesError) {
        const timedOut = e.error === StatesErrors.Timeout || e.error === StatesErrors.HeartbeatTimeout;
        if (isFn) this.emit(th, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', { error: e.error, cause: e.cause });
        else
          this.emit(th, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
            resourceType: rt.resourceType,
            resource: rt.resource,
            error: e.error,
            cause: e.cause,
          });
      }
      throw e;
    }
    if (isFn) this.emit(th, 'LambdaFunctionSucceeded', { output: result });
    else this.emit(th, 'TaskSucceeded', { resourceType: rt.resourceType, resource: rt.resource, output: result });
    return this.finishResult(step, result, ctx);
  }

  /** Race an in-flight call against the task timeout on the engine clock. */
  private withTimeout<T>(p: Promise<T>, due: number): Promise<T> {
    if (due - this.host.clock.now() > DEFAULT_TASK_TIMEOUT_S * 1000 - 1) return p;
    return new Promise<T>((resolve, reject) => {
      const h = this.host.schedule(due, () => reject(new StatesError(StatesErrors.Timeout, 'Task timed out')));
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
  private async submitForToken(th: Thread, call: TokenCall): Promise<TokenWait | Outcome> {
    const { parsed, resource, params, token, start, timeoutS, heartbeatS, rt } = call;
    const recorded = this.journal?.get(`tok:${token}`) as Outcome | undefined;
    const entry = recorded ? undefined : new TokenWait(this, this.host, this.journal, token, start, timeoutS, heartbeatS);
    try {
      const submitted = await this.effect(th, `${th.attempt}.submit`, () => this.host.tasks.invoke(parsed, resource, params));
      this.emit(th, 'TaskSubmitted', {
        resourceType: rt.resourceType,
        resource: rt.resource,
        output: new JsonText(JSON.stringify(submitted ?? null)),
      });
    } catch (e) {
      entry?.close();
      throw e;
    }
    return entry ?? recorded!;
  }

  // ---- Parallel and Map ----

  private childThread(th: Thread, path: string, group: AbortScope, mapItem?: Thread['mapItem']): Thread {
    return {
      path,
      step: 0,
      state: '',
      attempt: 0,
      t: th.t,
      last: th.last,
      scope: { outer: visibleVars(th.scope), vars: {} },
      abort: group.child(),
      mapItem,
    };
  }

  private async parallel(step: Step, ctx: Obj): Promise<StepResult> {
    const { state: st, input, thread: th, ql, childQl } = step;
    const call = this.io(step, ctx);
    const branchInput = await ql.arguments(call, ql.effectiveInput(call), input);
    const branches = (st.Branches ?? []) as StatesBlock[];
    this.emit(th, 'ParallelStateStarted');
    const base = `${this.key(th, String(th.attempt))}.branch`;
    const group = th.abort.child();
    let results: unknown[];
    try {
      results = await this.runChildren(th, group, {
        count: branches.length,
        limit: 0,
        makeThread: (i) => this.childThread(th, `${base}${i}/`, group),
        body: (i, cth) => this.runBlock(branches[i], branchInput, cth, branches[i].QueryLanguage ?? childQl),
      });
    } catch (e) {
      group.detachFromParent();
      if (e instanceof StatesError) this.emit(th, 'ParallelStateFailed', { error: e.error, cause: e.cause });
      throw e;
    }
    group.detachFromParent();
    this.now(th, `${th.attempt}.end`);
    this.emit(th, 'ParallelStateSucceeded');
    return this.finishResult(step, results, ctx);
  }

  /** Run the child threads of `spec`, each counted as its own unit of work. */
  private runChildren(th: Thread, group: AbortScope, spec: ChildRun): Promise<unknown[]> {
    const { count: n, limit } = spec;
    const results = new Array<unknown>(n);
    if (n === 0) return Promise.resolve(results);
    const host = this.host;
    return this.host.block(
      new Promise<unknown[]>((resolve, reject) => {
        let next = 0;
        let running = 0;
        let finished = 0;
        let failed = false;
        const launch = () => {
          while (!failed && next < n && (limit <= 0 || running < limit)) {
            const i = next++;
            running++;
            const cth = spec.makeThread(i);
            spec.onStart?.(i, cth);
            host.workStarted();
            spec
              .body(i, cth)
              .then(
                (v) => {
                  results[i] = v;
                  spec.onSuccess?.(i, cth);
                },
                (e) => {
                  if (failed) return;
                  if (e instanceof StatesError && spec.onFailure) {
                    const r = spec.onFailure(i, e, cth);
                    if (r.tolerated) {
                      results[i] = r.value;
                      return;
                    }
                    e = r.error ?? e;
                  }
                  failed = true;
                  group.abort(new AbortSignalError('sibling failed'));
                  reject(e);
                },
              )
              .finally(() => {
                cth.abort.detachFromParent();
                host.workEnded();
                running--;
                finished++;
                if (failed) return;
                th.last = Math.max(th.last, cth.last);
                if (finished === n) resolve(results);
                else launch();
              });
          }
        };
        launch();
      }),
    );
  }

  private async map(step: Step, ctx: Obj): Promise<StepResult> {
    const { name, state: st, thread: th, ql, childQl } = step;
    const call = this.io(step, ctx);
    const eff = ql.effectiveInput(call);
    const items = await ql.items(call, eff);
    if (!Array.isArray(items))
      throw ql.itemsError(`Items of the Map state must be an array, got ${items === null ? 'null' : typeof items}`);
    const arr = items;
    const limit = (await this.numberField(step, call, eff, 'MaxConcurrency')) ?? 0;
    const tolCount = await this.numberField(step, call, eff, 'ToleratedFailureCount');
    const tolPct = await this.numberField(step, call, eff, 'ToleratedFailurePercentage');
    const processor = (st.ItemProcessor ?? st.Iterator) as StatesBlock;
    const selector = st.ItemSelector ?? st.Parameters;
    this.emit(th, 'MapStateStarted', { length: arr.length });
    const base = `${this.key(th, String(th.attempt))}.item`;
    const group = th.abort.child();
    let failures = 0;
    const itemName = name;
    let results: unknown[];
    try {
      results = await this.runChildren(th, group, {
        count: arr.length,
        limit: Math.floor(limit),
        makeThread: (i) => this.childThread(th, `${base}${i}/`, group, { Index: i, Value: arr[i] }),
        body: async (i, cth) => {
          let itemInput: unknown = arr[i];
          if (selector !== undefined) {
            const ictx = {
              Execution: ctx.Execution,
              State: ctx.State,
              StateMachine: ctx.StateMachine,
              Map: { Item: { Index: i, Value: arr[i] } },
            };
            itemInput = await ql.itemInput(call, eff, selector, ictx, arr[i]);
          }
          return this.runBlock(processor, itemInput, cth, processor.QueryLanguage ?? childQl);
        },
        onFailure: (i, e, cth) => {
          failures++;
          this.emit(cth, 'MapIterationFailed', { name: itemName, index: i });
          if (tolCount === undefined && tolPct === undefined) return { tolerated: false };
          const overCount = tolCount !== undefined && failures > tolCount;
          const overPct = tolPct !== undefined && (failures / arr.length) * 100 > tolPct;
          const within = tolCount !== undefined && tolPct !== undefined ? !(overCount && overPct) : !(overCount || overPct);
          if (within) return { tolerated: true, value: { Error: e.error, Cause: e.cause } };
          return {
            tolerated: false,
            error: new StatesError(
              StatesErrors.ExceedToleratedFailureThreshold,
              `The number of failed items (${failures}) exceeds the tolerated failure threshold`,
            ),
          };
        },
        onStart: (i, cth) => this.emit(cth, 'MapIterationStarted', { name: itemName, index: i }),
        onSuccess: (i, cth) => this.emit(cth, 'MapIterationSucceeded', { name: itemName, index: i }),
      });
    } catch (e) {
      group.detachFromParent();
      if (e instanceof StatesError) this.emit(th, 'MapStateFailed');
      throw e;
    }
    group.detachFromParent();
    this.now(th, `${th.attempt}.end`);
    this.emit(th, 'MapStateSucceeded');
    return this.finishResult(step, results, ctx);
  }
}

/** A state's data view for its query-language pipeline; the JSONPath options are built once, on first use. */
class StateView implements IoCall {
  private options?: TemplateOptions;
  constructor(
    private readonly run: Run,
    private readonly thread: Thread,
    readonly state: Obj,
    readonly input: unknown,
    readonly context: Obj,
  ) {}
  pathOptions(): TemplateOptions {
    this.options ??= { context: this.context, vars: visibleVars(this.thread.scope), random: this.run.hostRandom, uuid: this.run.hostUuid };
    return this.options;
  }
  env(states: Obj): JsonataEnv {
    return this.run.jenv(this.thread, states);
  }
}

type Outcome = TokenOutcome & { t: number };

/** A live task token: timers for TimeoutSeconds/HeartbeatSeconds, and its outcome, journaled. */
class TokenWait implements TokenEntry {
  private done?: Outcome;
  private waiter?: Waiter<Outcome>;
  private timeoutTimer?: TimerHandle;
  private hbTimer?: TimerHandle;

  constructor(
    readonly run: Run,
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
