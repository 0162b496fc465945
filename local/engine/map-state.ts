/**
 * The inline Map state: the item processor on every item (through ItemSelector), at most
 * MaxConcurrency at once, with ToleratedFailureCount/Percentage deciding whether failed items fail
 * the state. The output is the items' outputs in order (a tolerated failure leaves its Error/Cause).
 */
import type { MapState, StatesBlock } from './asl';
import { type ChildRun, childThread, runChildren } from './children';
import { StatesError, StatesErrors } from './errors';
import type { IoCall } from './query-io';
import { finishResult, numberField, type Step, type StepResult, type StepRuntime, type Thread } from './step';

type Obj = Record<string, any>;

/** How many failed items a Map tolerates; with neither bound set, none. */
interface Tolerance {
  count?: number;
  percentage?: number;
}

/** One attempt of a Map state. */
export async function mapState(rt: StepRuntime, step: Step<MapState>, ctx: Obj): Promise<StepResult> {
  const { thread: th, ql } = step;
  const call = rt.io(step, ctx);
  const eff = ql.effectiveInput(call);
  const items = await ql.items(call, eff);
  if (!Array.isArray(items)) throw ql.itemsError(`Items of the Map state must be an array, got ${items === null ? 'null' : typeof items}`);
  const limit = (await numberField(step, call, eff, 'MaxConcurrency')) ?? 0;
  const tolerance: Tolerance = {
    count: await numberField(step, call, eff, 'ToleratedFailureCount'),
    percentage: await numberField(step, call, eff, 'ToleratedFailurePercentage'),
  };
  rt.emit(th, 'MapStateStarted', { length: items.length });
  const base = `${rt.key(th, String(th.attempt))}.item`;
  const group = th.abort.child();
  let results: unknown[];
  try {
    results = await runChildren(rt, th, group, {
      ...iterations(rt, step, { call, eff, ctx, items, tolerance }),
      limit: Math.floor(limit),
      makeThread: (i) => childThread(th, `${base}${i}/`, group, { Index: i, Value: items[i] }),
    });
  } catch (e) {
    group.detachFromParent();
    if (e instanceof StatesError) rt.emit(th, 'MapStateFailed');
    throw e;
  }
  group.detachFromParent();
  rt.now(th, `${th.attempt}.end`);
  rt.emit(th, 'MapStateSucceeded');
  return finishResult(rt, step, results, ctx);
}

interface MapRun {
  call: IoCall;
  eff: unknown;
  ctx: Obj;
  items: unknown[];
  tolerance: Tolerance;
}

/** Each item's body (ItemSelector, then the processor) and its iteration events and failure tolerance. */
function iterations(rt: StepRuntime, step: Step<MapState>, m: MapRun): Omit<ChildRun, 'limit' | 'makeThread'> {
  const { name, state: st, ql, childQl } = step;
  const processor = (st.ItemProcessor ?? st.Iterator) as StatesBlock;
  const selector = st.ItemSelector ?? st.Parameters;
  let failures = 0;
  return {
    count: m.items.length,
    body: async (i: number, cth: Thread) => {
      let itemInput: unknown = m.items[i];
      if (selector !== undefined) {
        const itemContext = {
          Execution: m.ctx.Execution,
          State: m.ctx.State,
          StateMachine: m.ctx.StateMachine,
          Map: { Item: { Index: i, Value: m.items[i] } },
        };
        itemInput = await ql.itemInput(m.call, m.eff, selector, itemContext, m.items[i]);
      }
      return rt.runBlock(processor, itemInput, cth, processor.QueryLanguage ?? childQl);
    },
    onFailure: (i, e, cth) => {
      failures++;
      rt.emit(cth, 'MapIterationFailed', { name, index: i });
      if (withinTolerance(m.tolerance, failures, m.items.length)) return { tolerated: true, value: { Error: e.error, Cause: e.cause } };
      if (m.tolerance.count === undefined && m.tolerance.percentage === undefined) return { tolerated: false };
      const error = new StatesError(
        StatesErrors.ExceedToleratedFailureThreshold,
        `The number of failed items (${failures}) exceeds the tolerated failure threshold`,
      );
      return { tolerated: false, error };
    },
    onStart: (i, cth) => rt.emit(cth, 'MapIterationStarted', { name, index: i }),
    onSuccess: (i, cth) => rt.emit(cth, 'MapIterationSucceeded', { name, index: i }),
  };
}

/** With both bounds set, the Map fails only when both are exceeded; with one, when it is. */
function withinTolerance(t: Tolerance, failures: number, total: number): boolean {
  if (t.count === undefined && t.percentage === undefined) return false;
  const overCount = t.count !== undefined && failures > t.count;
  const overPct = t.percentage !== undefined && (failures / total) * 100 > t.percentage;
  return t.count !== undefined && t.percentage !== undefined ? !(overCount && overPct) : !(overCount || overPct);
}
