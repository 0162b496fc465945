/**
 * Retry and Catch of Task, Parallel and Map states: which retrier or catcher an error matches, how
 * long to wait before the next attempt (on the engine clock, journaled), and what a catcher hands on.
 */
import type { Catcher, MapState, ParallelState, Retrier, TaskState } from './asl';
import { StatesError, StatesErrors } from './errors';
import type { Step, StepResult, StepRuntime } from './step';

type Obj = Record<string, any>;

/** Retrier defaults of the Amazon States Language. */
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_INTERVAL_SECONDS = 1;
export const DEFAULT_BACKOFF_RATE = 2.0;
export const RETRY_DEFAULTS = Object.freeze({
  maxAttempts: DEFAULT_MAX_ATTEMPTS,
  intervalSeconds: DEFAULT_INTERVAL_SECONDS,
  backoffRate: DEFAULT_BACKOFF_RATE,
});

/** Retry/Catch matching per the spec: States.ALL matches all but States.Runtime/DataLimitExceeded. */
export function errorMatches(errorEquals: string[], error: string): boolean {
  for (const e of errorEquals) {
    if (e === error) return true;
    if (e === StatesErrors.ALL && error !== StatesErrors.Runtime && error !== StatesErrors.DataLimitExceeded) return true;
    if (e === StatesErrors.TaskFailed && isTaskFailure(error)) return true;
    if (e === StatesErrors.Timeout && error === StatesErrors.HeartbeatTimeout) return true;
  }
  return false;
}

/** States.TaskFailed matches every error a task itself raised: not timeouts, not the engine's own States.* errors. */
function isTaskFailure(error: string): boolean {
  return (
    error !== StatesErrors.Timeout &&
    error !== StatesErrors.HeartbeatTimeout &&
    error !== StatesErrors.Runtime &&
    error !== StatesErrors.DataLimitExceeded &&
    !error.startsWith('States.')
  );
}

/** Seconds before retry number `count` (0-based) of `r`, before jitter. */
export function retryDelaySeconds(r: Retrier, count: number): number {
  const delay = (r.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * (r.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** count;
  return r.MaxDelaySeconds === undefined ? delay : Math.min(delay, r.MaxDelaySeconds);
}

type RetryableState = TaskState | ParallelState | MapState;
/** One attempt of a Task, Parallel or Map state, with `ctx` as its context object. */
export type Attempt<S extends RetryableState> = (rt: StepRuntime, step: Step<S>, ctx: Obj) => Promise<StepResult>;

/** Attempts with Retry on the engine clock, then Catch (one async frame for both). */
export async function withRetryAndCatch<S extends RetryableState>(
  rt: StepRuntime,
  step: Step<S>,
  attempt: Attempt<S>,
): Promise<StepResult> {
  const { name, state: st, thread: th, entered } = step;
  const retriers = st.Retry ?? [];
  const counts = retriers.map(() => 0);
  let retryCount = 0;
  for (;;) {
    let err: StatesError;
    try {
      th.attempt = retryCount;
      return await attempt(rt, step, rt.context(th, name, entered, retryCount));
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      err = e;
    }
    const idx = retriers.findIndex((r) => errorMatches(r.ErrorEquals ?? [], err.error));
    if (idx >= 0 && counts[idx] < (retriers[idx].MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
      const r = retriers[idx];
      let delay = retryDelaySeconds(r, counts[idx]);
      if (r.JitterStrategy === 'FULL') delay *= rt.effectSync(th, `retry${retryCount}.jitter`, () => rt.host.random());
      counts[idx]++;
      retryCount++;
      await rt.sleepUntil(th, `retry${retryCount - 1}.wait`, th.t + Math.round(delay * 1000));
      continue;
    }
    return caught(rt, step, err);
  }
}

/** The first catcher matching `err` handles it; with none, the state fails with `err`. */
async function caught(rt: StepRuntime, step: Step<RetryableState>, err: StatesError): Promise<StepResult> {
  const c: Catcher | undefined = (step.state.Catch ?? []).find((x) => errorMatches(x.ErrorEquals ?? [], err.error));
  if (!c) throw err;
  const call = rt.io(step, rt.context(step.thread, step.name, step.entered, 0));
  const r = await step.ql.caught(call, c, { Error: err.error, Cause: err.cause });
  return rt.applyAssigned(step.thread, r, c.Next, true);
}
