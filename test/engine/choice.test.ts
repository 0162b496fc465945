import { describe, expect, it } from 'vitest';
import { StatesError } from '../../local/engine';
import { evaluateChoiceRule, matchesPattern, parseTimestamp, timestampToMillis } from '../../local/engine/choice';

function statesError(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError, but nothing was thrown');
}

type Rule = Record<string, unknown>;
const rule = (r: Rule, input: unknown, opts?: Parameters<typeof evaluateChoiceRule>[2]) => evaluateChoiceRule(r, input, opts);

/** The first Choices[] element that matches, as the interpreter will pick it. */
function pick(choices: Rule[], input: unknown): string | undefined {
  return choices.find((c) => evaluateChoiceRule(c, input))?.Next as string | undefined;
}

describe('Choice examples of the AWS guide and the ASL specification', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html and
  // https://states-language.net/spec.html#choice-state
  const choices: Rule[] = [
    { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
    { Variable: '$.value', NumericEquals: 0, Next: 'ValueIsZero' },
    {
      And: [
        { Variable: '$.value', NumericGreaterThanEquals: 20 },
        { Variable: '$.value', NumericLessThan: 30 },
      ],
      Next: 'ValueInTwenties',
    },
  ];

  it('routes {"type": "Private", "value": 22} to ValueInTwenties', () => {
    expect(pick(choices, { type: 'Private', value: 22 })).toBe('ValueInTwenties');
  });

  it('routes a non-private type to Public, and 0 to ValueIsZero', () => {
    expect(pick(choices, { type: 'Public', value: 22 })).toBe('Public');
    expect(pick(choices, { type: 'Private', value: 0 })).toBe('ValueIsZero');
  });

  it('fails when the input lacks $.type ("the execution fails", says the guide)', () => {
    const err = statesError(() => pick(choices, { value: 22 }));
    expect(err.error).toBe('States.Runtime');
  });

  it('matches none for a value outside every rule (the state then uses Default)', () => {
    expect(pick(choices, { type: 'Private', value: 35 })).toBeUndefined();
  });

  it('guards a comparison with IsPresent and compares to another field with ...Path', () => {
    // The specification's example: rating present and greater than auditThreshold.
    const audit: Rule = {
      And: [
        { Variable: '$.rating', IsPresent: true },
        { Variable: '$.rating', NumericGreaterThanPath: '$.auditThreshold' },
      ],
      Next: 'StartAudit',
    };
    expect(rule(audit, { rating: 53, auditThreshold: 50 })).toBe(true);
    expect(rule(audit, { rating: 47, auditThreshold: 50 })).toBe(false);
    expect(rule(audit, { auditThreshold: 50 })).toBe(false); // And stops before the missing field
  });

  it('combines type tests (specification: IsPresent, IsNumeric, range)', () => {
    const twenties: Rule = {
      And: [
        { Variable: '$.value', IsPresent: true },
        { Variable: '$.value', IsNumeric: true },
        { Variable: '$.value', NumericGreaterThanEquals: 20 },
        { Variable: '$.value', NumericLessThan: 30 },
      ],
    };
    expect(rule(twenties, { value: 25 })).toBe(true);
    expect(rule(twenties, { value: '25' })).toBe(false);
    expect(rule(twenties, {})).toBe(false);
  });
});

describe('string comparisons', () => {
  const input = { s: 'mango', other: 'mango', later: 'peach' };

  it('StringEquals and StringEqualsPath', () => {
    expect(rule({ Variable: '$.s', StringEquals: 'mango' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringEquals: 'Mango' }, input)).toBe(false);
    expect(rule({ Variable: '$.s', StringEqualsPath: '$.other' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringEqualsPath: '$.later' }, input)).toBe(false);
  });

  it('orders strings lexically', () => {
    expect(rule({ Variable: '$.s', StringLessThan: 'peach' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringLessThan: 'mango' }, input)).toBe(false);
    expect(rule({ Variable: '$.s', StringGreaterThan: 'apple' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringLessThanEquals: 'mango' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringGreaterThanEquals: 'mango' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringGreaterThanEquals: 'mangoes' }, input)).toBe(false);
    expect(rule({ Variable: '$.s', StringLessThanPath: '$.later' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringGreaterThanPath: '$.later' }, input)).toBe(false);
    expect(rule({ Variable: '$.s', StringLessThanEqualsPath: '$.other' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringGreaterThanEqualsPath: '$.other' }, input)).toBe(true);
    expect(rule({ Variable: '$.s', StringGreaterThan: 'Zebra' }, input)).toBe(true); // 'm' > 'Z' by code point
  });

  it("orders by UTF-16 code units, as Java's String.compareTo does (the guide points to it)", () => {
    // U+FFFF sorts after U+1F600, whose first UTF-16 unit is 0xD83D; code-point order says the opposite.
    expect(rule({ Variable: '$.s', StringGreaterThan: '\u{1F600}' }, { s: '\uFFFF' })).toBe(true);
    expect(rule({ Variable: '$.s', StringLessThan: 'a' }, { s: '' })).toBe(true);
  });

  it('lets StringEquals match a timestamp, which is a string', () => {
    // "timestamp fields are logically strings ... can be matched by a StringEquals comparator"
    expect(rule({ Variable: '$.foo', StringEquals: '2001-01-01T12:00:00Z' }, { foo: '2001-01-01T12:00:00Z' })).toBe(true);
  });

  it('is false, not an error, for a non-string variable or operand', () => {
    expect(rule({ Variable: '$.n', StringEquals: '1' }, { n: 1 })).toBe(false);
    expect(rule({ Variable: '$.n', StringLessThan: 'z' }, { n: null })).toBe(false);
    expect(rule({ Variable: '$.s', StringEqualsPath: '$.n' }, { s: '1', n: 1 })).toBe(false);
  });
});

describe('StringMatches', () => {
  it('matches * wildcards', () => {
    // The guide's example pattern "log-*.txt".
    expect(rule({ Variable: '$.foo', StringMatches: 'log-*.txt' }, { foo: 'log-2019-01-01.txt' })).toBe(true);
    expect(rule({ Variable: '$.foo', StringMatches: 'log-*.txt' }, { foo: 'log-.txt' })).toBe(true);
    expect(rule({ Variable: '$.foo', StringMatches: 'log-*.txt' }, { foo: 'log-1.txt.gz' })).toBe(false);
    expect(rule({ Variable: '$.foo', StringMatches: '*' }, { foo: '' })).toBe(true);
    expect(rule({ Variable: '$.foo', StringMatches: 'a*b*c' }, { foo: 'aXXbYYc' })).toBe(true);
  });

  it('treats \\* as a literal star and \\\\ as a literal backslash', () => {
    // In the JSON definition these are written "\\*" and "\\\\".
    expect(matchesPattern('5*3', '5\\*3')).toBe(true);
    expect(matchesPattern('5x3', '5\\*3')).toBe(false);
    expect(matchesPattern('a\\b', 'a\\\\b')).toBe(true);
    expect(matchesPattern('a\\bcd', 'a\\\\b*')).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(matchesPattern('a.c', 'a.c')).toBe(true);
    expect(matchesPattern('abc', 'a.c')).toBe(false);
    expect(matchesPattern('(x)+[y]', '(x)+[y]')).toBe(true);
    expect(matchesPattern('line1\nline2', 'line1*')).toBe(true);
  });

  it('is false for a non-string variable', () => {
    expect(rule({ Variable: '$.n', StringMatches: '*' }, { n: 5 })).toBe(false);
  });
});

describe('numeric comparisons', () => {
  const input = { n: 10, same: 10, big: 20.5, str: '10' };

  it('compares numbers, integers and decimals alike', () => {
    expect(rule({ Variable: '$.n', NumericEquals: 10 }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericEquals: 10.0 }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericLessThan: 10.5 }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericGreaterThan: 9.99 }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericGreaterThan: 10 }, input)).toBe(false);
    expect(rule({ Variable: '$.n', NumericLessThanEquals: 10 }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericGreaterThanEquals: 11 }, input)).toBe(false);
  });

  it('compares with another field through ...Path', () => {
    expect(rule({ Variable: '$.n', NumericEqualsPath: '$.same' }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericLessThanPath: '$.big' }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericGreaterThanPath: '$.big' }, input)).toBe(false);
    expect(rule({ Variable: '$.n', NumericLessThanEqualsPath: '$.same' }, input)).toBe(true);
    expect(rule({ Variable: '$.n', NumericGreaterThanEqualsPath: '$.big' }, input)).toBe(false);
  });

  it('is false, not an error, for a numeric string or a boolean', () => {
    expect(rule({ Variable: '$.str', NumericEquals: 10 }, input)).toBe(false);
    expect(rule({ Variable: '$.b', NumericEquals: 1 }, { b: true })).toBe(false);
    expect(rule({ Variable: '$.n', NumericEqualsPath: '$.str' }, input)).toBe(false);
  });
});

describe('boolean comparisons', () => {
  it('BooleanEquals and BooleanEqualsPath', () => {
    expect(rule({ Variable: '$.ok', BooleanEquals: true }, { ok: true })).toBe(true);
    expect(rule({ Variable: '$.ok', BooleanEquals: false }, { ok: true })).toBe(false);
    expect(rule({ Variable: '$.ok', BooleanEqualsPath: '$.expected' }, { ok: false, expected: false })).toBe(true);
  });

  it('is false for "true" as a string', () => {
    expect(rule({ Variable: '$.ok', BooleanEquals: true }, { ok: 'true' })).toBe(false);
  });
});

describe('timestamp comparisons', () => {
  it('parses the RFC 3339 profile the specification requires', () => {
    // Spec example: "2016-03-14T01:59:00Z".
    expect(parseTimestamp('2016-03-14T01:59:00Z')).toEqual({ epochSeconds: 1457920740, nanos: 0 });
    expect(parseTimestamp('2016-03-14T01:59:00.123456789Z')).toEqual({ epochSeconds: 1457920740, nanos: 123456789 });
    expect(parseTimestamp('2016-03-14T09:59:00+08:00')).toEqual({ epochSeconds: 1457920740, nanos: 0 });
    expect(timestampToMillis('2016-03-14T01:59:00.5Z')).toBe(1457920740500);
  });

  it('rejects lowercase t/z, missing zones, and impossible dates', () => {
    expect(parseTimestamp('2016-03-14t01:59:00Z')).toBeUndefined();
    expect(parseTimestamp('2016-03-14T01:59:00z')).toBeUndefined();
    expect(parseTimestamp('2016-03-14T01:59:00')).toBeUndefined();
    expect(parseTimestamp('2016-03-14 01:59:00Z')).toBeUndefined();
    expect(parseTimestamp('2016-02-30T01:59:00Z')).toBeUndefined();
    expect(parseTimestamp('2016-13-01T01:59:00Z')).toBeUndefined();
    expect(parseTimestamp('2016-03-14T24:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2016-02-29T00:00:00Z')).toBeDefined(); // leap year
    expect(parseTimestamp('2015-02-29T00:00:00Z')).toBeUndefined();
  });

  it("matches the guide's TimestampEquals example", () => {
    expect(rule({ Variable: '$.foo', TimestampEquals: '2001-01-01T12:00:00Z' }, { foo: '2001-01-01T12:00:00Z' })).toBe(true);
    expect(rule({ Variable: '$.foo', TimestampEquals: '2001-01-01T12:00:00Z' }, { foo: '2001-01-01T12:00:01Z' })).toBe(false);
  });

  it('compares instants, not strings (offsets and fractions count)', () => {
    const input = { t: '2016-03-14T01:59:00Z', same: '2016-03-14T09:59:00+08:00', later: '2016-03-14T01:59:00.001Z' };
    expect(rule({ Variable: '$.t', TimestampEquals: '2016-03-14T01:59:00Z' }, input)).toBe(true);
    expect(rule({ Variable: '$.t', TimestampEqualsPath: '$.same' }, input)).toBe(true);
    expect(rule({ Variable: '$.t', TimestampLessThanPath: '$.later' }, input)).toBe(true);
    expect(rule({ Variable: '$.t', TimestampLessThan: '2016-03-14T01:59:00.000000001Z' }, input)).toBe(true);
    expect(rule({ Variable: '$.t', TimestampGreaterThan: '2016-03-14T02:59:00+02:00' }, input)).toBe(true);
    expect(rule({ Variable: '$.t', TimestampLessThanEquals: '2016-03-14T01:59:00Z' }, input)).toBe(true);
    expect(rule({ Variable: '$.t', TimestampGreaterThanEquals: '2016-03-14T01:59:01Z' }, input)).toBe(false);
    expect(rule({ Variable: '$.t', TimestampGreaterThanPath: '$.later' }, input)).toBe(false);
    expect(rule({ Variable: '$.t', TimestampLessThanEqualsPath: '$.same' }, input)).toBe(true);
    expect(rule({ Variable: '$.t', TimestampGreaterThanEqualsPath: '$.same' }, input)).toBe(true);
  });

  it('is false when either side is not a timestamp', () => {
    expect(rule({ Variable: '$.t', TimestampEquals: '2016-03-14T01:59:00Z' }, { t: 'yesterday' })).toBe(false);
    expect(rule({ Variable: '$.t', TimestampEquals: '2016-03-14T01:59:00Z' }, { t: 1457920740 })).toBe(false);
    expect(rule({ Variable: '$.t', TimestampLessThan: 'soon' }, { t: '2016-03-14T01:59:00Z' })).toBe(false);
  });
});

describe('type tests', () => {
  const input = { nul: null, num: 1.5, str: 'x', bool: false, ts: '2016-03-14T01:59:00Z', obj: {}, arr: [] };

  it('IsNull, IsNumeric, IsString, IsBoolean and IsTimestamp', () => {
    expect(rule({ Variable: '$.nul', IsNull: true }, input)).toBe(true);
    expect(rule({ Variable: '$.num', IsNull: true }, input)).toBe(false);
    expect(rule({ Variable: '$.num', IsNull: false }, input)).toBe(true);
    expect(rule({ Variable: '$.num', IsNumeric: true }, input)).toBe(true);
    expect(rule({ Variable: '$.str', IsNumeric: true }, input)).toBe(false);
    expect(rule({ Variable: '$.str', IsString: true }, input)).toBe(true);
    expect(rule({ Variable: '$.nul', IsString: true }, input)).toBe(false);
    expect(rule({ Variable: '$.bool', IsBoolean: true }, input)).toBe(true);
    expect(rule({ Variable: '$.str', IsBoolean: false }, input)).toBe(true);
    expect(rule({ Variable: '$.ts', IsTimestamp: true }, input)).toBe(true);
    expect(rule({ Variable: '$.str', IsTimestamp: true }, input)).toBe(false);
    expect(rule({ Variable: '$.ts', IsString: true }, input)).toBe(true); // a timestamp is a string too
    expect(rule({ Variable: '$.obj', IsNull: false }, input)).toBe(true);
    expect(rule({ Variable: '$.arr', IsString: false }, input)).toBe(true);
  });

  it('IsPresent is true for present fields, including null ones, and false for missing ones', () => {
    expect(rule({ Variable: '$.nul', IsPresent: true }, input)).toBe(true);
    expect(rule({ Variable: '$.missing', IsPresent: true }, input)).toBe(false);
    expect(rule({ Variable: '$.missing', IsPresent: false }, input)).toBe(true);
    expect(rule({ Variable: '$.missing.deeper', IsPresent: false }, input)).toBe(true);
    expect(rule({ Variable: '$.arr[0]', IsPresent: true }, input)).toBe(false);
  });

  it('fails for a type test on a missing field (only IsPresent tolerates it)', () => {
    const err = statesError(() => rule({ Variable: '$.missing', IsNull: true }, input));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toBe("Invalid path '$.missing': The choice state's condition path references an invalid value.");
  });

  it('fails when a type test is given something other than a boolean', () => {
    expect(statesError(() => rule({ Variable: '$.num', IsNumeric: 'yes' }, input)).error).toBe('States.Runtime');
  });
});

describe('And, Or, Not', () => {
  const input = { a: 1, b: 'x' };
  const yes: Rule = { Variable: '$.a', NumericEquals: 1 };
  const no: Rule = { Variable: '$.a', NumericEquals: 2 };

  it('combine rules', () => {
    expect(rule({ And: [yes, yes] }, input)).toBe(true);
    expect(rule({ And: [yes, no] }, input)).toBe(false);
    expect(rule({ Or: [no, yes] }, input)).toBe(true);
    expect(rule({ Or: [no, no] }, input)).toBe(false);
    expect(rule({ Not: no }, input)).toBe(true);
    expect(rule({ Not: { Not: yes } }, input)).toBe(true);
    expect(rule({ And: [{ Or: [no, { Not: no }] }, { Variable: '$.b', StringEquals: 'x' }] }, input)).toBe(true);
  });

  it('short-circuit: Or stops at the first true rule', () => {
    // The second rule would fail (missing field), but is never evaluated.
    expect(rule({ Or: [yes, { Variable: '$.missing', NumericEquals: 1 }] }, input)).toBe(true);
  });

  it('fails for an empty or malformed And/Or/Not', () => {
    expect(statesError(() => rule({ And: [] }, input)).error).toBe('States.Runtime');
    expect(statesError(() => rule({ Or: yes }, input)).error).toBe('States.Runtime');
    expect(statesError(() => rule({ Not: [yes] }, input)).error).toBe('States.Runtime');
  });
});

describe('paths, variables and context in rules', () => {
  it('reads workflow variables and the context object', () => {
    expect(rule({ Variable: '$limit', NumericGreaterThan: 5 }, {}, { vars: { limit: 7 } })).toBe(true);
    expect(rule({ Variable: '$.n', NumericLessThanPath: '$limit' }, { n: 3 }, { vars: { limit: 7 } })).toBe(true);
    expect(rule({ Variable: '$$.State.RetryCount', NumericEquals: 0 }, {}, { context: { State: { RetryCount: 0 } } })).toBe(true);
  });

  it('ignores Next, Comment and Assign beside the operator', () => {
    expect(rule({ Variable: '$.a', NumericEquals: 1, Next: 'X', Comment: 'c', Assign: { v: 1 } }, { a: 1 })).toBe(true);
  });

  it('fails with States.Runtime when the Variable path matches nothing', () => {
    const err = statesError(() => rule({ Variable: '$.missing', StringEquals: 'x' }, { a: 1 }));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toContain("'$.missing'");
  });

  it('fails when a ...Path operand matches nothing', () => {
    expect(statesError(() => rule({ Variable: '$.a', NumericEqualsPath: '$.nope' }, { a: 1 })).error).toBe('States.Runtime');
  });

  it('fails for unknown operators, missing operators and missing Variable', () => {
    expect(statesError(() => rule({ Variable: '$.a', NumericEqualz: 1 }, { a: 1 })).cause).toContain('NumericEqualz');
    expect(statesError(() => rule({ Variable: '$.a', Next: 'X' }, { a: 1 })).error).toBe('States.Runtime');
    expect(statesError(() => rule({ NumericEquals: 1 }, { a: 1 })).error).toBe('States.Runtime');
    expect(statesError(() => rule({ Variable: '$.a', NumericEquals: 1, StringEquals: 'x' }, { a: 1 })).error).toBe('States.Runtime');
  });
});
