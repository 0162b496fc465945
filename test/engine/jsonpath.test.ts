import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../../local/engine';
import { applyResultPath, isReferencePath, queryPath, selectPath, tryQueryPath } from '../../local/engine/jsonpath';
import { applyPayloadTemplate } from '../../local/engine/payload-template';

/** Run fn and return the StatesError it throws (the test fails if it throws nothing else). */
function statesError(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError, but nothing was thrown');
}

// Jayway JsonPath's own example document; Step Functions evaluates JSONPath with Jayway, and its
// README gives the expected results used below: https://github.com/json-path/JsonPath#path-examples
const store = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      {
        category: 'fiction',
        author: 'J. R. R. Tolkien',
        title: 'The Lord of the Rings',
        isbn: '0-395-19395-8',
        price: 22.99,
      },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};

describe('queryPath: reference paths', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
  const doc = { foo: 123, bar: ['a', 'b', 'c'], car: { cdr: true } };

  it('resolves the examples of the Paths page', () => {
    expect(queryPath('$.foo', doc)).toBe(123);
    expect(queryPath('$.bar', doc)).toEqual(['a', 'b', 'c']);
    expect(queryPath('$.car.cdr', doc)).toBe(true);
  });

  it('returns the whole input for $', () => {
    expect(queryPath('$', doc)).toBe(doc);
  });

  it('accepts bracket notation for names with special characters', () => {
    // The Paths page: "$.abc.['def ghi']" for a field name with a space.
    const data = { abc: { 'def ghi': 1, 'x.y': 2 } };
    expect(queryPath("$.abc.['def ghi']", data)).toBe(1);
    expect(queryPath("$.abc['def ghi']", data)).toBe(1);
    expect(queryPath('$["abc"]["x.y"]', data)).toBe(2);
  });

  it('indexes arrays, negative indexes counting from the end', () => {
    expect(queryPath('$.bar[0]', doc)).toBe('a');
    expect(queryPath('$.bar[2]', doc)).toBe('c');
    expect(queryPath('$.bar[-1]', doc)).toBe('c');
    expect(queryPath('$[1]', ['x', 'y'])).toBe('y');
  });

  it('returns null values, which are present', () => {
    expect(queryPath('$.a', { a: null })).toBeNull();
  });

  it('keeps unusual characters of dot-notation names', () => {
    expect(queryPath('$.a-b.c_d', { 'a-b': { c_d: 5 } })).toBe(5);
  });

  it('tells reference paths from general ones', () => {
    expect(isReferencePath('$.a.b[0]')).toBe(true);
    expect(isReferencePath("$['a']")).toBe(true);
    expect(isReferencePath('$.a[*]')).toBe(false);
    expect(isReferencePath('$..a')).toBe(false);
    expect(isReferencePath('$.a[?(@.x)]')).toBe(false);
    expect(isReferencePath('$.a[1:2]')).toBe(false);
    expect(isReferencePath('not a path')).toBe(false);
  });

  it('fails with States.Runtime naming the path when a field is missing', () => {
    const err = statesError(() => queryPath('$.nope.deeper', doc));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toBe("Invalid path '$.nope.deeper' : No results for path: $['nope']['deeper']");
  });

  it('fails when an index is out of range', () => {
    expect(statesError(() => queryPath('$.bar[3]', doc)).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.bar[-4]', doc)).error).toBe('States.Runtime');
  });

  it('fails when stepping into a value that is not an object', () => {
    expect(statesError(() => queryPath('$.foo.bar', doc)).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.a.b', { a: null })).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.car[0]', doc)).error).toBe('States.Runtime');
  });

  it('fails on syntax errors', () => {
    expect(statesError(() => queryPath('foo', doc)).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.bar[', doc)).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.', doc)).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.bar.nosuch()', doc)).cause).toContain('not supported');
    expect(statesError(() => queryPath('$.bar.length().x', doc)).error).toBe('States.Runtime');
  });
});

describe('queryPath: general paths (wildcards, slices, filters, recursive descent)', () => {
  it('evaluates the examples of the Jayway README', () => {
    expect(queryPath('$.store.book[*].author', store)).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
    expect(queryPath('$..author', store)).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
    expect(queryPath('$.store..price', store)).toEqual([8.95, 12.99, 8.99, 22.99, 19.95]);
    expect(queryPath('$..book[2].title', store)).toEqual(['Moby Dick']);
    expect(queryPath('$..book[-2].title', store)).toEqual(['Moby Dick']);
    expect(queryPath('$..book[0,1].title', store)).toEqual(['Sayings of the Century', 'Sword of Honour']);
    expect(queryPath('$..book[:2].title', store)).toEqual(['Sayings of the Century', 'Sword of Honour']);
    expect(queryPath('$..book[1:2].title', store)).toEqual(['Sword of Honour']);
    expect(queryPath('$..book[-2:].title', store)).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(queryPath('$..book[2:].title', store)).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(queryPath('$..book[?(@.isbn)].title', store)).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(queryPath('$.store.book[?(@.price < 10)].title', store)).toEqual(['Sayings of the Century', 'Moby Dick']);
    expect(queryPath("$..book[?(@.price <= $['expensive'])].title", store)).toEqual(['Sayings of the Century', 'Moby Dick']);
    expect(queryPath('$..book[?(@.author =~ /.*REES/i)].title', store)).toEqual(['Sayings of the Century']);
    expect(queryPath('$.store.*', store)).toHaveLength(2);
  });

  it('applies the slice example of the ASL specification', () => {
    // https://states-language.net/spec.html ("$.vals[-3:]" in the Parameters example)
    expect(queryPath('$.vals[-3:]', { vals: [0, 10, 20, 30, 40, 50] })).toEqual([30, 40, 50]);
  });

  it('combines filter conditions with &&, ||, ! and parentheses', () => {
    const fictionCheap = "$.store.book[?(@.category == 'fiction' && @.price < 10)].title";
    expect(queryPath(fictionCheap, store)).toEqual(['Moby Dick']);
    const either = "$.store.book[?(@.price > 20 || @.category == 'reference')].title";
    expect(queryPath(either, store)).toEqual(['Sayings of the Century', 'The Lord of the Rings']);
    expect(queryPath('$.store.book[?(!(@.isbn))].title', store)).toEqual(['Sayings of the Century', 'Sword of Honour']);
    expect(queryPath("$.store.book[?(@.category != 'fiction')].price", store)).toEqual([8.95]);
  });

  it('supports in, nin, size and empty in filters', () => {
    const items = {
      items: [
        { tags: ['a'], s: 'x' },
        { tags: [], s: 'yy' },
        { tags: ['b', 'c'], s: 'z' },
      ],
    };
    expect(queryPath("$.items[?(@.s in ['x','z'])].s", items)).toEqual(['x', 'z']);
    expect(queryPath("$.items[?(@.s nin ['x','z'])].s", items)).toEqual(['yy']);
    expect(queryPath('$.items[?(@.tags size 2)].s', items)).toEqual(['z']);
    expect(queryPath('$.items[?(@.tags empty true)].s', items)).toEqual(['yy']);
  });

  it('compares only like types in filters (a string is not less than a number)', () => {
    const data = { a: [{ v: 1 }, { v: '1' }, { v: null }, {}] };
    expect(queryPath('$.a[?(@.v < 2)].v', data)).toEqual([1]);
    expect(queryPath('$.a[?(@.v == 1)].v', data)).toEqual([1]);
    expect(queryPath("$.a[?(@.v == '1')].v", data)).toEqual(['1']);
    expect(queryPath('$.a[?(@.v == null)]', data)).toEqual([{ v: null }]);
  });

  it('returns an empty array, not an error, when an indefinite path matches nothing', () => {
    expect(queryPath('$.store.book[?(@.price > 100)]', store)).toEqual([]);
    expect(queryPath('$.nothing[*]', store)).toEqual([]);
    expect(queryPath('$..nothing', store)).toEqual([]);
  });

  it('skips elements that lack the field after a wildcard', () => {
    expect(queryPath('$.store.book[*].isbn', store)).toEqual(['0-553-21311-3', '0-395-19395-8']);
  });

  it('fails on a malformed filter', () => {
    expect(statesError(() => queryPath('$.a[?(@.x ==)]', {})).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.a[?@.x]', {})).error).toBe('States.Runtime');
  });
});

describe('queryPath: Jayway functions at the end of a Path', () => {
  // Functions listed in the Jayway README (https://github.com/json-path/JsonPath#functions);
  // the ASL guide excludes them from Reference Paths only.
  it('length() of an array, a string or an object, and of an indefinite result', () => {
    expect(queryPath('$.store.book.length()', store)).toBe(4);
    expect(queryPath('$.store.bicycle.color.length()', store)).toBe(3);
    expect(queryPath('$.store.bicycle.length()', store)).toBe(2);
    expect(queryPath('$..book[?(@.isbn)].length()', store)).toBe(2);
  });

  it('numeric aggregates over the selected numbers', () => {
    expect(queryPath('$.store.book[*].price.min()', store)).toBe(8.95);
    expect(queryPath('$.store.book[*].price.max()', store)).toBe(22.99);
    expect(queryPath('$.n.sum()', { n: [1, 2, 3, 4] })).toBe(10);
    expect(queryPath('$.n.avg()', { n: [1, 2, 3, 4] })).toBe(2.5);
    expect(queryPath('$.n.stddev()', { n: [2, 4, 4, 4, 5, 5, 7, 9] })).toBe(2);
  });

  it('keys(), first() and last()', () => {
    expect(queryPath('$.store.bicycle.keys()', store)).toEqual(['color', 'price']);
    expect(queryPath('$.store.book[*].author.first()', store)).toBe('Nigel Rees');
    expect(queryPath('$.store.book[*].author.last()', store)).toBe('J. R. R. Tolkien');
  });

  it('works inside filters', () => {
    const data = { items: [{ tags: ['a'] }, { tags: ['b', 'c'] }] };
    expect(queryPath('$.items[?(@.tags.length() > 1)].tags', data)).toEqual([['b', 'c']]);
  });

  it('is not a reference path', () => {
    expect(isReferencePath('$.a.length()')).toBe(false);
  });

  it('fails when the function does not apply', () => {
    expect(statesError(() => queryPath('$.x.length()', { x: 5 })).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.x.sum()', { x: ['a'] })).error).toBe('States.Runtime');
    expect(statesError(() => queryPath('$.missing.length()', {})).error).toBe('States.Runtime');
  });
});

describe('queryPath: context object and variables', () => {
  // Context object shape from
  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
  const context = {
    Execution: {
      Id: 'arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName',
      Input: { key: 'value' },
      Name: 'executionName',
      StartTime: '2019-03-26T20:14:13.192Z',
    },
    State: { EnteredTime: '2019-03-26T20:14:13.192Z', Name: 'Test', RetryCount: 3 },
    StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:stateMachineName', Name: 'stateMachineName' },
    Task: { Token: 'h7XRiCdLtd/83p1E0dMccoxlzFhglsdkzpK9mBVKZsp7d9yrT1W' },
  };

  it('reads $$ from the context object', () => {
    expect(queryPath('$$.Execution.Id', {}, { context })).toBe(context.Execution.Id);
    expect(queryPath('$$.Task.Token', {}, { context })).toBe(context.Task.Token);
    expect(queryPath('$$.Execution.Input.key', {}, { context })).toBe('value');
    expect(queryPath('$$', {}, { context })).toBe(context);
  });

  it('reads workflow variables as $name', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
    const vars = { productName: 'product1', count: 42, available: true, order: { items: [{ sku: 'a' }] } };
    expect(queryPath('$productName', {}, { vars })).toBe('product1');
    expect(queryPath('$count', {}, { vars })).toBe(42);
    expect(queryPath('$order.items[0].sku', {}, { vars })).toBe('a');
    expect(queryPath('$order.items[*].sku', {}, { vars })).toEqual(['a']);
  });

  it('keeps $ for the input even when variables exist', () => {
    expect(queryPath('$.x', { x: 1 }, { vars: { x: 2 } })).toBe(1);
  });

  it('fails for an undefined variable', () => {
    const err = statesError(() => queryPath('$missing', {}, { vars: { other: 1 } }));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toContain("'missing'");
  });

  it('fails for $$ when no context object is given', () => {
    expect(statesError(() => queryPath('$$.Execution.Id', {})).error).toBe('States.Runtime');
  });

  it('reports absence without throwing through tryQueryPath', () => {
    expect(tryQueryPath('$.a', { a: 0 })).toEqual({ found: true, value: 0 });
    expect(tryQueryPath('$.b', { a: 0 })).toEqual({ found: false });
    expect(tryQueryPath('$nope', {})).toEqual({ found: false });
  });
});

describe('selectPath (InputPath / OutputPath)', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
  const input = {
    comment: 'Example for InputPath.',
    dataset1: { val1: 1, val2: 2, val3: 3 },
    dataset2: { val1: 'a', val2: 'b', val3: 'c' },
  };

  it('selects the part named by the path', () => {
    expect(selectPath('$.dataset2', input)).toEqual({ val1: 'a', val2: 'b', val3: 'c' });
  });

  it('passes the input through when the field is absent, and gives {} for null', () => {
    expect(selectPath(undefined, input)).toBe(input);
    expect(selectPath(null, input)).toEqual({});
  });

  it('fails with States.Runtime when the path matches nothing', () => {
    expect(statesError(() => selectPath('$.dataset3', input)).error).toBe('States.Runtime');
  });
});

describe('applyResultPath', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
  const input = {
    comment: 'This is a test of the input and output of a Task state.',
    details: 'Default example',
    who: 'AWS Step Functions',
  };
  const result = 'Hello, AWS Step Functions!';

  it('replaces the input with the result for "$"', () => {
    expect(applyResultPath(input, '$', result)).toBe(result);
  });

  it('also uses the result alone when ResultPath is absent', () => {
    expect(applyResultPath(input, undefined, result)).toBe(result);
  });

  it('adds the result to the input for "$.taskresult"', () => {
    expect(applyResultPath(input, '$.taskresult', result)).toEqual({ ...input, taskresult: result });
  });

  it('discards the result for null', () => {
    expect(applyResultPath(input, null, result)).toBe(input);
  });

  it('adds into a nested object for "$.strings.lambdaresult"', () => {
    const withStrings = { ...input, strings: { string1: 'foo', string2: 'bar', string3: 'baz' } };
    expect(applyResultPath(withStrings, '$.strings.lambdaresult', result)).toEqual({
      ...input,
      strings: { string1: 'foo', string2: 'bar', string3: 'baz', lambdaresult: result },
    });
  });

  it('creates missing objects along the path (specification example)', () => {
    // https://states-language.net/spec.html, ResultPath "$.master.result.sum"
    expect(applyResultPath({ master: { detail: [1, 2, 3] } }, '$.master.result.sum', 6)).toEqual({
      master: { detail: [1, 2, 3], result: { sum: 6 } },
    });
  });

  it('overwrites an existing field (specification example "$.master.detail")', () => {
    expect(applyResultPath({ master: { detail: [1, 2, 3] } }, '$.master.detail', 6)).toEqual({ master: { detail: 6 } });
  });

  it('replaces an array element by index', () => {
    expect(applyResultPath({ a: [1, 2, 3] }, '$.a[1]', 'x')).toEqual({ a: [1, 'x', 3] });
  });

  it('treats a field named __proto__ as data', () => {
    const input = JSON.parse('{"__proto__": {"a": 1}}');
    const out = applyResultPath(input, '$.__proto__.b', 2) as Record<string, unknown>;
    expect(JSON.stringify(out)).toBe('{"__proto__":{"a":1,"b":2}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const built = applyPayloadTemplate(JSON.parse('{"__proto__.$": "$.x"}'), { x: 1 }) as object;
    expect(JSON.stringify(built)).toBe('{"__proto__":1}');
    expect(queryPath('$.__proto__.a', input)).toBe(1);
  });

  it('never mutates its arguments', () => {
    const original = { a: { b: { c: 1 } }, keep: [1] };
    const snapshot = JSON.parse(JSON.stringify(original));
    const out = applyResultPath(original, '$.a.b.d', 2) as typeof original;
    expect(original).toEqual(snapshot);
    expect(out.keep).toBe(original.keep); // untouched branches are shared, not copied
  });

  it('fails with States.ResultPathMatchFailure when the input is not an object', () => {
    const err = statesError(() => applyResultPath('a string', '$.x', 1));
    expect(err.error).toBe('States.ResultPathMatchFailure');
    expect(err.cause).toContain('$.x');
    expect(statesError(() => applyResultPath(null, '$.x', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(statesError(() => applyResultPath([1], '$.x', 1)).error).toBe('States.ResultPathMatchFailure');
  });

  it('fails with States.ResultPathMatchFailure when a step is not an object', () => {
    expect(statesError(() => applyResultPath({ a: 'text' }, '$.a.b', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(statesError(() => applyResultPath({ a: [1] }, '$.a[5]', 1)).error).toBe('States.ResultPathMatchFailure');
  });

  it('fails for a ResultPath that is not a reference path on the input', () => {
    expect(statesError(() => applyResultPath({}, '$.a[*]', 1)).error).toBe('States.Runtime');
    expect(statesError(() => applyResultPath({}, '$$.Execution', 1)).error).toBe('States.Runtime');
  });
});

describe('applyPayloadTemplate', () => {
  it('builds the Parameters example of the AWS guide', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    const input = {
      comment: 'Example for Parameters.',
      product: {
        details: { color: 'blue', size: 'small', material: 'cotton' },
        availability: 'in stock',
        sku: '2317',
        cost: '$23',
      },
    };
    const template = {
      comment: 'Selecting what I care about.',
      MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' },
    };
    expect(applyPayloadTemplate(template, input)).toEqual({
      comment: 'Selecting what I care about.',
      MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
    });
  });

  it('builds the Parameters example of the ASL specification', () => {
    // https://states-language.net/spec.html (Parameters)
    const template = { flagged: true, parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[-3:]' } };
    expect(applyPayloadTemplate(template, { flagged: 7, vals: [0, 10, 20, 30, 40, 50] })).toEqual({
      flagged: true,
      parts: { first: 0, last3: [30, 40, 50] },
    });
  });

  it('takes values from the context object, variables and intrinsic functions', () => {
    const context = { Execution: { Id: 'arn:exec' }, Task: { Token: 'tok' } };
    const template = {
      'execution.$': '$$.Execution.Id',
      'token.$': '$$.Task.Token',
      'product.$': '$productName',
      'greeting.$': "States.Format('Hello, {}', $.name)",
      'ids.$': 'States.Array($.a, $.b)',
    };
    expect(applyPayloadTemplate(template, { name: 'Arnav', a: 1, b: 2 }, { context, vars: { productName: 'p1' } })).toEqual({
      execution: 'arn:exec',
      token: 'tok',
      product: 'p1',
      greeting: 'Hello, Arnav',
      ids: [1, 2],
    });
  });

  it('processes objects inside arrays and leaves other values alone', () => {
    const template = { list: [{ 'v.$': '$.x' }, 'literal $.x', 3, null, [{ 'w.$': '$.y' }]], n: null, plain$: '$.x' };
    expect(applyPayloadTemplate(template, { x: 1, y: 2 })).toEqual({
      list: [{ v: 1 }, 'literal $.x', 3, null, [{ w: 2 }]],
      n: null,
      plain$: '$.x',
    });
  });

  it('returns scalar templates unchanged', () => {
    expect(applyPayloadTemplate('text', {})).toBe('text');
    expect(applyPayloadTemplate(5, {})).toBe(5);
  });

  it('uses general paths that yield arrays', () => {
    expect(applyPayloadTemplate({ 'titles.$': '$.store.book[?(@.price < 10)].title' }, store)).toEqual({
      titles: ['Sayings of the Century', 'Moby Dick'],
    });
  });

  it('does not mutate the template or the input', () => {
    const template = { a: { 'b.$': '$.x' } };
    const input = { x: { deep: 1 } };
    applyPayloadTemplate(template, input);
    expect(template).toEqual({ a: { 'b.$': '$.x' } });
    expect(input).toEqual({ x: { deep: 1 } });
  });

  it("fails with States.Runtime and AWS's cause when a path matches nothing", () => {
    const err = statesError(() => applyPayloadTemplate({ 'bar.$': '$.foo' }, { other: 1 }));
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toBe(`The JSONPath '$.foo' specified for the field 'bar.$' could not be found in the input '{"other":1}'`);
  });

  it('fails when a ".$" field is not a string', () => {
    expect(statesError(() => applyPayloadTemplate({ 'bar.$': 5 }, {})).error).toBe('States.Runtime');
  });

  it('fails with States.IntrinsicFailure when an intrinsic function fails', () => {
    expect(statesError(() => applyPayloadTemplate({ 'x.$': 'States.ArrayLength($.s)' }, { s: 'no' })).error).toBe(
      'States.IntrinsicFailure',
    );
  });
});

describe('properties', () => {
  // Field names that dot notation can express; values are arbitrary JSON.
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
  const names = fc.array(name, { minLength: 1, maxLength: 4 });
  const json = fc.jsonValue();

  it('reads back what applyResultPath wrote, leaving the input untouched', () => {
    fc.assert(
      fc.property(fc.dictionary(name, json), names, json, (input, path, value) => {
        const before = JSON.stringify(input);
        const resultPath = `$.${path.join('.')}`;
        let out: unknown;
        try {
          out = applyResultPath(input, resultPath, value);
        } catch (e) {
          // Only legitimate when some prefix of the path holds a non-object.
          expect((e as StatesError).error).toBe('States.ResultPathMatchFailure');
          expect(JSON.stringify(input)).toBe(before);
          return;
        }
        expect(queryPath(resultPath, out)).toEqual(value);
        expect(JSON.stringify(input)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees between dot and bracket notation', () => {
    fc.assert(
      fc.property(fc.dictionary(name, json, { minKeys: 1 }), (input) => {
        for (const k of Object.keys(input)) {
          expect(queryPath(`$.${k}`, input)).toEqual(queryPath(`$['${k}']`, input));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a wildcard over an array returns the array, and slices agree with Array.prototype.slice', () => {
    fc.assert(
      fc.property(
        fc.array(json, { maxLength: 12 }),
        fc.integer({ min: -15, max: 15 }),
        fc.integer({ min: -15, max: 15 }),
        (a, start, end) => {
          expect(queryPath('$.a[*]', { a })).toEqual(a);
          expect(queryPath(`$.a[${start}:${end}]`, { a })).toEqual(a.slice(start, end));
        },
      ),
      { numRuns: 300 },
    );
  });
});
