/**
 * The states that only move data and control: Succeed, Pass, Choice, Wait, Fail. Each reads and
 * writes its data through the query-language pipeline of the step (query-io.ts); the execution
 * machinery (context object, variables, recorded sleeps) comes from the running execution.
 */
import type { ChoiceState, FailState, JsonataChoiceRule, JsonPathChoiceRule, PassState, SucceedState, WaitState } from './asl';
import { StatesError, StatesErrors } from './errors';
import { runtimeError, type Step, type StepResult, type StepRuntime } from './step';

export async function succeedState(rt: StepRuntime, step: Step<SucceedState>): Promise<StepResult> {
  const call = rt.io(step, rt.context(step.thread, step.name, step.entered, 0));
  const eff = step.ql.effectiveInput(call);
  return { output: (await step.ql.output(call, eff)).output };
}

export async function passState(rt: StepRuntime, step: Step<PassState>): Promise<StepResult> {
  const call = rt.io(step, rt.context(step.thread, step.name, step.entered, 0));
  const eff = step.ql.effectiveInput(call);
  const r = await step.ql.output(call, eff, step.ql.passResult(call, eff));
  return rt.applyAssigned(step.thread, r, step.state.Next);
}

/**
 * The first matching rule decides where the thread goes; without one, the Default. A matched rule's
 * Output replaces the state's. Assign: AWS documents that a rule's Assign "assigns variables when
 * this specific choice rule matches" and that a state-level Assign "applies regardless of which
 * choice rule matches" (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html), so
 * both apply, evaluated on the same input; for a variable both name, the matched rule's value wins.
 */
export async function choiceState(rt: StepRuntime, step: Step<ChoiceState>): Promise<StepResult> {
  const { name, state: st, ql } = step;
  const call = rt.io(step, rt.context(step.thread, name, step.entered, 0));
  const eff = ql.effectiveInput(call);
  const rules: Array<JsonPathChoiceRule | JsonataChoiceRule> = st.Choices ?? [];
  let matched: JsonPathChoiceRule | JsonataChoiceRule | undefined;
  for (let i = 0; i < rules.length && !matched; i++) if (await ql.matches(call, eff, rules[i], i)) matched = rules[i];
  const next = matched ? matched.Next : st.Default;
  if (next === undefined) throw new StatesError(StatesErrors.NoChoiceMatched, `No Choice rule matched and no Default in state '${name}'`);
  return rt.applyAssigned(step.thread, await ql.output(call, eff, undefined, matched), next);
}

export async function waitState(rt: StepRuntime, step: Step<WaitState>): Promise<StepResult> {
  const { state: st, thread: th, entered, ql } = step;
  const call = rt.io(step, rt.context(th, step.name, entered, 0));
  const eff = ql.effectiveInput(call);
  const seconds = await ql.field(call, eff, 'Seconds');
  const due =
    seconds !== undefined
      ? entered + secondsOf(seconds, st.Seconds !== undefined ? 'Seconds' : 'SecondsPath') * 1000
      : timestampOf(await ql.field(call, eff, 'Timestamp'), st.Timestamp !== undefined ? 'Timestamp' : 'TimestampPath');
  await rt.sleepUntil(th, 'wait', due);
  // Output and Assign see the engine time after the wait.
  const after = rt.io(step, rt.context(th, step.name, entered, 0));
  return rt.applyAssigned(th, await ql.output(after, eff), st.Next);
}

export async function failState(rt: StepRuntime, step: Step<FailState>): Promise<never> {
  const { name, ql } = step;
  const call = rt.io(step, rt.context(step.thread, name, step.entered, 0));
  const eff = ql.effectiveInput(call);
  const error = await ql.field(call, eff, 'Error');
  const cause = await ql.field(call, eff, 'Cause');
  if (error !== undefined && typeof error !== 'string') throw runtimeError(`Fail state '${name}': Error must be a string`);
  if (cause !== undefined && typeof cause !== 'string') throw runtimeError(`Fail state '${name}': Cause must be a string`);
  throw new StatesError((error as string) ?? '', (cause as string) ?? '');
}

function secondsOf(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw runtimeError(`${field} must be a non-negative number, got ${JSON.stringify(v)}`);
  return v;
}

function timestampOf(v: unknown, field: string): number {
  // ASL timestamps: RFC 3339 with an uppercase T and a time zone (Z or offset).
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
    throw runtimeError(`${field} must be an RFC 3339 timestamp string, got ${JSON.stringify(v)}`);
  return Date.parse(v);
}
