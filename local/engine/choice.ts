/**
 * JSONPath-mode Choice rules: comparisons, type tests and And/Or/Not, as the Amazon States
 * Language specification (https://states-language.net/spec.html#choice-state) and the Step
 * Functions guide (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html)
 * describe them.
 *
 * - A comparison whose Variable has the wrong type for the operator is false, not an error
 *   (NumericEquals on a string is false).
 * - A Variable path that matches nothing fails with States.Runtime (the guide's Choice example:
 *   "If the state input doesn't contain the $.type field, the execution fails"; AWS's cause reads
 *   "Invalid path '$.x': The choice state's condition path references an invalid value."),
 *   except under IsPresent, whose whole purpose is to test that. This includes IsNull and the
 *   other type tests. The same holds for a "...Path" operand.
 * - Strings order by UTF-16 code units, like Java's String.compareTo, to which the guide refers.
 */
import { StatesError, StatesErrors } from './errors';
import { type PathOptions, tryQueryPath } from './jsonpath';

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Cmp = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

interface ComparisonOp {
  kind: Kind | 'Matches';
  cmp?: Cmp;
  path: boolean;
}

const TYPE_TESTS = new Set(['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']);

/** Every comparison operator name, mapped to what it compares and how. */
const COMPARISONS = new Map<string, ComparisonOp>();
for (const kind of ['String', 'Numeric', 'Timestamp'] as const) {
  for (const cmp of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as const) {
    COMPARISONS.set(`${kind}${cmp}`, { kind, cmp, path: false });
    COMPARISONS.set(`${kind}${cmp}Path`, { kind, cmp, path: true });
  }
}
COMPARISONS.set('BooleanEquals', { kind: 'Boolean', cmp: 'Equals', path: false });
COMPARISONS.set('BooleanEqualsPath', { kind: 'Boolean', cmp: 'Equals', path: true });
COMPARISONS.set('StringMatches', { kind: 'Matches', path: false });

/** Fields a rule may carry besides its operator. */
const NON_OPERATOR_FIELDS = new Set(['Variable', 'Next', 'Comment', 'Assign', 'Output']);

function invalidRule(why: string): never {
  throw new StatesError(StatesErrors.Runtime, `Invalid Choice rule: ${why}`);
}

/**
 * Evaluate one JSONPath-mode Choice rule (a Choices[] element, whose Next is ignored, or a
 * nested rule inside And/Or/Not).
 */
export function evaluateChoiceRule(rule: Record<string, unknown>, input: unknown, opts?: PathOptions): boolean {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) invalidRule('a rule must be an object');
  if ('And' in rule || 'Or' in rule) {
    const op = 'And' in rule ? 'And' : 'Or';
    const rules = rule[op];
    if (!Array.isArray(rules) || rules.length === 0) invalidRule(`${op} must be a non-empty array of rules`);
    return op === 'And'
      ? rules.every((r) => evaluateChoiceRule(r as Record<string, unknown>, input, opts))
      : rules.some((r) => evaluateChoiceRule(r as Record<string, unknown>, input, opts));
  }
  if ('Not' in rule) {
    const inner = rule.Not;
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) invalidRule('Not must be a single rule object');
    return !evaluateChoiceRule(inner as Record<string, unknown>, input, opts);
  }

  const variable = rule.Variable;
  if (typeof variable !== 'string') invalidRule('a comparison needs a Variable path');
  const operators = Object.keys(rule).filter((k) => !NON_OPERATOR_FIELDS.has(k));
  if (operators.length !== 1) {
    invalidRule(`expected exactly one comparison operator, found ${operators.length ? operators.join(', ') : 'none'}`);
  }
  const op = operators[0];
  const operand = rule[op];

  if (TYPE_TESTS.has(op)) {
    if (typeof operand !== 'boolean') invalidRule(`${op} takes true or false`);
    const found = tryQueryPath(variable, input, opts);
    if (op === 'IsPresent') return found.found === operand;
    if (!found.found) throw missingVariable(variable);
    return typeTest(op, found.value) === operand;
  }

  const cmp = COMPARISONS.get(op);
  if (!cmp) invalidRule(`unknown comparison operator '${op}'`);
  const left = resolveVariable(variable, input, opts);
  let right: unknown = operand;
  if (cmp.path) {
    if (typeof operand !== 'string') invalidRule(`${op} takes a path`);
    right = resolveVariable(operand, input, opts);
  }
  return compare(cmp, left, right);
}

function missingVariable(path: string): StatesError {
  return new StatesError(StatesErrors.Runtime, `Invalid path '${path}': The choice state's condition path references an invalid value.`);
}

function resolveVariable(path: string, input: unknown, opts: PathOptions | undefined): unknown {
  const found = tryQueryPath(path, input, opts);
  if (!found.found) throw missingVariable(path);
  return found.value;
}

function typeTest(op: string, v: unknown): boolean {
  switch (op) {
    case 'IsNull':
      return v === null;
    case 'IsNumeric':
      return typeof v === 'number';
    case 'IsString':
      return typeof v === 'string';
    case 'IsBoolean':
      return typeof v === 'boolean';
    case 'IsTimestamp':
      return typeof v === 'string' && parseTimestamp(v) !== undefined;
    default:
      return false;
  }
}

function compare(op: ComparisonOp, left: unknown, right: unknown): boolean {
  switch (op.kind) {
    case 'Matches':
      return typeof left === 'string' && typeof right === 'string' && matchesPattern(left, right);
    case 'String':
      return typeof left === 'string' && typeof right === 'string' && order(op.cmp!, left < right ? -1 : left > right ? 1 : 0);
    case 'Numeric':
      return typeof left === 'number' && typeof right === 'number' && order(op.cmp!, left < right ? -1 : left > right ? 1 : 0);
    case 'Boolean':
      return typeof left === 'boolean' && typeof right === 'boolean' && left === right;
    case 'Timestamp': {
      if (typeof left !== 'string' || typeof right !== 'string') return false;
      const a = parseTimestamp(left);
      const b = parseTimestamp(right);
      if (!a || !b) return false;
      return order(op.cmp!, compareTimestamps(a, b));
    }
  }
}

function order(cmp: Cmp, c: number): boolean {
  switch (cmp) {
    case 'Equals':
      return c === 0;
    case 'LessThan':
      return c < 0;
    case 'GreaterThan':
      return c > 0;
    case 'LessThanEquals':
      return c <= 0;
    case 'GreaterThanEquals':
      return c >= 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/** An instant with nanosecond precision: whole epoch seconds plus nanoseconds. */
export interface Instant {
  epochSeconds: number;
  nanos: number;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parse an ASL timestamp: the RFC 3339 profile of ISO 8601 with an uppercase "T" between date
 * and time and an uppercase "Z" when there is no numeric offset ("2016-03-14T01:59:00Z").
 * Returns undefined for anything else, including impossible dates.
 */
export function parseTimestamp(s: string): Instant | undefined {
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[8].slice(1, 3));
    const om = Number(m[8].slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[8][0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d); // setUTCFullYear keeps years 0-99 literal, unlike Date.UTC
  utc.setUTCHours(h, mi, se, 0);
  const epochSeconds = utc.getTime() / 1000 - offsetMinutes * 60;
  const nanos = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  return { epochSeconds, nanos };
}

/** Epoch milliseconds of an ASL timestamp (for Wait states), or undefined when invalid. */
export function timestampToMillis(s: string): number | undefined {
  const t = parseTimestamp(s);
  return t ? t.epochSeconds * 1000 + Math.floor(t.nanos / 1e6) : undefined;
}

function compareTimestamps(a: Instant, b: Instant): number {
  if (a.epochSeconds !== b.epochSeconds) return a.epochSeconds < b.epochSeconds ? -1 : 1;
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// StringMatches

const patternCache = new Map<string, RegExp>();

/**
 * StringMatches: "*" matches any run of characters (including none); "\*" is a literal star
 * and "\\" a literal backslash (written "\\*" and "\\\\" inside JSON).
 */
export function matchesPattern(value: string, pattern: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\' && i + 1 < pattern.length) {
        src += escapeRegex(pattern[++i]);
      } else if (c === '*') {
        src += '.*';
      } else {
        src += escapeRegex(c);
      }
    }
    re = new RegExp(`^${src}$`, 's');
    if (patternCache.size >= 10_000) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re.test(value);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
