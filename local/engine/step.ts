/**
 * What a state handler works with: the step (one state being run, in one object), the thread it
 * runs on, and the runtime of the execution (journaled effects, history, waits). The handlers of
 * each state type (flow-states.ts, task-state.ts, parallel-state.ts, map-state.ts) see only this.
 */
import type { AbortScope, Waiter, WorkCounter } from './abort';
import type { State, StatesBlock } from './asl';
import type { Clock, TimerHandle } from './clock';
import { StatesError, StatesErrors } from './errors';
import type { IoCall, IoResult, QueryIo } from './query-io';
import type { TaskInvoker } from './tasks';

type Obj = Record<string, any>;

/** Journal of recorded effects for one execution (absent when the engine does not persist). */
export interface Journal {
  get(key: string): unknown;
  has(key: string): boolean;
  put(key: string, value: unknown): void;
}

/** Outcome of a task token: output, or an error. */
export type TokenOutcome = { ok: unknown } | { err: [string, string]; kind?: 'timeout' | 'heartbeat' | 'failure' };

/** A task token an execution waits on, as the engine's SendTask* operations reach it. */
export interface TokenEntry {
  settle(o: TokenOutcome): boolean;
  heartbeat(): void;
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

/** What an execution needs from its engine. */
export interface RunHost extends WorkCounter {
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
  schedule(due: number, fn: () => void): TimerHandle;
  tokens: Map<string, TokenEntry>;
  isoTimes: IsoTimes;
  closedTokens: Map<string, 'timeout' | 'closed'>;
  onEnd(run: unknown): void;
}

export interface Scope {
  outer?: Record<string, unknown>;
  vars: Record<string, unknown>;
}

/** The variables a thread sees: its own over those of the scopes around it. */
export function visibleVars(s: Scope): Record<string, unknown> {
  if (!s.outer) return s.vars;
  return { ...s.outer, ...s.vars };
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
export interface Step<S extends State = State> {
  name: string;
  state: S;
  input: unknown;
  thread: Thread;
  /** The input/output pipeline of the state's query language. */
  ql: QueryIo;
  /** Engine time the state was entered. */
  entered: number;
  /** Query language the branches of a Parallel and the processor of a Map inherit. */
  childQl: string;
}

/** What state handlers need from the execution running them. */
export interface StepRuntime {
  readonly host: RunHost;
  readonly journal?: Journal;
  /** The data view of a state with `context` as its context object. */
  io(step: Step, context: Obj): IoCall;
  context(th: Thread, name: string, entered: number, retryCount: number): Obj;
  /** Apply the variables a state assigned, and say where the thread goes next. */
  applyAssigned(th: Thread, r: IoResult, next: string | undefined, caught?: boolean): StepResult;
  /** Append a history event for the thread. */
  emit(th: Thread, type: string, d?: Obj): void;
  /** Stable journal key of an effect of the thread's current state. */
  key(th: Thread, effect: string): string;
  /** The engine time, recorded as `effect`. */
  now(th: Thread, effect: string): number;
  /** A synchronous non-deterministic value (a token, jitter), recorded as `effect`. */
  effectSync<T>(th: Thread, effect: string, compute: () => T): T;
  /** An async side effect run once; its value or States error is recorded as `effect`. */
  effect(th: Thread, effect: string, compute: () => Promise<unknown>): Promise<unknown>;
  /** Sleep until `due` on the engine clock, recorded as `effect` so a replay does not wait again. */
  sleepUntil(th: Thread, effect: string, due: number): Promise<void>;
  /** Wait (abortably) until `register`'s waiter is resolved; the thread counts as blocked meanwhile. */
  waitAbortable<T>(th: Thread, register: (w: Waiter<T>) => void): Promise<T>;
  /** Run a block of states (a Parallel branch, a Map iteration) on `th` and return its output. */
  runBlock(block: StatesBlock, input: unknown, th: Thread, ql: string): Promise<unknown>;
}

export function runtimeError(msg: string): StatesError {
  return new StatesError(StatesErrors.Runtime, msg);
}

/** Post-processing shared by Task/Parallel/Map: ResultSelector, ResultPath, OutputPath / Output, Assign. */
export async function finishResult(rt: StepRuntime, step: Step, result: unknown, ctx: Obj): Promise<StepResult> {
  const call = rt.io(step, ctx);
  // With a result, the output pipeline starts from the raw input (ResultPath) or the result itself.
  const r = await step.ql.output(call, step.input, { value: result });
  return rt.applyAssigned(step.thread, r, (step.state as { Next?: string }).Next);
}

/** A non-negative number field (TimeoutSeconds, MaxConcurrency...), or undefined when absent. */
export async function numberField(step: Step, call: IoCall, eff: unknown, field: string): Promise<number | undefined> {
  const v = await step.ql.field(call, eff, field);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw runtimeError(`${field} must be a non-negative number, got ${JSON.stringify(v)}`);
  return v;
}
