/**
 * The input/output pipeline of a state, one per query language. State handlers say what they need
 * (the effective input, the arguments, a field's value, the output and Assign) and the pipeline of
 * the state's query language answers: InputPath / Parameters / ResultSelector / ResultPath /
 * OutputPath and `<field>Path` for JSONPath; Arguments / Output and `{% %}` templates for JSONata.
 */
import type { Catcher, JsonataChoiceRule, JsonPathChoiceRule, JsonValue, State } from './asl';
import { evaluateChoiceRule } from './choice';
import { StatesError, StatesErrors } from './errors';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics';
import { evaluateTemplate, type JsonataEnv } from './jsonata-eval';
import { applyResultPath, queryPath, selectPath } from './jsonpath';
import { applyPayloadTemplate, type TemplateOptions } from './payload-template';

type Obj = Record<string, any>;
type ChoiceRule = JsonPathChoiceRule | JsonataChoiceRule;

/** The data fields a state of some type may carry, read by name whatever the state's type. */
interface DataFields {
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: JsonValue;
  ResultSelector?: JsonValue;
  ResultPath?: string | null;
  Result?: JsonValue;
  Arguments?: JsonValue;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  ItemsPath?: string;
  Items?: JsonValue;
}

/** A state as the pipeline reads it: its data fields, and any other field by name (`Seconds`, `TimeoutSecondsPath`...). */
function fieldsOf(state: State): DataFields & Readonly<Record<string, unknown>> {
  return state as DataFields & Readonly<Record<string, unknown>>;
}

/** One state's view of its data: its definition, input and context, and the variables it sees. */
export interface IoCall {
  readonly state: State;
  readonly input: unknown;
  readonly context: Obj;
  /** JSONPath options: the context object, the variables visible before the state assigns, intrinsics' random sources. */
  pathOptions(): TemplateOptions;
  /** The JSONata environment at the current engine time, with `$states` set to `states`. */
  env(states: Obj): JsonataEnv;
}

/** What a state hands on: its output, and the variables it assigned (not yet applied). */
export interface IoResult {
  output: unknown;
  assigned?: Obj;
}

export interface QueryIo {
  /** The value the state works on: InputPath applied (JSONPath), the raw input (JSONata). */
  effectiveInput(call: IoCall): unknown;
  /** Task/Parallel payload: Parameters over `eff` (else `eff`), or Arguments (else `absent`). */
  arguments(call: IoCall, eff: unknown, absent: unknown): Promise<unknown>;
  /** A field given literally or as `<field>Path` (JSONPath), or as a template (JSONata); undefined when absent. */
  field(call: IoCall, eff: unknown, field: string): Promise<unknown>;
  /** The Map state's items (ItemsPath / Items). */
  items(call: IoCall, eff: unknown): Promise<unknown>;
  /** The input of one Map item through ItemSelector, with `itemContext` as the context. */
  itemInput(call: IoCall, eff: unknown, selector: unknown, itemContext: Obj, item: unknown): Promise<unknown>;
  /** Does Choice rule `i` match? */
  matches(call: IoCall, eff: unknown, rule: ChoiceRule, i: number): Promise<boolean>;
  /** The Pass state's result (Result / Parameters / the effective input); none in JSONata. */
  passResult(call: IoCall, eff: unknown): { value: unknown } | undefined;
  /**
   * Output and Assign. `result` is the state's result where it has one (Task, Parallel, Map, Pass);
   * `rule` is the matched Choice rule: its Output replaces the state's, its Assign adds to the state's.
   */
  output(call: IoCall, eff: unknown, result?: { value: unknown }, rule?: ChoiceRule): Promise<IoResult>;
  /** Output and Assign of a Catcher that handled `errorOutput`. */
  caught(call: IoCall, catcher: Catcher, errorOutput: { Error: string; Cause: string }): Promise<IoResult>;
  /** The error for a Map whose items are not an array. */
  itemsError(message: string): StatesError;
}

function runtimeError(msg: string): StatesError {
  return new StatesError(StatesErrors.Runtime, msg);
}

function assignedObject(values: unknown): Obj {
  if (!values || typeof values !== 'object' || Array.isArray(values)) throw runtimeError('Assign must evaluate to an object');
  return values as Obj;
}

/** A Choice state's own Assign and its matched rule's, the rule's value winning for a variable both name. */
function withRuleAssigned(state: IoResult['assigned'], rule: IoResult['assigned']): IoResult['assigned'] {
  if (!rule) return state;
  return state ? { ...state, ...rule } : rule;
}

function pathOptions(call: IoCall): TemplateOptions {
  return call.pathOptions();
}

function select(field: string, path: unknown, input: unknown, call: IoCall): unknown {
  if (path === undefined) return input;
  try {
    return selectPath(path as string | null, input, pathOptions(call));
  } catch (e) {
    if (e instanceof StatesError)
      throw runtimeError(`An error occurred while executing the state: Invalid path '${String(path)}' in ${field}: ${e.cause}`);
    throw e;
  }
}

/** The Fail state's ErrorPath and CausePath also take intrinsic functions. */
const INTRINSIC_PATH_FIELDS = new Set(['Error', 'Cause']);

export const JSONPATH_IO: QueryIo = {
  effectiveInput: (call) => select('InputPath', fieldsOf(call.state).InputPath, call.input, call),
  async arguments(call, eff) {
    const p = fieldsOf(call.state).Parameters;
    return p === undefined ? eff : applyPayloadTemplate(p, eff, pathOptions(call));
  },
  async field(call, eff, field) {
    const st = fieldsOf(call.state);
    if (st[field] !== undefined) return st[field];
    const path = st[`${field}Path`];
    if (typeof path !== 'string') return undefined;
    if (INTRINSIC_PATH_FIELDS.has(field) && isIntrinsic(path)) return evaluateIntrinsic(path, eff, pathOptions(call));
    return queryPath(path, eff, pathOptions(call));
  },
  async items(call, eff) {
    const p = fieldsOf(call.state).ItemsPath;
    return p === undefined ? eff : queryPath(p, eff, pathOptions(call));
  },
  async itemInput(call, eff, selector, itemContext) {
    return applyPayloadTemplate(selector, eff, { ...pathOptions(call), context: itemContext });
  },
  async matches(call, eff, rule) {
    return evaluateChoiceRule(rule as JsonPathChoiceRule, eff, pathOptions(call));
  },
  passResult(call, eff) {
    const st = fieldsOf(call.state);
    if ('Result' in st) return { value: st.Result };
    if (st.Parameters !== undefined) return { value: applyPayloadTemplate(st.Parameters, eff, pathOptions(call)) };
    return { value: eff };
  },
  async output(call, eff, result, rule) {
    const st = fieldsOf(call.state);
    const opts = pathOptions(call);
    let assignInput = eff;
    let output: unknown;
    if (result) {
      const selected = st.ResultSelector !== undefined ? applyPayloadTemplate(st.ResultSelector, result.value, opts) : result.value;
      output = select(
        'OutputPath',
        st.OutputPath,
        applyResultPath(call.input, st.ResultPath === undefined ? '$' : st.ResultPath, selected),
        call,
      );
      assignInput = selected;
    } else output = select('OutputPath', st.OutputPath, eff, call);
    const assign = (values: Record<string, JsonValue> | undefined) =>
      values === undefined ? undefined : assignedObject(applyPayloadTemplate(values, assignInput, opts));
    return { output, assigned: withRuleAssigned(assign(st.Assign), assign(rule?.Assign)) };
  },
  async caught(call, catcher, errorOutput) {
    const output = applyResultPath(call.input, catcher.ResultPath === undefined ? '$' : catcher.ResultPath, errorOutput);
    const assigned =
      catcher.Assign === undefined ? undefined : assignedObject(applyPayloadTemplate(catcher.Assign, errorOutput, pathOptions(call)));
    return { output, assigned };
  },
  itemsError: runtimeError,
};

async function jsonataAssigned(call: IoCall, values: Record<string, JsonValue> | undefined, states: Obj): Promise<Obj | undefined> {
  return values === undefined ? undefined : assignedObject(await evaluateTemplate(values, call.env(states), 'Assign'));
}

async function jsonataOutputAndAssign(
  call: IoCall,
  source: DataFields,
  states: Obj,
  dflt: unknown,
  outputField: string,
): Promise<IoResult> {
  const output = source.Output === undefined ? dflt : await evaluateTemplate(source.Output, call.env(states), outputField);
  return { output, assigned: await jsonataAssigned(call, source.Assign, states) };
}

export const JSONATA_IO: QueryIo = {
  effectiveInput: (call) => call.input,
  async arguments(call, _eff, absent) {
    const a = fieldsOf(call.state).Arguments;
    return a === undefined ? absent : evaluateTemplate(a, call.env({ input: call.input, context: call.context }), 'Arguments');
  },
  async field(call, _eff, field) {
    const v = fieldsOf(call.state)[field];
    return v === undefined ? undefined : evaluateTemplate(v, call.env({ input: call.input, context: call.context }), field);
  },
  async items(call) {
    const items = fieldsOf(call.state).Items;
    return items === undefined ? call.input : evaluateTemplate(items, call.env({ input: call.input, context: call.context }), 'Items');
  },
  async itemInput(call, _eff, selector, itemContext) {
    return evaluateTemplate(selector, call.env({ input: call.input, context: itemContext }), 'ItemSelector');
  },
  async matches(call, _eff, rule, i) {
    const c = await evaluateTemplate(
      (rule as JsonataChoiceRule).Condition,
      call.env({ input: call.input, context: call.context }),
      `Choices[${i}].Condition`,
    );
    if (typeof c !== 'boolean')
      throw new StatesError(
        StatesErrors.QueryEvaluationError,
        `Choices[${i}].Condition must evaluate to a boolean, got ${JSON.stringify(c)}`,
      );
    return c;
  },
  passResult: () => undefined,
  async output(call, _eff, result, rule) {
    const states: Obj = { input: call.input, context: call.context };
    if (result) states.result = result.value;
    const st = fieldsOf(call.state);
    const dflt = result ? result.value : call.input;
    if (!rule) return jsonataOutputAndAssign(call, st, states, dflt, 'Output');
    const r = await jsonataOutputAndAssign(call, rule, states, dflt, 'Output');
    return { output: r.output, assigned: withRuleAssigned(await jsonataAssigned(call, st.Assign, states), r.assigned) };
  },
  caught(call, catcher, errorOutput) {
    return jsonataOutputAndAssign(call, catcher, { input: call.input, context: call.context, errorOutput }, errorOutput, 'Catch.Output');
  },
  itemsError: (message) => new StatesError(StatesErrors.QueryEvaluationError, message),
};
