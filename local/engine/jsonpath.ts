/**
 * JSONPath as the Amazon States Language uses it in JSONPath-mode states.
 *
 * Step Functions evaluates paths with Jayway JsonPath, so this module follows Jayway's rules:
 * a *definite* path (only names and single indexes) yields one value and fails when nothing
 * matches; an *indefinite* path (wildcard, slice, filter, union, recursive descent) yields an
 * array of every match, possibly empty, and never fails for lack of matches.
 *
 * Roots: `$` the data, `$$` the context object, `$name` a workflow variable.
 * Returned values share structure with the data they came from: treat them as read-only.
 */
import { StatesError, StatesErrors } from './errors';
// A leaf module: intrinsics.ts and payload-template.ts build on it, and it imports neither
// (test/engine/module-graph.test.ts keeps it so).

export interface PathOptions {
  context?: unknown;
  vars?: Record<string, unknown>;
}

type Root = { kind: 'data' } | { kind: 'context' } | { kind: 'var'; name: string };

type Segment =
  | { t: 'name'; names: string[] }
  | { t: 'index'; indexes: number[] }
  | { t: 'wild' }
  | { t: 'slice'; start?: number; end?: number; step?: number }
  | { t: 'filter'; expr: FilterExpr }
  | { t: 'desc'; next: Segment };

export interface ParsedPath {
  source: string;
  root: Root;
  segments: Segment[];
  /** True when the path names a single node: no wildcard, slice, filter, union, `..` or function. */
  definite: boolean;
  /** A trailing Jayway function (`$.items.length()`), applied to what the rest of the path selects. */
  fn?: PathFunction;
}

/** The Jayway path functions Step Functions accepts at the end of a (non-reference) Path. */
const PATH_FUNCTIONS = ['length', 'size', 'min', 'max', 'avg', 'stddev', 'sum', 'keys', 'first', 'last'] as const;
type PathFunction = (typeof PATH_FUNCTIONS)[number];

type FilterExpr =
  | { k: 'or' | 'and'; l: FilterExpr; r: FilterExpr }
  | { k: 'not'; e: FilterExpr }
  | { k: 'cmp'; op: string; l: Operand; r: Operand }
  | { k: 'exists'; o: Operand };

type Operand =
  | { k: 'lit'; v: unknown }
  | { k: 'regex'; re: RegExp }
  | { k: 'path'; rel: boolean; segments: Segment[]; definite: boolean; fn?: PathFunction };

/** A path that the syntax rejects: a definition error, not an execution one. */
export class PathSyntaxError extends StatesError {
  constructor(path: string, why: string) {
    super(StatesErrors.Runtime, `Invalid path '${path}': ${why}`);
  }
}

const cache = new Map<string, ParsedPath>();
const CACHE_LIMIT = 10_000;

/** Parse (and cache: definitions reuse the same few paths millions of times). */
export function parsePath(path: string): ParsedPath {
  let parsed = cache.get(path);
  if (parsed) return parsed;
  parsed = new PathParser(path).parseRooted();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(path, parsed);
  return parsed;
}

/** True when `path` can only name one node (what ASL calls a Reference Path). */
export function isReferencePath(path: string): boolean {
  try {
    return parsePath(path).definite;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

class PathParser {
  private i = 0;
  private fn: PathFunction | undefined;
  constructor(private readonly s: string) {}

  /** The trailing function the last parseSegments call found, if any (and forget it). */
  takeFunction(): PathFunction | undefined {
    const fn = this.fn;
    this.fn = undefined;
    return fn;
  }

  parseRooted(): ParsedPath {
    const s = this.s.trim();
    if (s !== this.s) return new PathParser(s).parseRooted();
    if (s[0] !== '$') throw new PathSyntaxError(s, "a path must start with '$'");
    let root: Root;
    if (s[1] === '$') {
      root = { kind: 'context' };
      this.i = 2;
    } else {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(s);
      if (m) {
        root = { kind: 'var', name: m[1] };
        this.i = m[0].length;
      } else {
        root = { kind: 'data' };
        this.i = 1;
      }
    }
    const segments = this.parseSegments(false);
    const fn = this.takeFunction();
    return { source: s, root, segments, definite: !fn && segments.every(isDefinite), fn };
  }

  /** Segments until the end (or, inside a filter, until something that is not a segment). */
  parseSegments(inFilter: boolean): Segment[] {
    const out: Segment[] = [];
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '.') {
        if (s[this.i + 1] === '.') {
          this.i += 2;
          let next: Segment;
          if (s[this.i] === '[') next = this.parseBracket();
          else if (s[this.i] === '*') {
            this.i++;
            next = { t: 'wild' };
          } else next = { t: 'name', names: [this.parseDotName()] };
          out.push({ t: 'desc', next });
        } else {
          this.i++;
          if (s[this.i] === '*') {
            this.i++;
            out.push({ t: 'wild' });
          } else if (s[this.i] === '[') {
            // "$.['a b']" is accepted by Jayway and shown in AWS's documentation.
            out.push(this.parseBracket());
          } else {
            const name = this.parseDotName();
            if (s.startsWith('()', this.i)) {
              // A function ends the path: "$.items.length()".
              if (!(PATH_FUNCTIONS as readonly string[]).includes(name)) {
                throw new PathSyntaxError(s, `the function ${name}() is not supported`);
              }
              this.i += 2;
              this.fn = name as PathFunction;
              if (this.i < s.length && !inFilter) {
                throw new PathSyntaxError(s, `a function must end the path, found '${s.slice(this.i)}'`);
              }
              break;
            }
            out.push({ t: 'name', names: [name] });
          }
        }
      } else if (c === '[') {
        out.push(this.parseBracket());
      } else if (inFilter) {
        break;
      } else {
        throw new PathSyntaxError(s, `unexpected '${c}' at position ${this.i}`);
      }
    }
    return out;
  }

  private parseDotName(): string {
    const s = this.s;
    const start = this.i;
    // Jayway reads a dot-notation name up to the next '.', '[', or (in filters) operator/space.
    while (this.i < s.length && !/[.[\]\s()=!<>&|,]/.test(s[this.i])) this.i++;
    if (this.i === start) throw new PathSyntaxError(s, `empty property name at position ${start}`);
    return s.slice(start, this.i);
  }

  private parseBracket(): Segment {
    const s = this.s;
    this.i++; // [
    this.skipWs();
    let seg: Segment;
    if (s[this.i] === '?') {
      this.i++;
      this.skipWs();
      if (s[this.i] !== '(') throw new PathSyntaxError(s, 'a filter must look like [?(...)]');
      this.i++;
      const expr = this.parseOr();
      this.skipWs();
      if (s[this.i] !== ')') throw new PathSyntaxError(s, `expected ')' at position ${this.i}`);
      this.i++;
      seg = { t: 'filter', expr };
    } else if (s[this.i] === '*') {
      this.i++;
      seg = { t: 'wild' };
    } else if (s[this.i] === "'" || s[this.i] === '"') {
      const names = [this.parseQuoted()];
      this.skipWs();
      while (s[this.i] === ',') {
        this.i++;
        this.skipWs();
        names.push(this.parseQuoted());
        this.skipWs();
      }
      seg = { t: 'name', names };
    } else {
      seg = this.parseIndexOrSlice();
    }
    this.skipWs();
    if (s[this.i] !== ']') throw new PathSyntaxError(s, `expected ']' at position ${this.i}`);
    this.i++;
    return seg;
  }

  private parseIndexOrSlice(): Segment {
    const s = this.s;
    const readInt = (): number | undefined => {
      this.skipWs();
      const m = /^-?\d+/.exec(s.slice(this.i));
      if (!m) return undefined;
      this.i += m[0].length;
      this.skipWs();
      return Number(m[0]);
    };
    const first = readInt();
    if (s[this.i] === ':') {
      this.i++;
      const end = readInt();
      let step: number | undefined;
      if (s[this.i] === ':') {
        this.i++;
        step = readInt();
      }
      if (step === 0) throw new PathSyntaxError(s, 'slice step cannot be 0');
      return { t: 'slice', start: first, end, step };
    }
    if (first === undefined) throw new PathSyntaxError(s, `expected an index at position ${this.i}`);
    const indexes = [first];
    while (s[this.i] === ',') {
      this.i++;
      const n = readInt();
      if (n === undefined) throw new PathSyntaxError(s, `expected an index at position ${this.i}`);
      indexes.push(n);
    }
    return { t: 'index', indexes };
  }

  private parseQuoted(): string {
    const s = this.s;
    const q = s[this.i];
    if (q !== "'" && q !== '"') throw new PathSyntaxError(s, `expected a quoted name at position ${this.i}`);
    this.i++;
    let out = '';
    while (this.i < s.length && s[this.i] !== q) {
      if (s[this.i] === '\\' && this.i + 1 < s.length) {
        out += s[this.i + 1];
        this.i += 2;
      } else out += s[this.i++];
    }
    if (s[this.i] !== q) throw new PathSyntaxError(s, 'unterminated quoted name');
    this.i++;
    return out;
  }

  private skipWs(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  // --- filter expressions: or := and ('||' and)* ; and := unary ('&&' unary)* -----------------

  private parseOr(): FilterExpr {
    let l = this.parseAnd();
    for (;;) {
      this.skipWs();
      if (!this.s.startsWith('||', this.i)) return l;
      this.i += 2;
      l = { k: 'or', l, r: this.parseAnd() };
    }
  }

  private parseAnd(): FilterExpr {
    let l = this.parseUnary();
    for (;;) {
      this.skipWs();
      if (!this.s.startsWith('&&', this.i)) return l;
      this.i += 2;
      l = { k: 'and', l, r: this.parseUnary() };
    }
  }

  private parseUnary(): FilterExpr {
    this.skipWs();
    const s = this.s;
    if (s[this.i] === '!' && s[this.i + 1] !== '=') {
      this.i++;
      return { k: 'not', e: this.parseUnary() };
    }
    if (s[this.i] === '(') {
      this.i++;
      const e = this.parseOr();
      this.skipWs();
      if (s[this.i] !== ')') throw new PathSyntaxError(s, `expected ')' at position ${this.i}`);
      this.i++;
      return e;
    }
    const l = this.parseOperand();
    this.skipWs();
    const m = /^(==|!=|<=|>=|<|>|=~|nin\b|in\b|subsetof\b|anyof\b|noneof\b|size\b|empty\b)/.exec(s.slice(this.i));
    if (!m) {
      return { k: 'exists', o: l };
    }
    this.i += m[0].length;
    const r = this.parseOperand();
    return { k: 'cmp', op: m[0], l, r };
  }

  private parseOperand(): Operand {
    this.skipWs();
    const s = this.s;
    const c = s[this.i];
    if (c === '@' || c === '$') {
      this.i++;
      const segments = this.parseSegments(true);
      const fn = this.takeFunction();
      return { k: 'path', rel: c === '@', segments, definite: !fn && segments.every(isDefinite), fn };
    }
    if (c === "'" || c === '"') return { k: 'lit', v: this.parseQuoted() };
    if (c === '/') {
      const m = /^\/((?:\\.|[^/\\])*)\/([a-z]*)/.exec(s.slice(this.i));
      if (!m) throw new PathSyntaxError(s, 'unterminated regular expression');
      this.i += m[0].length;
      return { k: 'regex', re: new RegExp(m[1], m[2].replace(/[^imsu]/g, '')) };
    }
    if (c === '[') {
      // A JSON array literal, for in / nin / subsetof / anyof / noneof.
      const end = findClosing(s, this.i, '[', ']');
      const text = s.slice(this.i, end + 1);
      this.i = end + 1;
      try {
        return { k: 'lit', v: JSON.parse(text.replace(/'((?:\\.|[^'\\])*)'/g, (_m, g: string) => JSON.stringify(g))) };
      } catch {
        throw new PathSyntaxError(s, `invalid array literal ${text}`);
      }
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true\b|false\b|null\b)/.exec(s.slice(this.i));
    if (!m) throw new PathSyntaxError(s, `unexpected '${c ?? 'end of path'}' in filter at position ${this.i}`);
    this.i += m[0].length;
    return { k: 'lit', v: JSON.parse(m[0]) };
  }
}

function findClosing(s: string, from: number, open: string, close: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return j;
  }
  throw new PathSyntaxError(s, `unbalanced '${open}'`);
}

function isDefinite(seg: Segment): boolean {
  return (seg.t === 'name' && seg.names.length === 1) || (seg.t === 'index' && seg.indexes.length === 1);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

const MISSING: unique symbol = Symbol('missing');
type Found = unknown | typeof MISSING;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasOwn(o: object, k: string): boolean {
  return Object.hasOwn(o, k);
}

/** Set a data property, even one named "__proto__" (a plain assignment would set the prototype). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Step a definite segment; MISSING when it does not apply. */
function stepDefinite(value: unknown, seg: Segment): Found {
  if (seg.t === 'name') {
    const k = (seg as { names: string[] }).names[0];
    return isObject(value) && hasOwn(value, k) ? value[k] : MISSING;
  }
  const n = (seg as { indexes: number[] }).indexes[0];
  if (!Array.isArray(value)) return MISSING;
  const idx = n < 0 ? value.length + n : n;
  return idx >= 0 && idx < value.length ? value[idx] : MISSING;
}

/** Apply one segment to every node, collecting matches (missing ones are skipped). */
function stepAll(nodes: unknown[], seg: Segment, root: unknown): unknown[] {
  const out: unknown[] = [];
  for (const v of nodes) {
    switch (seg.t) {
      case 'name':
        if (isObject(v)) for (const k of seg.names) if (hasOwn(v, k)) out.push(v[k]);
        break;
      case 'index':
        if (Array.isArray(v)) {
          for (const n of seg.indexes) {
            const idx = n < 0 ? v.length + n : n;
            if (idx >= 0 && idx < v.length) out.push(v[idx]);
          }
        }
        break;
      case 'wild':
        if (Array.isArray(v)) out.push(...v);
        else if (isObject(v)) out.push(...Object.values(v));
        break;
      case 'slice':
        if (Array.isArray(v)) out.push(...slice(v, seg.start, seg.end, seg.step));
        break;
      case 'filter': {
        const items = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
        for (const item of items) if (testFilter(seg.expr, item, root)) out.push(item);
        break;
      }
      case 'desc':
        for (const d of descendants(v)) out.push(...stepAll([d], seg.next, root));
        break;
    }
  }
  return out;
}

function slice(a: unknown[], start: number | undefined, end: number | undefined, step = 1): unknown[] {
  const len = a.length;
  const norm = (n: number) => (n < 0 ? Math.max(len + n, 0) : Math.min(n, len));
  const out: unknown[] = [];
  if (step > 0) {
    const s = start === undefined ? 0 : norm(start);
    const e = end === undefined ? len : norm(end);
    for (let i = s; i < e; i += step) out.push(a[i]);
  } else {
    const s = start === undefined ? len - 1 : Math.min(start < 0 ? len + start : start, len - 1);
    const e = end === undefined ? -1 : end < 0 ? Math.max(len + end, -1) : end;
    for (let i = s; i > e; i += step) out.push(a[i]);
  }
  return out;
}

/** The node itself and every node below it, document order (what `..` scans). */
function descendants(v: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (x: unknown) => {
    out.push(x);
    if (Array.isArray(x)) x.forEach(walk);
    else if (isObject(x)) Object.values(x).forEach(walk);
  };
  walk(v);
  return out;
}

function evalOperand(o: Operand, item: unknown, root: unknown): Found {
  if (o.k === 'lit') return o.v;
  if (o.k === 'regex') return o.re;
  const start = o.rel ? item : root;
  let selected: Found;
  if (o.segments.every(isDefinite)) {
    selected = start;
    for (const seg of o.segments) {
      selected = stepDefinite(selected, seg);
      if (selected === MISSING) return MISSING;
    }
  } else {
    selected = o.segments.reduce<unknown[]>((nodes, seg) => stepAll(nodes, seg, root), [start]);
  }
  if (!o.fn) return selected;
  try {
    return applyFunction(o.fn, selected, '@');
  } catch {
    return MISSING; // in a filter, a function that does not apply just fails the test
  }
}

function testFilter(e: FilterExpr, item: unknown, root: unknown): boolean {
  switch (e.k) {
    case 'or':
      return testFilter(e.l, item, root) || testFilter(e.r, item, root);
    case 'and':
      return testFilter(e.l, item, root) && testFilter(e.r, item, root);
    case 'not':
      return !testFilter(e.e, item, root);
    case 'exists': {
      const v = evalOperand(e.o, item, root);
      if (e.o.k === 'path' && !e.o.definite) return Array.isArray(v) && v.length > 0;
      return v !== MISSING;
    }
    case 'cmp':
      return compare(e.op, evalOperand(e.l, item, root), evalOperand(e.r, item, root));
  }
}

function compare(op: string, l: Found, r: Found): boolean {
  if (l === MISSING || r === MISSING) return op === '!=' && !(l === MISSING && r === MISSING);
  switch (op) {
    case '==':
      return deepEqual(l, r);
    case '!=':
      return !deepEqual(l, r);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      // Jayway orders numbers with numbers and strings with strings; any other pairing is false.
      if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) {
        return false;
      }
      if (op === '<') return l < r;
      if (op === '<=') return l <= r;
      if (op === '>') return l > r;
      return l >= r;
    }
    case '=~':
      return typeof l === 'string' && r instanceof RegExp && new RegExp(`^(?:${r.source})$`, r.flags).test(l);
    case 'in':
      return Array.isArray(r) && r.some((x) => deepEqual(x, l));
    case 'nin':
      return Array.isArray(r) && !r.some((x) => deepEqual(x, l));
    case 'subsetof':
      return Array.isArray(l) && Array.isArray(r) && l.every((x) => r.some((y) => deepEqual(x, y)));
    case 'anyof':
      return Array.isArray(l) && Array.isArray(r) && l.some((x) => r.some((y) => deepEqual(x, y)));
    case 'noneof':
      return Array.isArray(l) && Array.isArray(r) && !l.some((x) => r.some((y) => deepEqual(x, y)));
    case 'size':
      return typeof r === 'number' && (Array.isArray(l) || typeof l === 'string') && l.length === r;
    case 'empty':
      return typeof r === 'boolean' && (Array.isArray(l) || typeof l === 'string') && (l.length === 0) === r;
    default:
      return false;
  }
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}

/** Jayway's canonical form of a path, as AWS quotes it in error causes: $['a']['b'][0]. */
export function canonicalPath(p: ParsedPath): string {
  const root = p.root.kind === 'context' ? '$$' : p.root.kind === 'var' ? `$${p.root.name}` : '$';
  return root + p.segments.map(canonicalSegment).join('') + (p.fn ? `.${p.fn}()` : '');
}

function canonicalSegment(seg: Segment): string {
  switch (seg.t) {
    case 'name':
      return `[${seg.names.map((n) => `'${n}'`).join(',')}]`;
    case 'index':
      return `[${seg.indexes.join(',')}]`;
    case 'wild':
      return '[*]';
    case 'slice':
      return `[${seg.start ?? ''}:${seg.end ?? ''}${seg.step !== undefined ? `:${seg.step}` : ''}]`;
    case 'filter':
      return '[?]';
    case 'desc':
      return `..${canonicalSegment(seg.next)}`;
  }
}

function rootValue(p: ParsedPath, data: unknown, opts: PathOptions | undefined): unknown {
  switch (p.root.kind) {
    case 'data':
      return data;
    case 'context':
      if (opts?.context === undefined) {
        throw new StatesError(StatesErrors.Runtime, `Invalid path '${p.source}': no context object is available`);
      }
      return opts.context;
    case 'var': {
      const vars = opts?.vars;
      if (!vars || !hasOwn(vars, p.root.name)) {
        throw new StatesError(StatesErrors.Runtime, `Invalid path '${p.source}': the variable '${p.root.name}' is not defined`);
      }
      return vars[p.root.name];
    }
  }
}

/**
 * Evaluate a JSONPath (ASL "Path" or "Reference Path") against data.
 * Definite paths throw StatesError('States.Runtime') when nothing matches, with the cause AWS
 * gives ("Invalid path '$.x' : No results for path: $['x']"); indefinite paths return an array.
 */
export function queryPath(path: string, data: unknown, opts?: PathOptions): unknown {
  const p = parsePath(path);
  if (p.fn) {
    const inner: ParsedPath = { ...p, fn: undefined, definite: p.segments.every(isDefinite) };
    return applyFunction(p.fn, evaluate(inner, data, opts), p.source);
  }
  return evaluate(p, data, opts);
}

function evaluate(p: ParsedPath, data: unknown, opts: PathOptions | undefined): unknown {
  const start = rootValue(p, data, opts);
  if (p.definite) {
    let cur: Found = start;
    for (const seg of p.segments) {
      cur = stepDefinite(cur, seg);
      if (cur === MISSING) {
        throw new StatesError(StatesErrors.Runtime, `Invalid path '${p.source}' : No results for path: ${canonicalPath(p)}`);
      }
    }
    return cur;
  }
  const root = start;
  return p.segments.reduce<unknown[]>((nodes, seg) => stepAll(nodes, seg, root), [start]);
}

/** Jayway's path functions, applied to the value (or, for indefinite paths, the array) selected. */
function applyFunction(fn: PathFunction, v: unknown, source: string): unknown {
  const bad = (why: string): never => {
    throw new StatesError(StatesErrors.Runtime, `Invalid path '${source}': ${fn}() ${why}`);
  };
  switch (fn) {
    case 'length':
    case 'size':
      if (Array.isArray(v) || typeof v === 'string') return v.length;
      if (isObject(v)) return Object.keys(v).length;
      return bad('needs an array, a string or an object');
    case 'keys':
      return isObject(v) ? Object.keys(v) : bad('needs an object');
    case 'first':
    case 'last':
      if (!Array.isArray(v) || v.length === 0) return bad('needs a non-empty array');
      return fn === 'first' ? v[0] : v[v.length - 1];
    default: {
      if (!Array.isArray(v)) return bad('needs an array of numbers');
      const nums = v.filter((x): x is number => typeof x === 'number');
      if (nums.length === 0) return bad('needs at least one number');
      const sum = nums.reduce((a, b) => a + b, 0);
      if (fn === 'sum') return sum;
      if (fn === 'min') return Math.min(...nums);
      if (fn === 'max') return Math.max(...nums);
      const avg = sum / nums.length;
      if (fn === 'avg') return avg;
      return Math.sqrt(nums.reduce((a, b) => a + (b - avg) ** 2, 0) / nums.length);
    }
  }
}

/** Like queryPath, but reports "no match" as `found: false` instead of throwing (for IsPresent). */
export function tryQueryPath(path: string, data: unknown, opts?: PathOptions): { found: true; value: unknown } | { found: false } {
  const p = parsePath(path);
  if (!p.definite) {
    try {
      return { found: true, value: queryPath(path, data, opts) };
    } catch (e) {
      if (e instanceof PathSyntaxError) throw e;
      return { found: false };
    }
  }
  let cur: Found;
  try {
    cur = rootValue(p, data, opts);
  } catch {
    return { found: false };
  }
  for (const seg of p.segments) {
    cur = stepDefinite(cur, seg);
    if (cur === MISSING) return { found: false };
  }
  return { found: true, value: cur };
}

/** InputPath / OutputPath: absent => the input, null => {} (AWS discards it), else the path. */
export function selectPath(path: string | null | undefined, input: unknown, opts?: PathOptions): unknown {
  if (path === undefined) return input;
  if (path === null) return {};
  return queryPath(path, input, opts);
}

// ---------------------------------------------------------------------------------------------
// ResultPath

/**
 * ResultPath semantics: null => input unchanged (result discarded); "$" => the result;
 * "$.a.b" => a copy of input with a.b set, creating objects on the way.
 * Throws StatesError('States.ResultPathMatchFailure') when the path cannot be applied to the
 * input (input or an intermediate value is not an object). Never mutates its arguments.
 */
export function applyResultPath(input: unknown, resultPath: string | null | undefined, result: unknown): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined) return result;
  const p = parsePath(resultPath);
  if (p.root.kind !== 'data' || !p.definite) {
    throw new StatesError(StatesErrors.Runtime, `Invalid ResultPath '${resultPath}': it must be a reference path starting with '$'`);
  }
  if (p.segments.length === 0) return result;
  const fail = (): never => {
    throw new StatesError(
      StatesErrors.ResultPathMatchFailure,
      `Unable to apply ResultPath '${resultPath}' to input ${truncatedJson(input)}`,
    );
  };
  const set = (node: unknown, i: number): unknown => {
    const seg = p.segments[i];
    const last = i === p.segments.length - 1;
    if (seg.t === 'name') {
      const k = seg.names[0];
      if (!isObject(node)) return fail();
      const child = hasOwn(node, k) ? node[k] : undefined;
      // Missing intermediate fields are created as objects; existing non-objects cannot be entered.
      const next = last ? result : set(child === undefined ? {} : child, i + 1);
      const copy: Record<string, unknown> = { ...node };
      setOwn(copy, k, next);
      return copy;
    }
    if (seg.t === 'index') {
      if (!Array.isArray(node)) return fail();
      const n = seg.indexes[0];
      const idx = n < 0 ? node.length + n : n;
      if (idx < 0 || idx >= node.length) return fail();
      const copy = node.slice();
      copy[idx] = last ? result : set(node[idx], i + 1);
      return copy;
    }
    return fail();
  };
  return set(input, 0);
}

export function truncatedJson(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 256 ? `${s.slice(0, 256)}...` : s;
}
