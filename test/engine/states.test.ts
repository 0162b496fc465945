import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMachine, historyTypes, makeEngine, run, T0 } from './helpers';

describe('Pass state', () => {
  it('injects Result at ResultPath (AWS Pass state example)', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html
    const { d, out } = await run(
      {
        StartAt: 'No-op',
        States: {
          'No-op': { Type: 'Pass', Result: { 'x-datum': 0.381018, 'y-datum': 622.2269926397355 }, ResultPath: '$.coords', End: true },
        },
      },
      { georefOf: 'Home' },
    );
    expect(d.status).toBe('SUCCEEDED');
    expect(out).toEqual({ georefOf: 'Home', coords: { 'x-datum': 0.381018, 'y-datum': 622.2269926397355 } });
  });

  it('applies InputPath, Parameters, ResultPath and OutputPath in order', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html (same pipeline, on a Pass state)
    const { out } = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            InputPath: '$.library',
            Parameters: { 'title.$': '$.book', 'exec.$': '$$.Execution.Name', 'msg.$': "States.Format('Hi {}', $.reader)" },
            ResultPath: '$.loan',
            OutputPath: '$.loan',
            End: true,
          },
        },
      },
      { library: { book: 'Dune', reader: 'Ana' } },
    );
    expect(out.title).toBe('Dune');
    expect(out.msg).toBe('Hi Ana');
    expect(typeof out.exec).toBe('string');
  });

  it('ResultPath null discards the result and OutputPath null gives {}', async () => {
    const a = await run({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, ResultPath: null, End: true } } }, { k: 1 });
    expect(a.out).toEqual({ k: 1 });
    const b = await run({ StartAt: 'P', States: { P: { Type: 'Pass', OutputPath: null, End: true } } }, { k: 1 });
    expect(b.out).toEqual({});
  });

  it('JSONata Output with $states.input and expressions', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
    const { out } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            Output: { total: '{% $sum($states.input.items.price) %}', who: '{% $uppercase($states.input.name) %}', lit: 'plain' },
            End: true,
          },
        },
      },
      { name: 'ana', items: [{ price: 2 }, { price: 3 }] },
    );
    expect(out).toEqual({ total: 5, who: 'ANA', lit: 'plain' });
  });

  it('fails with States.QueryEvaluationError when a JSONata expression errors', async () => {
    const { d } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: '{% $number("x") + $undefinedFn() %}', End: true } },
    });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.QueryEvaluationError');
  });

  it('fails with States.Runtime when InputPath matches nothing', async () => {
    const { d } = await run({ StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.missing', End: true } } }, { a: 1 });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.Runtime');
  });
});

describe('Choice state', () => {
  const choiceDef = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
          {
            And: [
              { Variable: '$.value', IsPresent: true },
              { Variable: '$.value', NumericGreaterThanEquals: 20 },
              { Variable: '$.value', NumericLessThan: 30 },
            ],
            Next: 'ValueInTwenties',
          },
        ],
        Default: 'DefaultState',
      },
      Public: { Type: 'Pass', Result: 'public', End: true },
      ValueInTwenties: { Type: 'Pass', Result: 'twenties', End: true },
      DefaultState: { Type: 'Fail', Error: 'DefaultStateError', Cause: 'No Matches!' },
    },
  };
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html (example rules)
  it('follows the first matching rule', async () => {
    expect((await run(choiceDef, { type: 'Public' })).out).toBe('public');
    expect((await run(choiceDef, { type: 'Private', value: 25 })).out).toBe('twenties');
  });
  it('fails through Default into a Fail state when nothing matches', async () => {
    const { d } = await run(choiceDef, { type: 'Private', value: 35 });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('DefaultStateError');
    expect(d.cause).toBe('No Matches!');
  });
  it('fails with States.NoChoiceMatched without Default', async () => {
    const { d } = await run(
      {
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', BooleanEquals: true, Next: 'X' }] }, X: { Type: 'Succeed' } },
      },
      { a: false },
    );
    expect(d.error).toBe('States.NoChoiceMatched');
  });
  it('JSONata Condition, with rule-level Output and Assign', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.n > 10 %}', Next: 'Big', Output: { size: 'big' }, Assign: { seen: '{% $states.input.n %}' } },
          ],
          Default: 'Small',
        },
        Big: { Type: 'Pass', Output: '{% $merge([$states.input, {"seen": $seen}]) %}', End: true },
        Small: { Type: 'Pass', Output: 'small', End: true }, // a literal Output is valid on AWS
      },
    };
    expect((await run(def, { n: 11 })).out).toEqual({ size: 'big', seen: 11 });
    expect((await run(def, { n: 1 })).out).toBe('small');
  });
  it('fails when a JSONata Condition is not boolean', async () => {
    const { d } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Condition: '{% "yes" %}', Next: 'X' }] }, X: { Type: 'Succeed' } },
    });
    expect(d.error).toBe('States.QueryEvaluationError');
  });
});

describe('Wait state', () => {
  it('waits Seconds on the virtual clock', async () => {
    const r = await run({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } });
    expect(r.d.status).toBe('RUNNING');
    await r.clock.advance(9_999);
    expect((await r.engine.describeExecution({ executionArn: r.arn })).status).toBe('RUNNING');
    await r.clock.advance(1);
    const d = await r.engine.describeExecution({ executionArn: r.arn });
    expect(d.status).toBe('SUCCEEDED');
    expect(d.stopDate?.getTime()).toBe(T0 + 10_000);
  });
  it('waits until Timestamp, TimestampPath, SecondsPath', async () => {
    const a = await run(
      { StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2025-01-02T00:00:00Z', End: true } } },
      {},
      {},
      86_400_000,
    );
    expect(a.d.status).toBe('SUCCEEDED');
    expect(a.d.stopDate?.getTime()).toBe(Date.UTC(2025, 0, 2));
    const b = await run(
      { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } },
      { at: '2025-01-01T01:00:00Z' },
      {},
      3_600_000,
    );
    expect(b.d.stopDate?.getTime()).toBe(T0 + 3_600_000);
    const c = await run({ StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } }, { s: 5 }, {}, 5_000);
    expect(c.d.stopDate?.getTime()).toBe(T0 + 5_000);
  });
  it('JSONata Seconds and Timestamp templates', async () => {
    const a = await run(
      { QueryLanguage: 'JSONata', StartAt: 'W', States: { W: { Type: 'Wait', Seconds: '{% $states.input.s * 2 %}', End: true } } },
      { s: 30 },
      {},
      60_000,
    );
    expect(a.d.stopDate?.getTime()).toBe(T0 + 60_000);
    const b = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'W',
        States: { W: { Type: 'Wait', Timestamp: '{% $fromMillis($toMillis($now()) + 7200000) %}', End: true } },
      },
      {},
      {},
      7_200_000,
    );
    expect(b.d.status).toBe('SUCCEEDED');
    expect(b.d.stopDate?.getTime()).toBe(T0 + 7_200_000);
  });
  it('a timestamp in the past continues at once', async () => {
    const a = await run({ StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2000-01-01T00:00:00Z', End: true } } });
    expect(a.d.status).toBe('SUCCEEDED');
  });
  it('fails with States.Runtime on a malformed TimestampPath value', async () => {
    const { d } = await run({ StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } }, { at: 'tomorrow' });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.Runtime');
  });
});

describe('Succeed and Fail states', () => {
  it('Succeed passes its input through OutputPath', async () => {
    const { out } = await run({ StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$.a' } } }, { a: { b: 1 } });
    expect(out).toEqual({ b: 1 });
  });
  it('fails with Error and Cause from paths (ErrorPath/CausePath)', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
    const { d, engine, arn } = await run(
      { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('code {}', $.c)" } } },
      { e: 'Boom', c: 7 },
    );
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('Boom');
    expect(d.cause).toBe('code 7');
    expect(await historyTypes(engine, arn)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });
  it('fails with JSONata Error and Cause', async () => {
    const { d } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'F',
        States: { F: { Type: 'Fail', Error: "{% 'E' & $states.input.n %}", Cause: '{% $string($states.input) %}' } },
      },
      { n: 1 },
    );
    expect(d.error).toBe('E1');
    expect(d.cause).toBe('{"n":1}');
  });
});

describe('context object', () => {
  it('exposes Execution, State and StateMachine in JSONPath ($$) and JSONata ($states.context)', async () => {
    const a = await run({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Pass',
          Parameters: {
            'id.$': '$$.Execution.Id',
            'entered.$': '$$.State.EnteredTime',
            'state.$': '$$.State.Name',
            'sm.$': '$$.StateMachine.Name',
            'start.$': '$$.Execution.StartTime',
          },
          End: true,
        },
      },
    });
    expect(a.out.id).toBe(a.arn);
    expect(a.out.entered).toBe(new Date(T0).toISOString());
    expect(a.out.start).toBe(new Date(T0).toISOString());
    expect(a.out.state).toBe('P');
    const b = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Output: { name: '{% $states.context.State.Name %}', now: '{% $now() %}', ms: '{% $millis() %}' }, End: true },
      },
    });
    expect(b.out).toEqual({ name: 'P', now: new Date(T0).toISOString(), ms: T0 });
  });
  it('JSONata functions Step Functions adds: $partition $range $hash $random(seed) $uuid $parse', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html (JSONata functions provided by Step Functions)
    const { out, d } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: {
        P: {
          Type: 'Pass',
          Output: {
            part: '{% $partition([1,2,3,4,5], 2) %}',
            range: '{% $range(0, 10, 2) %}',
            hash: "{% $hash('input data', 'SHA-256') %}",
            r1: '{% $random(42) %}',
            r2: '{% $random(42) %}',
            uuid: '{% $uuid() %}',
            parsed: '{% $parse(\'{"a":[1]}\') %}',
          },
          End: true,
        },
      },
    });
    expect(d.status).toBe('SUCCEEDED');
    expect(out.part).toEqual([[1, 2], [3, 4], [5]]);
    expect(out.range).toEqual([0, 2, 4, 6, 8, 10]);
    // sha256('input data'), computed independently of the engine
    expect(out.hash).toBe(createHash('sha256').update('input data').digest('hex'));
    expect(out.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.r1).toBe(out.r2);
    expect(out.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.parsed).toEqual({ a: [1] });
  });
});

describe('mixed query languages and settle()', () => {
  it('a JSONata state inside a JSONPath machine (state-level QueryLanguage)', async () => {
    const { out } = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Parameters: { 'v.$': '$.v' }, Next: 'B' },
          B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { doubled: '{% $states.input.v * 2 %}' }, End: true },
        },
      },
      { v: 21 },
    );
    expect(out).toEqual({ doubled: 42 });
  });

  it('settle() waits for a Lambda doing real asynchronous work', async () => {
    const { engine, clock } = makeEngine({
      slow: async () => {
        await new Promise((r) => setTimeout(r, 50));
        return 'done';
      },
    });
    const sm = await createMachine(engine, {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:slow', End: true } },
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn: sm, input: '{}' });
    await engine.settle();
    const d = await engine.describeExecution({ executionArn });
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('"done"');
    expect(clock.now()).toBe(T0);
  });
});
