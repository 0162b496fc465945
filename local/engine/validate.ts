/**
 * Definition checks run at CreateStateMachine/UpdateStateMachine: the asl-validator package
 * (schema, transitions) plus the rules it does not know: JSONata/JSONPath field mixing, JSONata
 * syntax, States.ALL placement, reachability.
 */
import aslValidator from 'asl-validator';
import { compileTemplate, isJsonataTemplate } from './jsonata-eval';

type Obj = Record<string, any>;

const JSONPATH_ONLY = [
  'Parameters',
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ResultSelector',
  'ItemsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'MaxConcurrencyPath',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
];
const JSONATA_ONLY = ['Arguments', 'Output', 'Items'];

// asl-validator builds its JSON-schema validator on every call (about a second): remember verdicts.
const verdicts = new Map<string, string[]>();

/** Returns the list of problems (empty when the definition is valid). */
export function validateDefinition(definitionText: string): string[] {
  const known = verdicts.get(definitionText);
  if (known) return known;
  const v = validateUncached(definitionText);
  if (verdicts.size > 500) verdicts.clear();
  verdicts.set(definitionText, v);
  return v;
}

function validateUncached(definitionText: string): string[] {
  let def: Obj;
  try {
    def = JSON.parse(definitionText);
  } catch (e) {
    return [`Definition is not valid JSON: ${(e as Error).message}`];
  }
  if (!def || typeof def !== 'object' || Array.isArray(def)) return ['Definition must be a JSON object'];
  const errors: string[] = [];
  const r = aslValidator(forAslValidator(def, def.QueryLanguage ?? 'JSONPath'), { checkArn: false, checkPaths: true });
  if (!r.isValid) {
    for (const e of r.errors) {
      const msg = (e.Message as string) ?? (e.message as string) ?? JSON.stringify(e);
      const code = (e['Error code'] as string) ?? '';
      errors.push(code ? `${code}: ${msg}` : msg);
    }
  }
  const topQl = def.QueryLanguage ?? 'JSONPath';
  if (topQl !== 'JSONPath' && topQl !== 'JSONata') errors.push(`QueryLanguage must be JSONPath or JSONata, got ${JSON.stringify(topQl)}`);
  checkBlock(def, '', topQl, topQl, errors);
  return [...new Set(errors)];
}

function checkBlock(block: Obj, where: string, inheritedQl: string, topQl: string, errors: string[]): void {
  const states = block.States as Obj | undefined;
  if (!states || typeof states !== 'object') {
    errors.push(`${where || 'Definition'}: States is missing`);
    return;
  }
  if (typeof block.StartAt !== 'string' || !(block.StartAt in states))
    errors.push(`${where || 'Definition'}: StartAt '${block.StartAt}' does not name a state`);
  const reach = reachable(block.StartAt, states);
  for (const [name, st] of Object.entries(states)) {
    const at = `${where}States.${name}`;
    if (!st || typeof st !== 'object') {
      errors.push(`${at}: state must be an object`);
      continue;
    }
    if (!reach.has(name)) errors.push(`${at}: state is not reachable from StartAt`);
    for (const t of targets(st)) if (!(t in states)) errors.push(`${at}: transition target '${t}' is not defined`);
    const ql = st.QueryLanguage ?? inheritedQl;
    checkFields(st, at, ql, topQl, errors);
    checkRetryCatch(st, at, errors);
    checkChildBlocks(st, at, ql, topQl, errors);
  }
}

/** The states reachable from StartAt (AWS rejects unreachable states). */
function reachable(startAt: unknown, states: Obj): Set<string> {
  const reach = new Set<string>();
  const stack = typeof startAt === 'string' ? [startAt] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (reach.has(n) || !(n in states)) continue;
    reach.add(n);
    for (const t of targets(states[n])) stack.push(t);
  }
  return reach;
}

/** QueryLanguage, Next/End, and the fields the state's query language allows. */
function checkFields(st: Obj, at: string, ql: string, topQl: string, errors: string[]): void {
  if (st.QueryLanguage !== undefined && st.QueryLanguage !== 'JSONPath' && st.QueryLanguage !== 'JSONata')
    errors.push(`${at}: QueryLanguage must be JSONPath or JSONata`);
  if (topQl === 'JSONata' && st.QueryLanguage === 'JSONPath')
    errors.push(`${at}: a JSONPath state is not allowed in a JSONata state machine`);
  const terminal = st.Type === 'Succeed' || st.Type === 'Fail' || st.Type === 'Choice';
  if (!terminal && st.End !== true && typeof st.Next !== 'string') errors.push(`${at}: needs Next or End: true`);
  if (st.End === true && st.Next !== undefined) errors.push(`${at}: has both Next and End`);
  if (ql === 'JSONata') {
    for (const f of JSONPATH_ONLY)
      if (f in st) errors.push(`${at}: field ${f} is not supported in JSONata states (use Arguments/Output/Assign)`);
    checkTemplates(st, at, errors);
  } else {
    for (const f of JSONATA_ONLY) if (f in st) errors.push(`${at}: field ${f} is only supported in JSONata states`);
  }
}

/** ErrorEquals of every retrier and catcher; States.ALL alone and last; JitterStrategy. */
function checkRetryCatch(st: Obj, at: string, errors: string[]): void {
  for (const key of ['Retry', 'Catch'] as const) {
    const list = st[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errors.push(`${at}.${key} must be an array`);
      continue;
    }
    list.forEach((r: Obj, i: number) => {
      const eq = r?.ErrorEquals;
      if (!Array.isArray(eq) || eq.length === 0) errors.push(`${at}.${key}[${i}]: ErrorEquals must be a non-empty array`);
      else if (eq.includes('States.ALL')) {
        if (eq.length > 1) errors.push(`${at}.${key}[${i}]: States.ALL must appear alone in ErrorEquals`);
        if (i !== list.length - 1)
          errors.push(`${at}.${key}[${i}]: States.ALL must be in the last ${key === 'Retry' ? 'retrier' : 'catcher'}`);
      }
      if (key === 'Retry' && r?.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE')
        errors.push(`${at}.Retry[${i}]: JitterStrategy must be FULL or NONE`);
    });
  }
}

/** The branches of a Parallel and the item processor of a Map, checked as blocks of their own. */
function checkChildBlocks(st: Obj, at: string, ql: string, topQl: string, errors: string[]): void {
  if (st.Type === 'Parallel') {
    if (!Array.isArray(st.Branches) || st.Branches.length === 0) errors.push(`${at}: Parallel needs a non-empty Branches array`);
    else
      st.Branches.forEach((b: Obj, i: number) => {
        checkBlock(b, `${at}.Branches[${i}].`, ql, topQl, errors);
      });
  }
  if (st.Type === 'Map') {
    const proc = st.ItemProcessor ?? st.Iterator;
    if (!proc || typeof proc !== 'object') errors.push(`${at}: Map needs ItemProcessor`);
    else {
      if (proc.ProcessorConfig?.Mode === 'DISTRIBUTED') errors.push(`${at}: distributed Map is not supported by the local engine`);
      checkBlock(proc, `${at}.ItemProcessor.`, ql, topQl, errors);
    }
  }
}

function targets(st: Obj): string[] {
  const out: string[] = [];
  if (!st || typeof st !== 'object') return out;
  if (typeof st.Next === 'string') out.push(st.Next);
  if (typeof st.Default === 'string') out.push(st.Default);
  if (Array.isArray(st.Choices)) for (const c of st.Choices) if (typeof c?.Next === 'string') out.push(c.Next);
  if (Array.isArray(st.Catch)) for (const c of st.Catch) if (typeof c?.Next === 'string') out.push(c.Next);
  return out;
}

function checkTemplates(v: unknown, at: string, errors: string[]): void {
  if (typeof v === 'string') {
    if (isJsonataTemplate(v)) {
      try {
        compileTemplate(v);
      } catch (e) {
        errors.push(`${at}: invalid JSONata expression ${v}: ${(e as Error).message}`);
      }
    }
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) checkTemplates(x, at, errors);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      // Nested state blocks are checked on their own.
      if (k === 'Branches' || k === 'ItemProcessor' || k === 'Iterator') continue;
      checkTemplates(x, `${at}.${k}`, errors);
    }
  }
}

/**
 * A copy adjusted where asl-validator's schema is stricter than Step Functions: JSONata Output and
 * Arguments may be any JSON value (the schema wants a template or an object), and `{%expr%}`
 * without inner spaces is accepted by AWS. (The validator also mutates its input: hence a copy.)
 */
function forAslValidator(v: unknown, ql: string, key?: string): unknown {
  if (typeof v === 'string') return isJsonataTemplate(v) ? `{% ${v.slice(2, -2).trim()} %}` : v;
  if (Array.isArray(v)) return v.map((x) => forAslValidator(x, ql));
  if (!v || typeof v !== 'object') return v;
  const o = v as Obj;
  const stateQl = typeof o.Type === 'string' ? (o.QueryLanguage ?? ql) : ql;
  const out: Obj = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof o.Type === 'string' && stateQl === 'JSONata' && (k === 'Output' || k === 'Arguments')) {
      const plainObject = x && typeof x === 'object' && !Array.isArray(x);
      if (!plainObject && !isJsonataTemplate(x)) {
        out[k] = '{% null %}';
        continue;
      }
    }
    out[k] = forAslValidator(x, k === 'States' || key === 'States' ? ql : stateQl, k);
  }
  return out;
}
