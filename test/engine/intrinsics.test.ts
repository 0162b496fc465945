import { describe, expect, it } from 'vitest';
import { StatesError } from '../../local/engine';
import { checkIntrinsicSyntax, evaluateIntrinsic, isIntrinsic } from '../../local/engine/intrinsics';

// Unless noted, inputs and expected results are the examples of
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html

function statesError(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError, but nothing was thrown');
}

const intrinsicFailure = (expression: string, input: unknown = {}): StatesError => {
  const err = statesError(() => evaluateIntrinsic(expression, input));
  expect(err.error).toBe('States.IntrinsicFailure');
  return err;
};

describe('isIntrinsic', () => {
  it('recognises States.* invocations only', () => {
    expect(isIntrinsic('States.Format($.a)')).toBe(true);
    expect(isIntrinsic('States.UUID()')).toBe(true);
    expect(isIntrinsic('  States.Array ( 1 )')).toBe(true);
    expect(isIntrinsic('$.a')).toBe(false);
    expect(isIntrinsic('States.Format')).toBe(false);
    expect(isIntrinsic('MyStates.Format($.a)')).toBe(false);
  });
});

describe('checkIntrinsicSyntax (definition validation, nothing evaluated)', () => {
  it('accepts valid invocations whose paths would not resolve yet', () => {
    expect(() => checkIntrinsicSyntax("States.Format('{} {}', $.later, States.UUID())")).not.toThrow();
    expect(() => checkIntrinsicSyntax('States.MathRandom($.a, $.b, 3)')).not.toThrow();
  });

  it('fails for unknown functions, wrong argument counts, bad syntax and bad paths', () => {
    expect(statesError(() => checkIntrinsicSyntax('States.Nope(1)')).error).toBe('States.IntrinsicFailure');
    expect(statesError(() => checkIntrinsicSyntax('States.ArrayRange(1, 2)')).error).toBe('States.IntrinsicFailure');
    expect(statesError(() => checkIntrinsicSyntax('States.Array(States.UUID(1))')).error).toBe('States.IntrinsicFailure');
    expect(statesError(() => checkIntrinsicSyntax('States.Array(1')).error).toBe('States.IntrinsicFailure');
    expect(statesError(() => checkIntrinsicSyntax('States.Array($.a.)')).error).toBe('States.Runtime');
  });
});

describe('States.Format', () => {
  const input = { name: 'Arnav', template: 'Hello, my name is {}.' };

  it('fills a literal template', () => {
    expect(evaluateIntrinsic("States.Format('Hello, my name is {}.', $.name)", input)).toBe('Hello, my name is Arnav.');
  });

  it('fills a template read from a path', () => {
    expect(evaluateIntrinsic('States.Format($.template, $.name)', input)).toBe('Hello, my name is Arnav.');
  });

  it('renders numbers, booleans and null as JSON, without quotes for strings', () => {
    expect(evaluateIntrinsic("States.Format('{}|{}|{}|{}|{}', 42, 1.5, true, null, 'x')", {})).toBe('42|1.5|true|null|x');
  });

  it('renders objects and arrays the way AWS (Java) does', () => {
    expect(evaluateIntrinsic("States.Format('{} {}', $.o, $.a)", { o: { Arg1: 1, Arg2: [] }, a: ['x', 2] })).toBe(
      '{Arg1=1, Arg2=[]} [x, 2]',
    );
  });

  it("honours the reserved-character escapes \\' \\{ \\} \\\\", () => {
    // "Reserved characters in intrinsic functions" on the intrinsics page.
    expect(evaluateIntrinsic("States.Format('It\\'s {} \\{literal\\} \\\\ done', $.name)", input)).toBe("It's Arnav {literal} \\ done");
    expect(evaluateIntrinsic("States.Format('\\{\\}')", {})).toBe('{}');
  });

  it('fills the Format example of the ASL specification', () => {
    // https://states-language.net/spec.html#intrinsic-functions
    expect(
      evaluateIntrinsic("States.Format('Your name is {}, we are in the year {}', $.name, 2020)", { name: 'Foo', zebra: 'stripe' }),
    ).toBe('Your name is Foo, we are in the year 2020');
  });

  it('accepts a template with no placeholders', () => {
    expect(evaluateIntrinsic("States.Format('plain')", {})).toBe('plain');
  });

  it('evaluates nested intrinsic calls (ARN example of the intrinsics page, two placeholders)', () => {
    // The page nests nine functions; its template shows three "{}" for two values, which the
    // specification forbids, so this test uses two.
    const expr =
      "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
    const input2 = { ImageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/myrecipe/1.0.0' } };
    expect(evaluateIntrinsic(expr, input2)).toBe('1.0');
  });

  it('reads context paths and variables as arguments', () => {
    expect(
      evaluateIntrinsic(
        "States.Format('{} by {}', $$.Execution.Name, $who)",
        {},
        {
          context: { Execution: { Name: 'run-1' } },
          vars: { who: 'ops' },
        },
      ),
    ).toBe('run-1 by ops');
  });

  it('fails when placeholders and values do not match in number', () => {
    intrinsicFailure("States.Format('{} and {}', $.name)", input);
    intrinsicFailure("States.Format('{}', $.name, $.name)", input);
  });

  it('fails when the template is not a string', () => {
    intrinsicFailure('States.Format(1)');
  });

  it('fails on an unescaped brace', () => {
    intrinsicFailure("States.Format('{ oops', $.name)", input);
  });

  it('fails on an open escape backslash', () => {
    // "If an open escape backslash \ is found in the intrinsic invocation string, the interpreter will throw a runtime error."
    intrinsicFailure("States.Format('bad \\n escape')");
  });

  it('fails with States.Runtime when an argument path matches nothing', () => {
    expect(statesError(() => evaluateIntrinsic("States.Format('{}', $.missing)", {})).error).toBe('States.Runtime');
  });
});

describe('syntax', () => {
  it('fails for unknown functions, bad syntax and trailing text', () => {
    intrinsicFailure('States.NoSuchThing(1)');
    intrinsicFailure('States.Array(1');
    intrinsicFailure("States.Array('unterminated)");
    intrinsicFailure('States.Array(1) extra');
    intrinsicFailure('States.Array(bareword)');
    intrinsicFailure('NotStates.Array(1)');
  });

  it('accepts up to 10 nested functions and fails beyond', () => {
    const nest = (n: number): string => (n === 0 ? '1' : `States.Array(${nest(n - 1)})`);
    expect(evaluateIntrinsic(nest(10), {})).toEqual([[[[[[[[[[1]]]]]]]]]]);
    intrinsicFailure(nest(11));
  });

  it('parses paths containing brackets, commas in quotes and filters', () => {
    const input = {
      items: [
        { 'a,b': 1, ok: true },
        { 'a,b': 2, ok: false },
      ],
    };
    expect(evaluateIntrinsic("States.Array($.items[?(@.ok == true)]['a,b'], $.items[1]['a,b'])", input)).toEqual([[1], 2]);
  });

  it('parses negative and decimal numbers', () => {
    expect(evaluateIntrinsic('States.Array(-1, 2.5, 1e2, true, false, null)', {})).toEqual([-1, 2.5, 100, true, false, null]);
  });
});

describe('States.StringToJson / States.JsonToString', () => {
  it('parses an escaped JSON string', () => {
    expect(evaluateIntrinsic('States.StringToJson($.escapedJsonString)', { escapedJsonString: '{"foo": "bar"}' })).toEqual({
      foo: 'bar',
    });
  });

  it('round-trips the specification examples', () => {
    // https://states-language.net/spec.html#intrinsic-functions
    expect(evaluateIntrinsic('States.StringToJson($.someString)', { someString: '{"number": 20}' })).toEqual({ number: 20 });
    expect(evaluateIntrinsic('States.JsonToString($.someJson)', { someJson: { name: 'Foo', year: 2020 } })).toBe(
      '{"name":"Foo","year":2020}',
    );
  });

  it('serialises compactly', () => {
    expect(evaluateIntrinsic('States.JsonToString($.unescapedJson)', { unescapedJson: { foo: 'bar' } })).toBe('{"foo":"bar"}');
    expect(evaluateIntrinsic('States.JsonToString($.n)', { n: [1, { a: null }] })).toBe('[1,{"a":null}]');
  });

  it('fails on invalid JSON or a non-string', () => {
    intrinsicFailure('States.StringToJson($.s)', { s: '{not json' });
    intrinsicFailure('States.StringToJson($.s)', { s: { already: 'json' } });
    intrinsicFailure('States.JsonToString($.a, $.b)', { a: 1, b: 2 });
  });
});

describe('array intrinsics', () => {
  const nine = { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] };

  it('States.Array collects its arguments', () => {
    expect(evaluateIntrinsic('States.Array($.Id)', { Id: 123456 })).toEqual([123456]);
    // Specification example (https://states-language.net/spec.html#intrinsic-functions).
    expect(evaluateIntrinsic("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefg' } })).toEqual([
      'Foo',
      2020,
      { random: 'abcdefg' },
      null,
    ]);
    expect(evaluateIntrinsic('States.Array()', {})).toEqual([]);
  });

  it('States.ArrayPartition splits into chunks', () => {
    expect(evaluateIntrinsic('States.ArrayPartition($.inputArray, 4)', nine)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    expect(evaluateIntrinsic('States.ArrayPartition($.e, 2)', { e: [] })).toEqual([]);
  });

  it('fails ArrayPartition on a non-positive chunk size or a non-array', () => {
    intrinsicFailure('States.ArrayPartition($.inputArray, 0)', nine);
    intrinsicFailure('States.ArrayPartition($.inputArray, -2)', nine);
    intrinsicFailure("States.ArrayPartition('abc', 2)");
  });

  it('States.ArrayContains finds a value', () => {
    expect(evaluateIntrinsic('States.ArrayContains($.inputArray, $.lookingFor)', { ...nine, lookingFor: 5 })).toBe(true);
    expect(evaluateIntrinsic('States.ArrayContains($.inputArray, 10)', nine)).toBe(false);
    expect(evaluateIntrinsic('States.ArrayContains($.a, $.o)', { a: [{ x: [1] }], o: { x: [1] } })).toBe(true);
    expect(evaluateIntrinsic("States.ArrayContains($.inputArray, '5')", nine)).toBe(false);
  });

  it('fails ArrayContains on a non-array', () => {
    intrinsicFailure('States.ArrayContains($.s, 1)', { s: 'str' });
  });

  it('States.ArrayRange builds an inclusive range', () => {
    expect(evaluateIntrinsic('States.ArrayRange(1, 9, 2)', {})).toEqual([1, 3, 5, 7, 9]);
    expect(evaluateIntrinsic('States.ArrayRange(0, 10, 3)', {})).toEqual([0, 3, 6, 9]);
    expect(evaluateIntrinsic('States.ArrayRange(5, 1, -2)', {})).toEqual([5, 3, 1]);
    expect(evaluateIntrinsic('States.ArrayRange(5, 1, 1)', {})).toEqual([]);
    expect(evaluateIntrinsic('States.ArrayRange(1, 1000, 1)', {})).toHaveLength(1000);
  });

  it('rounds non-integer ArrayRange arguments to the nearest integer', () => {
    expect(evaluateIntrinsic('States.ArrayRange(0.6, 3.4, 1.2)', {})).toEqual([1, 2, 3]);
  });

  it('fails ArrayRange with a zero step, more than 1000 items or non-numbers', () => {
    intrinsicFailure('States.ArrayRange(1, 9, 0)');
    intrinsicFailure('States.ArrayRange(1, 1001, 1)');
    intrinsicFailure("States.ArrayRange('1', 9, 1)");
    intrinsicFailure('States.ArrayRange(1, 9)');
  });

  it('States.ArrayGetItem returns the item at an index', () => {
    expect(evaluateIntrinsic('States.ArrayGetItem($.inputArray, $.index)', { ...nine, index: 5 })).toBe(6);
  });

  it('fails ArrayGetItem out of bounds, with a non-integer index or a non-array', () => {
    intrinsicFailure('States.ArrayGetItem($.inputArray, 9)', nine);
    intrinsicFailure('States.ArrayGetItem($.inputArray, -1)', nine);
    intrinsicFailure('States.ArrayGetItem($.inputArray, 1.5)', nine);
    intrinsicFailure("States.ArrayGetItem($.inputArray, '1')", nine);
    intrinsicFailure('States.ArrayGetItem($.o, 0)', { o: { 0: 'x' } });
  });

  it('States.ArrayLength counts items', () => {
    expect(evaluateIntrinsic('States.ArrayLength($.inputArray)', nine)).toBe(9);
  });

  it('fails ArrayLength on a non-array', () => {
    intrinsicFailure("States.ArrayLength('abc')");
  });

  it('States.ArrayUnique removes duplicates, keeping first occurrences', () => {
    expect(evaluateIntrinsic('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
    expect(evaluateIntrinsic('States.ArrayUnique($.a)', { a: [{ k: 1 }, { k: 1 }, '1', 1] })).toEqual([{ k: 1 }, '1', 1]);
  });

  it('fails ArrayUnique on a non-array', () => {
    intrinsicFailure('States.ArrayUnique($.o)', { o: {} });
  });
});

describe('encoding and hashing', () => {
  it('States.Base64Encode encodes UTF-8 text', () => {
    expect(evaluateIntrinsic('States.Base64Encode($.input)', { input: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    // RFC 4648 section 10 test vector.
    expect(evaluateIntrinsic("States.Base64Encode('foob')", {})).toBe('Zm9vYg==');
  });

  it('States.Base64Decode decodes', () => {
    expect(evaluateIntrinsic('States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' })).toBe('Data to encode');
    expect(evaluateIntrinsic("States.Base64Decode('Zm9vYmFy')", {})).toBe('foobar');
  });

  it('round-trips non-ASCII text', () => {
    const s = '投诉处理 ✓';
    const encoded = evaluateIntrinsic('States.Base64Encode($.s)', { s });
    expect(evaluateIntrinsic('States.Base64Decode($.e)', { e: encoded })).toBe(s);
  });

  it('fails Base64 beyond 10,000 characters, on invalid input or a non-string', () => {
    intrinsicFailure('States.Base64Encode($.s)', { s: 'a'.repeat(10_001) });
    expect(evaluateIntrinsic('States.Base64Encode($.s)', { s: 'a'.repeat(10_000) })).toMatch(/^YWFh/);
    intrinsicFailure('States.Base64Decode($.s)', { s: 'QUFB'.repeat(2_501) });
    intrinsicFailure("States.Base64Decode('not base64!')");
    intrinsicFailure('States.Base64Encode($.n)', { n: 5 });
  });

  it('States.Hash computes the documented SHA-1 example', () => {
    // The page prints this digest with one of its 40 digits missing ("...d18d7485e..."); this is
    // the true SHA-1 of "input data".
    expect(evaluateIntrinsic('States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: 'SHA-1' })).toBe(
      'aaff4a450a104cd177d28d18d74485e8cae074b7',
    );
  });

  it('States.Hash supports every algorithm AWS lists (standard test vectors for "abc")', () => {
    // RFC 1321 (MD5), FIPS 180-2 examples (SHA family).
    const h = (alg: string) => evaluateIntrinsic(`States.Hash('abc', '${alg}')`, {});
    expect(h('MD5')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(h('SHA-1')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(h('SHA-256')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(h('SHA-384')).toBe('cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7');
    expect(h('SHA-512')).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });

  it('fails Hash with an unknown algorithm, a non-string or oversize data', () => {
    intrinsicFailure("States.Hash('abc', 'SHA-999')");
    intrinsicFailure("States.Hash('abc', 'sha-1')");
    intrinsicFailure("States.Hash(123, 'MD5')");
    intrinsicFailure("States.Hash($.s, 'MD5')", { s: 'a'.repeat(10_001) });
  });
});

describe('States.JsonMerge', () => {
  it('merges shallowly, the second object winning', () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(evaluateIntrinsic('States.JsonMerge($.json1, $.json2, false)', input)).toEqual({
      a: { a3: 1, a4: 2 },
      b: 2,
      c: 3,
    });
    expect(input.json1).toEqual({ a: { a1: 1, a2: 2 }, b: 2 });
  });

  it('fails for deep merging, which AWS does not support, and for non-objects', () => {
    intrinsicFailure('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} });
    intrinsicFailure('States.JsonMerge($.a, $.b, false)', { a: [], b: {} });
    intrinsicFailure('States.JsonMerge($.a, $.b, false)', { a: {}, b: 'x' });
    intrinsicFailure("States.JsonMerge($.a, $.b, 'false')", { a: {}, b: {} });
    intrinsicFailure('States.JsonMerge($.a, $.b)', { a: {}, b: {} });
  });
});

describe('math intrinsics', () => {
  it('States.MathRandom stays within [start, end)', () => {
    const input = { start: 1, end: 999 };
    for (let i = 0; i < 200; i++) {
      const n = evaluateIntrinsic('States.MathRandom($.start, $.end)', input) as number;
      expect(Number.isInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThan(999);
    }
  });

  it('States.MathRandom uses the injected random source at both ends', () => {
    expect(evaluateIntrinsic('States.MathRandom(10, 20)', {}, { random: () => 0 })).toBe(10);
    expect(evaluateIntrinsic('States.MathRandom(10, 20)', {}, { random: () => 0.999999 })).toBe(19);
  });

  it('States.MathRandom with a seed repeats, matching java.util.Random', () => {
    // Expected values printed by `new java.util.Random(seed).nextInt(bound) + start` on Java 17.
    expect(evaluateIntrinsic('States.MathRandom(1, 999, 1234)', {})).toBe(243);
    expect(evaluateIntrinsic('States.MathRandom(0, 1024, -7)', {})).toBe(275);
    expect(evaluateIntrinsic('States.MathRandom(0, 2147483647, 42)', {})).toBe(1562431130);
    expect(evaluateIntrinsic('States.MathRandom($.s, $.e, $.seed)', { s: 1, e: 999, seed: 1234 })).toBe(243);
  });

  it('fails MathRandom with an empty range, non-numbers or the wrong arity', () => {
    intrinsicFailure('States.MathRandom(5, 5)');
    intrinsicFailure('States.MathRandom(9, 1)');
    intrinsicFailure("States.MathRandom('1', 9)");
    intrinsicFailure('States.MathRandom(1)');
    intrinsicFailure('States.MathRandom(1, 9, 3, 4)');
    intrinsicFailure('States.MathRandom(1, 2147483648)');
  });

  it('States.MathAdd adds', () => {
    expect(evaluateIntrinsic('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
  });

  it('States.MathAdd rounds non-integers half up, as Java does', () => {
    expect(evaluateIntrinsic('States.MathAdd(1.5, 0)', {})).toBe(2);
    expect(evaluateIntrinsic('States.MathAdd(-1.5, 0)', {})).toBe(-1);
    expect(evaluateIntrinsic('States.MathAdd(2.4, 0.4)', {})).toBe(2);
  });

  it('fails MathAdd outside the 32-bit integer range or with non-numbers', () => {
    intrinsicFailure('States.MathAdd(2147483648, 0)');
    intrinsicFailure('States.MathAdd(-2147483649, 0)');
    expect(evaluateIntrinsic('States.MathAdd(2147483647, -2147483648)', {})).toBe(-1);
    intrinsicFailure("States.MathAdd('1', 2)");
    intrinsicFailure('States.MathAdd(true, 2)');
    intrinsicFailure('States.MathAdd(1)');
  });
});

describe('States.StringSplit', () => {
  it('splits on a single delimiter', () => {
    expect(evaluateIntrinsic('States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' })).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
  });

  it('treats every character of the second argument as a delimiter', () => {
    expect(
      evaluateIntrinsic('States.StringSplit($.inputString, $.splitter)', { inputString: 'This.is+a,test=string', splitter: '.+,=' }),
    ).toEqual(['This', 'is', 'a', 'test', 'string']);
  });

  it('drops empty pieces', () => {
    expect(evaluateIntrinsic("States.StringSplit(',a,,b,', ',')", {})).toEqual(['a', 'b']);
  });

  it('fails on non-string arguments', () => {
    intrinsicFailure("States.StringSplit(123, ',')");
    intrinsicFailure("States.StringSplit('a,b', 1)");
    intrinsicFailure("States.StringSplit('a,b')");
  });
});

describe('States.UUID', () => {
  it('returns a version 4 UUID', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const a = evaluateIntrinsic('States.UUID()', {}) as string;
    const b = evaluateIntrinsic('States.UUID()', {}) as string;
    expect(a).toMatch(v4);
    expect(b).toMatch(v4);
    expect(a).not.toBe(b);
  });

  it('uses the injected generator', () => {
    expect(evaluateIntrinsic('States.UUID()', {}, { uuid: () => 'fixed' })).toBe('fixed');
  });

  it('fails when given arguments', () => {
    intrinsicFailure('States.UUID(1)');
  });
});
