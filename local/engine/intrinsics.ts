/**
 * Intrinsic functions for JSONPath-mode states (`States.Format(...)` and the rest), as listed on
 * "Intrinsic functions for JSONPath states in Step Functions":
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 *
 * An invocation string is parsed into a small tree (string/number/boolean/null literals, paths,
 * nested calls), evaluated bottom-up, and any argument the function cannot use fails with
 * StatesError('States.IntrinsicFailure'). Paths resolve through jsonpath.ts, so a path that
 * matches nothing fails with States.Runtime as it does elsewhere.
 */
import { createHash, randomUUID } from 'node:crypto';
import { StatesError, StatesErrors } from './errors';
import { deepEqual, type PathOptions, parsePath, queryPath } from './jsonpath';

export interface IntrinsicOptions extends PathOptions {
  /** Source of randomness for States.MathRandom without a seed, in [0, 1). Default Math.random. */
  random?: () => number;
  /** Source of States.UUID values. Default crypto.randomUUID. */
  uuid?: () => string;
}

/** AWS allows up to 10 intrinsic functions nested within one field. */
const MAX_NESTING = 10;
/** Input limit AWS documents for Base64Encode, Base64Decode and Hash. */
const MAX_CHARS = 10_000;
/** States.ArrayRange may build at most 1000 items. */
const MAX_RANGE_ITEMS = 1000;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const PLACEHOLDER: unique symbol = Symbol('placeholder');

type Arg =
  | { k: 'lit'; v: unknown; fmt?: Array<string | typeof PLACEHOLDER> }
  | { k: 'path'; path: string }
  | { k: 'call'; name: string; args: Arg[] };

function fail(message: string): never {
  throw new StatesError(StatesErrors.IntrinsicFailure, message);
}

/** True when the string is an intrinsic invocation (`States.Name(...)`). */
export function isIntrinsic(value: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Parser

class IntrinsicParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Arg {
    this.ws();
    const call = this.call(1);
    this.ws();
    if (this.i !== this.s.length) fail(`Unexpected '${this.s.slice(this.i)}' after the intrinsic function in '${this.s}'`);
    return call;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private call(depth: number): Arg {
    if (depth > MAX_NESTING) fail(`More than ${MAX_NESTING} nested intrinsic functions in '${this.s}'`);
    const m = /^States\.([A-Za-z0-9]+)\s*\(/.exec(this.s.slice(this.i));
    if (!m) fail(`Expected an intrinsic function at position ${this.i} of '${this.s}'`);
    this.i += m[0].length;
    const args: Arg[] = [];
    this.ws();
    if (this.s[this.i] === ')') {
      this.i++;
      return { k: 'call', name: m[1], args };
    }
    for (;;) {
      this.ws();
      args.push(this.arg(depth));
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ')') {
        this.i++;
        return { k: 'call', name: m[1], args };
      }
      fail(`Expected ',' or ')' at position ${this.i} of '${this.s}'`);
    }
  }

  private arg(depth: number): Arg {
    const s = this.s;
    const c = s[this.i];
    if (c === "'") return this.stringLiteral();
    if (c === '$') return { k: 'path', path: this.pathText() };
    if (s.startsWith('States.', this.i)) return this.call(depth + 1);
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?=\s*[,)])/.exec(s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      return { k: 'lit', v: JSON.parse(m[1]) };
    }
    return fail(`Invalid argument at position ${this.i} of '${s}'`);
  }

  /**
   * A single-quoted literal. Reserved characters are escaped with a backslash: \' \{ \} \\ ;
   * any other backslash is an "open escape", which AWS rejects. Unescaped "{}" pairs are kept as
   * placeholders for States.Format.
   */
  private stringLiteral(): Arg {
    const s = this.s;
    this.i++; // opening quote
    let value = '';
    let text = '';
    const fmt: Array<string | typeof PLACEHOLDER> = [];
    for (;;) {
      if (this.i >= s.length) fail(`Unterminated string literal in '${s}'`);
      const c = s[this.i];
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === undefined || !"'{}\\".includes(n)) {
          fail(`Invalid escape sequence '\\${n ?? ''}' in '${s}': only \\', \\{, \\} and \\\\ are allowed`);
        }
        value += n;
        text += n;
        this.i += 2;
      } else if (c === "'") {
        this.i++;
        break;
      } else if (c === '{' && s[this.i + 1] === '}') {
        value += '{}';
        fmt.push(text, PLACEHOLDER);
        text = '';
        this.i += 2;
      } else {
        if (c === '{' || c === '}') {
          // Only meaningful to States.Format (checked there); elsewhere it is kept as written.
          fmt.push(text, c === '{' ? '\u0000{' : '\u0000}');
          text = '';
        } else text += c;
        value += c;
        this.i++;
      }
    }
    fmt.push(text);
    return { k: 'lit', v: value, fmt };
  }

  /** A path argument runs to the next ',' or ')' outside brackets, parentheses and quotes. */
  private pathText(): string {
    const s = this.s;
    const start = this.i;
    let depth = 0;
    let quote: string | undefined;
    for (; this.i < s.length; this.i++) {
      const c = s[this.i];
      if (quote) {
        if (c === '\\') this.i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    return s.slice(start, this.i).trim();
  }
}

const parsedCache = new Map<string, Arg>();

function parseIntrinsic(expression: string): Arg {
  let tree = parsedCache.get(expression);
  if (!tree) {
    tree = new IntrinsicParser(expression).parse();
    if (parsedCache.size >= 10_000) parsedCache.clear();
    parsedCache.set(expression, tree);
  }
  return tree;
}

/**
 * Check an invocation without evaluating it (for definition validation): syntax, nesting depth,
 * known function names, argument counts, and the syntax of path arguments.
 * Throws StatesError('States.IntrinsicFailure') or, for a bad path, States.Runtime.
 */
export function checkIntrinsicSyntax(expression: string): void {
  const walk = (arg: Arg): void => {
    if (arg.k === 'path') parsePath(arg.path);
    if (arg.k !== 'call') return;
    const [min, max] = ARITY[arg.name] ?? fail(`Unknown intrinsic function States.${arg.name}`);
    if (arg.args.length < min || arg.args.length > max) arity(arg.name, arg.args, min, max);
    arg.args.forEach(walk);
  };
  walk(parseIntrinsic(expression.trim()));
}

/** Argument counts, for checkIntrinsicSyntax (the implementations check them again at run time). */
const ARITY: Record<string, [number, number]> = {
  Format: [1, Infinity],
  StringToJson: [1, 1],
  JsonToString: [1, 1],
  Array: [0, Infinity],
  ArrayPartition: [2, 2],
  ArrayContains: [2, 2],
  ArrayRange: [3, 3],
  ArrayGetItem: [2, 2],
  ArrayLength: [1, 1],
  ArrayUnique: [1, 1],
  Base64Encode: [1, 1],
  Base64Decode: [1, 1],
  Hash: [2, 2],
  JsonMerge: [3, 3],
  MathRandom: [2, 3],
  MathAdd: [2, 2],
  StringSplit: [2, 2],
  UUID: [0, 0],
};

// ---------------------------------------------------------------------------------------------
// Evaluation

/**
 * Evaluate one intrinsic function expression, e.g. `States.Format('Hi {}', $.name)`.
 * Throws StatesError('States.IntrinsicFailure') for malformed invocations and invalid arguments.
 */
export function evaluateIntrinsic(expression: string, input: unknown, opts?: IntrinsicOptions): unknown {
  return evalArg(parseIntrinsic(expression.trim()), input, opts ?? {});
}

function evalArg(arg: Arg, input: unknown, opts: IntrinsicOptions): unknown {
  switch (arg.k) {
    case 'lit':
      return arg.v;
    case 'path':
      return queryPath(arg.path, input, opts);
    case 'call': {
      const fn = FUNCTIONS[arg.name];
      if (!fn) fail(`Unknown intrinsic function States.${arg.name}`);
      const values = arg.args.map((a) => evalArg(a, input, opts));
      return fn(values, arg.args, opts);
    }
  }
}

type Impl = (values: unknown[], args: Arg[], opts: IntrinsicOptions) => unknown;

function arity(name: string, values: readonly unknown[], min: number, max = min): void {
  if (values.length < min || values.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    fail(`States.${name} takes ${want} argument(s), but ${values.length} were given`);
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Java's Math.round (half up), which AWS applies to non-integer integer arguments. */
const javaRound = (n: number): number => Math.floor(n + 0.5);

function integerArg(name: string, what: string, v: unknown): number {
  if (!isNumber(v)) fail(`States.${name}: the ${what} must be a number, got ${describe(v)}`);
  return Number.isInteger(v) ? v : javaRound(v);
}

function int32Arg(name: string, what: string, v: unknown): number {
  const n = integerArg(name, what, v);
  if (n < INT_MIN || n > INT_MAX) fail(`States.${name}: the ${what} must be between ${INT_MIN} and ${INT_MAX}, got ${n}`);
  return n;
}

function arrayArg(name: string, what: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) fail(`States.${name}: the ${what} must be an array, got ${describe(v)}`);
  return v;
}

function stringArg(name: string, what: string, v: unknown): string {
  if (typeof v !== 'string') fail(`States.${name}: the ${what} must be a string, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 100 ? `${s.slice(0, 100)}...` : s;
}

/**
 * How States.Format renders a value: strings as they are, other scalars as JSON. The
 * specification forbids objects and arrays here, but AWS accepts them and prints Java's
 * Map/List form ({a=1, b=[x, y]}); LocalStack's parity tests record the same.
 */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (isPlainObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${formatValue(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v) ?? 'null';
}

const FUNCTIONS: Record<string, Impl> = {
  Format(values, args) {
    if (values.length < 1) fail('States.Format takes at least 1 argument');
    const template = stringArg('Format', 'first argument', values[0]);
    const first = args[0];
    // A literal template honours escapes (\{ is a brace, not a placeholder); a template read
    // from a path is plain text in which every "{}" is a placeholder.
    let parts: Array<string | typeof PLACEHOLDER>;
    if (first.k === 'lit' && first.fmt) {
      if (first.fmt.some((p) => typeof p === 'string' && p.startsWith('\u0000'))) {
        fail(`States.Format: unescaped '{' or '}' in '${template}' (escape it as \\{ or \\})`);
      }
      parts = first.fmt;
    } else {
      parts = [];
      template.split('{}').forEach((t, i) => {
        if (i === 0) parts.push(t);
        else parts.push(PLACEHOLDER, t);
      });
    }
    const slots = parts.filter((p) => p === PLACEHOLDER).length;
    if (slots !== values.length - 1) {
      fail(`States.Format: the template has ${slots} placeholder(s) but ${values.length - 1} value(s) were given`);
    }
    let n = 1;
    return parts.map((p) => (p === PLACEHOLDER ? formatValue(values[n++]) : p)).join('');
  },

  StringToJson(values) {
    arity('StringToJson', values, 1);
    const s = stringArg('StringToJson', 'argument', values[0]);
    try {
      return JSON.parse(s);
    } catch {
      return fail(`States.StringToJson: the argument is not valid JSON: ${describe(s)}`);
    }
  },

  JsonToString(values) {
    arity('JsonToString', values, 1);
    // AWS serialises compactly: {"foo":"bar"}, no spaces.
    return JSON.stringify(values[0]);
  },

  Array(values) {
    return values;
  },

  ArrayPartition(values) {
    arity('ArrayPartition', values, 2);
    const a = arrayArg('ArrayPartition', 'first argument', values[0]);
    const size = integerArg('ArrayPartition', 'chunk size', values[1]);
    if (size <= 0) fail(`States.ArrayPartition: the chunk size must be a positive integer, got ${size}`);
    const out: unknown[][] = [];
    for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
    return out;
  },

  ArrayContains(values) {
    arity('ArrayContains', values, 2);
    const a = arrayArg('ArrayContains', 'first argument', values[0]);
    return a.some((x) => deepEqual(x, values[1]));
  },

  ArrayRange(values) {
    arity('ArrayRange', values, 3);
    const start = integerArg('ArrayRange', 'first argument', values[0]);
    const end = integerArg('ArrayRange', 'second argument', values[1]);
    const step = integerArg('ArrayRange', 'third argument', values[2]);
    if (step === 0) fail('States.ArrayRange: the third argument (the increment) must not be 0');
    const count = (end - start) / step < 0 ? 0 : Math.floor((end - start) / step) + 1;
    if (count > MAX_RANGE_ITEMS) {
      fail(`States.ArrayRange: the range would contain ${count} items; at most ${MAX_RANGE_ITEMS} are allowed`);
    }
    return Array.from({ length: count }, (_, i) => start + i * step);
  },

  ArrayGetItem(values) {
    arity('ArrayGetItem', values, 2);
    const a = arrayArg('ArrayGetItem', 'first argument', values[0]);
    const idx = values[1];
    if (!isNumber(idx) || !Number.isInteger(idx)) fail(`States.ArrayGetItem: the index must be an integer, got ${describe(idx)}`);
    if (idx < 0 || idx >= a.length) fail(`States.ArrayGetItem: index ${idx} is out of bounds for an array of length ${a.length}`);
    return a[idx];
  },

  ArrayLength(values) {
    arity('ArrayLength', values, 1);
    return arrayArg('ArrayLength', 'argument', values[0]).length;
  },

  ArrayUnique(values) {
    arity('ArrayUnique', values, 1);
    const a = arrayArg('ArrayUnique', 'argument', values[0]);
    const out: unknown[] = [];
    for (const x of a) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  },

  Base64Encode(values) {
    arity('Base64Encode', values, 1);
    const s = stringArg('Base64Encode', 'argument', values[0]);
    if (s.length > MAX_CHARS) fail(`States.Base64Encode: the input has ${s.length} characters; at most ${MAX_CHARS} are allowed`);
    return Buffer.from(s, 'utf8').toString('base64');
  },

  Base64Decode(values) {
    arity('Base64Decode', values, 1);
    const s = stringArg('Base64Decode', 'argument', values[0]);
    if (s.length > MAX_CHARS) fail(`States.Base64Decode: the input has ${s.length} characters; at most ${MAX_CHARS} are allowed`);
    // Node's decoder silently skips invalid characters; AWS rejects them, so check first.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) fail(`States.Base64Decode: the input is not valid Base64: ${describe(s)}`);
    return Buffer.from(s, 'base64').toString('utf8');
  },

  Hash(values) {
    arity('Hash', values, 2);
    const data = stringArg('Hash', 'data to hash', values[0]);
    if (data.length > MAX_CHARS) fail(`States.Hash: the input has ${data.length} characters; at most ${MAX_CHARS} are allowed`);
    const algorithm = values[1];
    const node = typeof algorithm === 'string' ? HASHES[algorithm] : undefined;
    if (!node) fail(`States.Hash: the algorithm must be one of ${Object.keys(HASHES).join(', ')}, got ${describe(algorithm)}`);
    return createHash(node).update(data, 'utf8').digest('hex');
  },

  JsonMerge(values) {
    arity('JsonMerge', values, 3);
    const [a, b, deep] = values;
    if (!isPlainObject(a)) fail(`States.JsonMerge: the first argument must be a JSON object, got ${describe(a)}`);
    if (!isPlainObject(b)) fail(`States.JsonMerge: the second argument must be a JSON object, got ${describe(b)}`);
    if (typeof deep !== 'boolean') fail(`States.JsonMerge: the third argument must be a boolean, got ${describe(deep)}`);
    // AWS supports shallow merging only: the third argument must be false.
    if (deep) fail('States.JsonMerge: deep merging is not supported; the third argument must be false');
    return { ...a, ...b };
  },

  MathRandom(values, _args, opts) {
    arity('MathRandom', values, 2, 3);
    const start = int32Arg('MathRandom', 'start', values[0]);
    const end = int32Arg('MathRandom', 'end', values[1]);
    if (end <= start) fail(`States.MathRandom: the end (${end}) must be greater than the start (${start})`);
    // The start is inclusive and the end exclusive.
    const span = end - start;
    if (span > INT_MAX) fail(`States.MathRandom: the range ${start}..${end} is wider than ${INT_MAX}`);
    if (values.length === 3) {
      const seed = integerArg('MathRandom', 'seed', values[2]);
      return start + new JavaRandom(seed).nextInt(span);
    }
    const r = (opts.random ?? Math.random)();
    return start + Math.min(span - 1, Math.floor(r * span));
  },

  MathAdd(values) {
    arity('MathAdd', values, 2);
    return int32Arg('MathAdd', 'first argument', values[0]) + int32Arg('MathAdd', 'second argument', values[1]);
  },

  StringSplit(values) {
    arity('StringSplit', values, 2);
    const s = stringArg('StringSplit', 'first argument', values[0]);
    const delims = stringArg('StringSplit', 'second argument (the delimiting characters)', values[1]);
    // Every character of the second argument is a delimiter ("This.is+a,test=string" split
    // on ".+,=" gives five words), and empty pieces are dropped.
    if (delims.length === 0) return s.length ? [s] : [];
    const out: string[] = [];
    let cur = '';
    for (const ch of s) {
      if (delims.includes(ch)) {
        if (cur) out.push(cur);
        cur = '';
      } else cur += ch;
    }
    if (cur) out.push(cur);
    return out;
  },

  UUID(values, _args, opts) {
    arity('UUID', values, 0);
    return (opts.uuid ?? randomUUID)();
  },
};

const HASHES: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** java.util.Random (48-bit LCG), so a seeded MathRandom is repeatable like the JVM's. */
class JavaRandom {
  private seed: bigint;
  private static readonly MULT = 0x5deece66dn;
  private static readonly MASK = (1n << 48n) - 1n;

  constructor(seed: number) {
    this.seed = (BigInt(seed) ^ JavaRandom.MULT) & JavaRandom.MASK;
  }

  private next(bits: number): number {
    this.seed = (this.seed * JavaRandom.MULT + 0xbn) & JavaRandom.MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  nextInt(bound: number): number {
    if ((bound & -bound) === bound) {
      return Number((BigInt(bound) * BigInt(this.next(31))) >> 31n);
    }
    let bits: number;
    let val: number;
    do {
      bits = this.next(31);
      val = bits % bound;
    } while (bits - val + (bound - 1) > INT_MAX);
    return val;
  }
}
