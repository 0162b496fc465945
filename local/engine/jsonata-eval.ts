/**
 * JSONata evaluation for `QueryLanguage: "JSONata"` states: `{% expr %}` templates in any string
 * field, with `$states`, workflow variables, and the functions Step Functions adds
 * ($partition, $range, $hash, $random, $uuid, $parse). `$now()`/`$millis()` read the engine clock.
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError, StatesErrors } from './errors';

export interface JsonataEnv {
  /** `$states` binding: input, context, and (where the state has them) result / errorOutput. */
  states: Record<string, unknown>;
  /** Visible workflow variables (outer scopes first, inner ones override). */
  vars: Record<string, unknown>;
  nowMs: number;
  random: () => number;
  uuid?: () => string;
}

const cache = new Map<string, jsonata.Expression>();
const fromMillisExpr = jsonata('$fromMillis($m, $p, $t)');

export function isJsonataTemplate(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 4 && v.startsWith('{%') && v.endsWith('%}');
}

/** Compile (and cache) the expression inside `{% %}`; throws the jsonata parse error. */
export function compileTemplate(template: string): jsonata.Expression {
  let e = cache.get(template);
  if (!e) {
    e = jsonata(template.slice(2, -2));
    if (cache.size > 10_000) cache.clear(); // bound memory for generated definitions
    cache.set(template, e);
  }
  return e;
}

/** Does this value (recursively) hold any `{% %}` template? Lets callers skip copying constants. */
export function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return isJsonataTemplate(v);
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (v && typeof v === 'object') return Object.values(v).some(hasTemplate);
  return false;
}

function seededRandom(seed: unknown): number {
  // mulberry32 over a hash of the seed: the same seed always gives the same number, as AWS's $random(seed).
  const h = createHash('sha256').update(String(seed)).digest();
  let a = h.readUInt32LE(0);
  a = (a + 0x6d2b79f5) | 0;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function fnError(msg: string): never {
  throw new StatesError(StatesErrors.QueryEvaluationError, msg);
}

/** Step Functions' added functions that need no per-evaluation state: created once. */
const STATIC_FUNCTIONS = {
  partition: (arr: unknown, size: unknown) => {
    if (!Array.isArray(arr)) fnError('$partition: first argument must be an array');
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) fnError('$partition: chunk size must be a positive integer');
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  range: (start: unknown, end: unknown, step: unknown) => {
    if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number' || step === 0)
      fnError('$range: start, end and a non-zero step must be numbers');
    const out: number[] = [];
    for (let x = start; step > 0 ? x <= end : x >= end; x += step) {
      out.push(x);
      if (out.length > 1000) fnError('$range: result exceeds 1000 items');
    }
    return out;
  },
  hash: (data: unknown, algo: unknown) => {
    if (typeof data !== 'string') fnError('$hash: data must be a string');
    const a = HASHES[String(algo)];
    if (!a) fnError(`$hash: unsupported algorithm ${String(algo)} (MD5, SHA-1, SHA-256, SHA-384, SHA-512)`);
    return createHash(a).update(data).digest('hex');
  },
  parse: (s: unknown) => {
    if (typeof s !== 'string') fnError('$parse: argument must be a string');
    try {
      return JSON.parse(s);
    } catch (e) {
      fnError(`$parse: ${(e as Error).message}`);
    }
  },
};

function bindings(env: JsonataEnv): Record<string, unknown> {
  const nowMs = env.nowMs;
  // Workflow variables are bound after the added functions: a variable named like one of them
  // (`range`, `hash`, `now`...) is the variable, as on Step Functions. `$states` stays reserved.
  return {
    ...STATIC_FUNCTIONS,
    // The engine clock, not the host's: virtual time in tests, scaled time in demos.
    now: (picture?: string, tz?: string) =>
      picture === undefined && tz === undefined
        ? new Date(nowMs).toISOString()
        : fromMillisExpr.evaluate({}, { m: nowMs, p: picture, t: tz }),
    millis: () => nowMs,
    random: (seed?: unknown) => (seed === undefined ? env.random() : seededRandom(seed)),
    uuid: () => (env.uuid ? env.uuid() : randomUUID()),
    ...env.vars,
    states: env.states,
  };
}

/** Evaluate one `{% %}` string. Errors and undefined results become States.QueryEvaluationError. */
export async function evaluateTemplateString(template: string, env: JsonataEnv, field: string): Promise<unknown> {
  let expr: jsonata.Expression;
  try {
    expr = compileTemplate(template);
  } catch (e) {
    throw new StatesError(StatesErrors.QueryEvaluationError, `Invalid JSONata in ${field}: ${(e as Error).message}`);
  }
  let v: unknown;
  try {
    v = await expr.evaluate(null, bindings(env));
  } catch (e) {
    if (e instanceof StatesError) throw e;
    throw new StatesError(
      StatesErrors.QueryEvaluationError,
      `An error occurred while evaluating the JSONata expression ${template} in field '${field}': ${(e as Error).message}`,
    );
  }
  if (v === undefined) {
    throw new StatesError(
      StatesErrors.QueryEvaluationError,
      `The JSONata expression ${template} in field '${field}' returned nothing (undefined)`,
    );
  }
  return normalize(v);
}

/** jsonata returns sequences (arrays with extra props) and may return functions: make plain JSON. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const a = v as unknown[] & { sequence?: boolean };
    return a.map(normalize);
  }
  if (typeof v === 'function') return undefined;
  if (v && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== x) changed = true;
      if (n !== undefined) out[k] = n;
    }
    return changed ? out : v;
  }
  return v;
}

/** Evaluate a field that may be a template string or an object/array holding templates. */
export async function evaluateTemplate(value: unknown, env: JsonataEnv, field: string): Promise<unknown> {
  if (typeof value === 'string') return isJsonataTemplate(value) ? evaluateTemplateString(value, env, field) : value;
  if (Array.isArray(value)) {
    if (!value.some(hasTemplate)) return value;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await evaluateTemplate(value[i], env, `${field}[${i}]`));
    return out;
  }
  if (value && typeof value === 'object') {
    if (!hasTemplate(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await evaluateTemplate(v, env, `${field}.${k}`);
    return out;
  }
  return value;
}
