/**
 * Runs one execution of an ASL definition. Each execution is a tree of threads (the top level, a
 * Parallel branch, a Map iteration); a thread is an async loop over states, each run by the handler
 * of its type (flow-states.ts, task-state.ts, parallel-state.ts, map-state.ts) through the runtime
 * this class provides. Everything non-deterministic (clock reads, task results, timer firings,
 * tokens, random numbers) goes through `effect`, so an execution with a journal can be replayed
 * after a restart without repeating side effects, and continues live from where it stopped.
 */

import { AbortScope, AbortSignalError, Waiter } from './abort';
import type { MapState, ParallelState, State, StateMachineDefinition, StatesBlock, TaskState } from './asl';
import type { TimerHandle } from './clock';
import { StatesError, StatesErrors } from './errors';
import { choiceState, failState, passState, succeedState, waitState } from './flow-states';
import { type HistoryEvent, stateEventType } from './history';
import type { JsonataEnv } from './jsonata-eval';
import { mapState } from './map-state';
import { parallelState } from './parallel-state';
import type { TemplateOptions } from './payload-template';
import { type IoCall, type IoResult, JSONATA_IO, JSONPATH_IO } from './query-io';
import { withRetryAndCatch } from './retry';
import { type Journal, type RunHost, runtimeError, type Step, type StepResult, type StepRuntime, type Thread, visibleVars } from './step';
import { taskState } from './task-state';

type Obj = Record<string, any>;

/** A state machine definition as the engine runs it. */
export type MachineDefinition = StateMachineDefinition;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

type Handler = (rt: StepRuntime, step: Step) => Promise<StepResult>;

/** The handler of each state type. Task, Parallel and Map run inside Retry and Catch. */
const HANDLERS: { readonly [T in State['Type']]: (rt: StepRuntime, step: Step<Extract<State, { Type: T }>>) => Promise<StepResult> } = {
  Pass: passState,
  Choice: choiceState,
  Wait: waitState,
  Succeed: succeedState,
  Fail: failState,
  Task: (rt, step) => withRetryAndCatch<TaskState>(rt, step, taskState),
  Parallel: (rt, step) => withRetryAndCatch<ParallelState>(rt, step, parallelState),
  Map: (rt, step) => withRetryAndCatch<MapState>(rt, step, mapState),
};

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
  readonly journal?: Journal;
  private waiters?: Array<() => void>;
  private timeoutTimer?: TimerHandle;
  /** Set when a replayed execution had been stopped: it stops again once replay reaches the live frontier. */
  private pendingStop?: { status: 'ABORTED' | 'TIMED_OUT'; error?: string; cause?: string; t: number };
  private readonly execContext: Obj;

  constructor(
    readonly host: RunHost,
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
  key(th: Thread, effect: string): string {
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

  now(th: Thread, effect: string): number {
    const k = this.journal ? this.key(th, effect) : '';
    if (this.journal?.has(k)) return (th.t = this.journal.get(k) as number);
    this.goingLive(th);
    const t = this.host.clock.now();
    this.journal?.put(k, t);
    return (th.t = t);
  }

  effectSync<T>(th: Thread, effect: string, compute: () => T): T {
    const k = this.journal ? this.key(th, effect) : '';
    if (this.journal?.has(k)) return this.journal.get(k) as T;
    this.goingLive(th);
    const v = compute();
    this.journal?.put(k, v);
    return v;
  }

  /** Run an async side effect once; its outcome (value or States error) and end time are recorded. */
  async effect(th: Thread, effect: string, compute: () => Promise<unknown>): Promise<unknown> {
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
  waitAbortable<T>(th: Thread, register: (w: Waiter<T>) => void): Promise<T> {
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

  async runBlock(block: StatesBlock, input: unknown, th: Thread, ql: string): Promise<unknown> {
    let name = block.StartAt;
    let value = input;
    for (;;) {
      if (th.abort.aborted) throw th.abort.aborted;
      const st = block.States[name];
      if (!st) throw runtimeError(`State '${name}' is not defined`);
      const r = await this.runState(th, name, st, value, ql);
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

  /** Run state `name` of a block whose query language is `blockQl` (the state's own unless it sets one). */
  private async runState(th: Thread, name: string, st: State, input: unknown, blockQl: string): Promise<StepResult> {
    th.step++;
    th.state = name;
    th.attempt = 0;
    const entered = this.now(th, 'entered');
    this.emit(th, stateEventType(st.Type, 'StateEntered'), { name, input });
    const handler = HANDLERS[st.Type] as Handler | undefined;
    if (!handler) throw runtimeError(`Unsupported state type ${st.Type} in state '${name}'`);
    const ql = st.QueryLanguage ?? blockQl;
    const step: Step = { name, state: st, input, thread: th, ql: ql === 'JSONata' ? JSONATA_IO : JSONPATH_IO, entered, childQl: blockQl };
    const out = await handler(this, step);
    if (this.status === 'RUNNING') this.emitExited(th, st.Type, name, out);
    if (st.Type === 'Succeed' || ('End' in st && st.End === true && !out.caught)) return { output: out.output };
    if (out.next === undefined) throw runtimeError(`State '${name}' has neither Next nor End`);
    return out;
  }

  private emitExited(th: Thread, type: string, name: string, out: StepResult): void {
    const d: Obj = { name, output: out.output };
    if (out.assigned) {
      d.assignedVariables = Object.fromEntries(Object.entries(out.assigned).map(([k, v]) => [k, JSON.stringify(v)]));
      d.assignedVariablesDetails = { truncated: false };
    }
    this.emit(th, stateEventType(type, 'StateExited'), d);
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
}

/** A state's data view for its query-language pipeline; the JSONPath options are built once, on first use. */
class StateView implements IoCall {
  private options?: TemplateOptions;
  constructor(
    private readonly run: Run,
    private readonly thread: Thread,
    readonly state: State,
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
