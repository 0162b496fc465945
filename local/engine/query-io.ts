/**
 * The input/output pipeline of a state, one per query language. State handlers say what they need
 * (the effective input, the arguments, a field's value, the output and Assign) and the pipeline of
 * the state's query language answers: InputPath / Parameters / ResultSelector / ResultPath /
 * OutputPath and `<field>Path` for JSONPath; Arguments / Output and `{% %}` templates for JSONata.
 */
import { evaluateChoiceRule } from './choice';
import { StatesError, StatesErrors } from './errors';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics';
import { evaluateTemplate, type JsonataEnv } from './jsonata-eval';
import { applyResultPath, queryPath, selectPath } from './jsonpath';
import { applyPayloadTemplate, type TemplateOptions } from './payload-template';

type Obj = Record<string, any>;

/** One state's view of its data: its definition, input and context, and the variables it sees. */
export interface IoCall {
  readonly state: Obj;
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
  matches(call: IoCall, eff: unknown, rule: Obj, i: number): Promise<boolean>;
  /** The Pass state's result (Result / Parameters / the effective input); none in JSONata. */
  passResult(call: IoCall, eff: unknown): { value: unknown } | undefined;
  /**
   * Output and Assign. `result` is the state's result where it has one (Task, Parallel, Map, Pass);
   * `rule` is the matched Choice rule whose Output and Assign apply instead of the state's.
   */
  output(call: IoCall, eff: unknown, result?: { value: unknown }, rule?: Obj): Promise<IoResult>;
  /** Output and Assign of a Catcher that handled `errorOutput`. */
  caught(call: IoCall, catcher: Obj, errorOutput: { Error: string; Cause: string }): Promise<IoResult>;
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
  effectiveInput: (call) => select('InputPath', call.state.InputPath, call.input, call),
  async arguments(call, eff) {
    const p = call.state.Parameters;
    return p === undefined ? eff : applyPayloadTemplate(p, eff, pathOptions(call));
  },
  async field(call, eff, field) {
    const st = call.state;
    if (st[field] !== undefined) return st[field];
    const path = st[`${field}Path`];
    if (path === undefined) return undefined;
    if (INTRINSIC_PATH_FIELDS.has(field) && isIntrinsic(path)) return evaluateIntrinsic(path, eff, pathOptions(call));
    return queryPath(path, eff, pathOptions(call));
  },
  async items(call, eff) {
    const p = call.state.ItemsPath;
    return p === undefined ? eff : queryPath(p, eff, pathOptions(call));
  },
  async itemInput(call, eff, selector, itemContext) {
    return applyPayloadTemplate(selector, eff, { ...pathOptions(call), context: itemContext });
  },
  async matches(call, eff, rule) {
    return evaluateChoiceRule(rule, eff, pathOptions(call));
  },
  passResult(call, eff) {
    const st = call.state;
    if ('Result' in st) return { value: st.Result };
    if (st.Parameters !== undefined) return { value: applyPayloadTemplate(st.Parameters, eff, pathOptions(call)) };
    return { value: eff };
  },
  async output(call, eff, result, rule) {
    const st = call.state;
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
    // A matched Choice rule's Assign applies; the state's own only when the Default is taken.
    const source = rule ?? st;
    const assigned = source.Assign === undefined ? undefined : assignedObject(applyPayloadTemplate(source.Assign, assignInput, opts));
    return { output, assigned };
  },
  async caught(call, catcher, errorOutput) {
    const output = applyResultPath(call.input, catcher.ResultPath === undefined ? '$' : catcher.ResultPath, errorOutput);
    const assigned =
      catcher.Assign === undefined ? undefined : assignedObject(applyPayloadTemplate(catcher.Assign, errorOutput, pathOptions(call)));
    return { output, assigned };
  },
  itemsError: runtimeError,
};

async function jsonataOutputAndAssign(call: IoCall, source: Obj, states: Obj, dflt: unknown, outputField: string): Promise<IoResult> {
  const output = source.Output === undefined ? dflt : await evaluateTemplate(source.Output, call.env(states), outputField);
  const assigned =
    source.Assign === undefined ? undefined : assignedObject(await evaluateTemplate(source.Assign, call.env(states), 'Assign'));
  return { output, assigned };
}

export const JSONATA_IO: QueryIo = {
  effectiveInput: (call) => call.input,
  async arguments(call, _eff, absent) {
    const a = call.state.Arguments;
    return a === undefined ? absent : evaluateTemplate(a, call.env({ input: call.input, context: call.context }), 'Arguments');
  },
  async field(call, _eff, field) {
    const v = call.state[field];
    return v === undefined ? undefined : evaluateTemplate(v, call.env({ input: call.input, context: call.context }), field);
  },
  async items(call) {
    const items = call.state.Items;
    return items === undefined ? call.input : evaluateTemplate(items, call.env({ input: call.input, context: call.context }), 'Items');
  },
  async itemInput(call, _eff, selector, itemContext) {
    return evaluateTemplate(selector, call.env({ input: call.input, context: itemContext }), 'ItemSelector');
  },
  async matches(call, _eff, rule, i) {
    const c = await evaluateTemplate(rule.Condition, call.env({ input: call.input, context: call.context }), `Choices[${i}].Condition`);
    if (typeof c !== 'boolean')
      throw new StatesError(
        StatesErrors.QueryEvaluationError,
        `Choices[${i}].Condition must evaluate to a boolean, got ${JSON.stringify(c)}`,
      );
    return c;
  },
  passResult: () => undefined,
  output(call, _eff, result, rule) {
    const states: Obj = { input: call.input, context: call.context };
    if (result) states.result = result.value;
    // A matched Choice rule's Output and Assign apply; the state's own only when the Default is taken.
    return jsonataOutputAndAssign(call, rule ?? call.state, states, result ? result.value : call.input, 'Output');
  },
  caught(call, catcher, errorOutput) {
    return jsonataOutputAndAssign(call, catcher, { input: call.input, context: call.context, errorOutput }, errorOutput, 'Catch.Output');
  },
  itemsError: (message) => new StatesError(StatesErrors.QueryEvaluationError, message),
};
