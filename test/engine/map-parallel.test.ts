import { describe, expect, it } from 'vitest';
import { createMachine, historyTypes, makeEngine, run, start, T0 } from './helpers';

describe('Parallel state', () => {
  it('returns the branch outputs in branch order (JSONPath, ResultSelector)', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
    const { out, engine, arn } = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 20, Next: 'A' }, A: { Type: 'Pass', Result: 'slow', End: true } } },
              { StartAt: 'B', States: { B: { Type: 'Pass', InputPath: '$.n', End: true } } },
            ],
            ResultSelector: { 'slow.$': '$[0]', 'fast.$': '$[1]' },
            End: true,
          },
        },
      },
      { n: 5 },
      {},
      20_000,
    );
    expect(out).toEqual({ slow: 'slow', fast: 5 });
    const types = await historyTypes(engine, arn);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
  });

  it('fails when one branch fails and stops the others; Catch handles it', async () => {
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } },
            { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'BranchBroke', Cause: 'b2' } } },
          ],
          Catch: [{ ErrorEquals: ['BranchBroke'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const { d, out, engine, arn } = await run(def);
    expect(d.status).toBe('SUCCEEDED');
    expect(out).toEqual({ Error: 'BranchBroke', Cause: 'b2' });
    expect(await historyTypes(engine, arn)).toContain('ParallelStateFailed');
  });

  it('JSONata Arguments feed each branch; Output sees $states.result', async () => {
    const { out } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Arguments: { v: '{% $states.input.v * 10 %}' },
            Branches: [
              { StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.v + 1 %}', End: true } } },
              { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $states.input.v + 2 %}', End: true } } },
            ],
            Output: '{% $sum($states.result) %}',
            End: true,
          },
        },
      },
      { v: 1 },
    );
    expect(out).toBe(23);
  });
});

describe('Map state (inline)', () => {
  it('processes ItemsPath with ItemSelector and the $$.Map.Item context (AWS example)', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
    const { out, engine, arn } = await run(
      {
        StartAt: 'ProcessAllItems',
        States: {
          ProcessAllItems: {
            Type: 'Map',
            ItemsPath: '$.detail.shipped',
            ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'courier.$': '$.detail.delivery-partner' },
            ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Ship', States: { Ship: { Type: 'Pass', End: true } } },
            ResultPath: '$.detail.shipped',
            End: true,
          },
        },
      },
      {
        'ship-date': '2016-03-14T01:59:00Z',
        detail: {
          'delivery-partner': 'UQS',
          shipped: [
            { prod: 'R31', 'dest-code': 9511, quantity: 1344 },
            { prod: 'S39', 'dest-code': 9511, quantity: 40 },
          ],
        },
      },
    );
    expect(out.detail.shipped).toEqual([
      { parcel: { prod: 'R31', 'dest-code': 9511, quantity: 1344 }, index: 0, courier: 'UQS' },
      { parcel: { prod: 'S39', 'dest-code': 9511, quantity: 40 }, index: 1, courier: 'UQS' },
    ]);
    const types = await historyTypes(engine, arn);
    expect(types).toContain('MapStateStarted');
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(2);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(2);
    const h = await engine.getExecutionHistory({ executionArn: arn });
    expect(h.events.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails).toEqual({ length: 2 });
  });

  it('honours MaxConcurrency (runs at most N iterations at once)', async () => {
    const active = { now: 0, max: 0 };
    const { engine, clock } = makeEngine({
      work: async () => {
        active.now++;
        active.max = Math.max(active.max, active.now);
        await new Promise((r) => setTimeout(r, 5));
        active.now--;
        return 1;
      },
    });
    const sm = await createMachine(engine, {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemProcessor: {
            StartAt: 'T',
            States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true } },
          },
          End: true,
        },
      },
    });
    const arn = await start(engine, sm, [1, 2, 3, 4, 5]);
    const d = await engine.waitForExecution(arn);
    expect(JSON.parse(d.output ?? '')).toEqual([1, 1, 1, 1, 1]);
    expect(active.max).toBe(2);
    void clock;
  });

  it('JSONata Items and ItemSelector with $states.context.Map.Item', async () => {
    const { out } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% $states.input.xs %}',
            ItemSelector: { v: '{% $states.context.Map.Item.Value * 2 %}', i: '{% $states.context.Map.Item.Index %}' },
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { xs: [1, 2] },
    );
    expect(out).toEqual([
      { v: 2, i: 0 },
      { v: 4, i: 1 },
    ]);
  });

  const failing = (extra: Record<string, unknown>) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ...extra,
        ItemProcessor: {
          StartAt: 'C',
          States: {
            C: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: false, Next: 'Bad' }], Default: 'Good' },
            Bad: { Type: 'Fail', Error: 'ItemBad', Cause: 'bad item' },
            Good: { Type: 'Pass', Result: 'done', End: true },
          },
        },
        End: true,
      },
    },
  });
  const items = [{ ok: true }, { ok: false }, { ok: true }, { ok: false }];

  it('fails: without tolerance one failed item fails the Map with its error', async () => {
    const { d } = await run(failing({}), items);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('ItemBad');
  });

  it('tolerates failures within ToleratedFailureCount / ToleratedFailurePercentage', async () => {
    const a = await run(failing({ ToleratedFailureCount: 2 }), items);
    expect(a.d.status).toBe('SUCCEEDED');
    expect(a.out[0]).toBe('done');
    expect(a.out[1]).toEqual({ Error: 'ItemBad', Cause: 'bad item' });
    const b = await run(failing({ ToleratedFailurePercentage: 50 }), items);
    expect(b.d.status).toBe('SUCCEEDED');
  });

  it('fails with States.ExceedToleratedFailureThreshold past the tolerance', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
    const a = await run(failing({ ToleratedFailureCount: 1 }), items);
    expect(a.d.error).toBe('States.ExceedToleratedFailureThreshold');
    const b = await run(failing({ ToleratedFailurePercentage: 25 }), items);
    expect(b.d.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('an empty item list gives []', async () => {
    const { out } = await run(failing({}), []);
    expect(out).toEqual([]);
  });

  it('fails with States.Runtime when ItemsPath is not an array', async () => {
    const { d } = await run(failing({ ItemsPath: '$.x' }), { x: 1 });
    expect(d.error).toBe('States.Runtime');
  });

  it('iterations wait on the clock independently', async () => {
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$', End: true } } }, End: true },
      },
    });
    const arn = await start(engine, sm, [30, 10, 20]);
    await clock.advance(29_000);
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await clock.advance(1_000);
    const d = await engine.describeExecution({ executionArn: arn });
    expect(JSON.parse(d.output ?? '')).toEqual([30, 10, 20]);
    expect(d.stopDate?.getTime()).toBe(T0 + 30_000);
  });
});
