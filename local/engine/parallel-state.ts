/** The Parallel state: every branch on the same input, in its own thread; the output is the branches' outputs in order. */
import type { ParallelState } from './asl';
import { childThread, runChildren } from './children';
import { StatesError } from './errors';
import { finishResult, type Step, type StepResult, type StepRuntime } from './step';

type Obj = Record<string, any>;

/** One attempt of a Parallel state. */
export async function parallelState(rt: StepRuntime, step: Step<ParallelState>, ctx: Obj): Promise<StepResult> {
  const { state: st, input, thread: th, ql, childQl } = step;
  const call = rt.io(step, ctx);
  const branchInput = await ql.arguments(call, ql.effectiveInput(call), input);
  const branches = st.Branches ?? [];
  rt.emit(th, 'ParallelStateStarted');
  const base = `${rt.key(th, String(th.attempt))}.branch`;
  const group = th.abort.child();
  let results: unknown[];
  try {
    results = await runChildren(rt, th, group, {
      count: branches.length,
      limit: 0,
      makeThread: (i) => childThread(th, `${base}${i}/`, group),
      body: (i, cth) => rt.runBlock(branches[i], branchInput, cth, branches[i].QueryLanguage ?? childQl),
    });
  } catch (e) {
    group.detachFromParent();
    if (e instanceof StatesError) rt.emit(th, 'ParallelStateFailed', { error: e.error, cause: e.cause });
    throw e;
  }
  group.detachFromParent();
  rt.now(th, `${th.attempt}.end`);
  rt.emit(th, 'ParallelStateSucceeded');
  return finishResult(rt, step, results, ctx);
}
