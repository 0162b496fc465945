import { describe, expect, it } from 'vitest';
import { run } from './helpers';

// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
describe('workflow variables (Assign)', () => {
  it('JSONata: a later state reads variables; Assign sees the values from before the state', async () => {
    const { out, engine, arn } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
        // All expressions of one Assign read the old values: a swap works.
        Swap: { Type: 'Pass', Assign: { x: '{% $y %}', y: '{% $x %}' }, Output: { xBefore: '{% $x %}' }, Next: 'Read' },
        Read: { Type: 'Pass', Output: { x: '{% $x %}', y: '{% $y %}', prev: '{% $states.input.xBefore %}' }, End: true },
      },
    });
    expect(out).toEqual({ x: 2, y: 1, prev: 1 });
    const h = await engine.getExecutionHistory({ executionArn: arn });
    const exited = h.events.find((e) => e.type === 'PassStateExited' && e.stateExitedEventDetails?.name === 'Swap')!;
    expect(exited.stateExitedEventDetails?.assignedVariables).toEqual({ x: '2', y: '1' });
  });

  it('JSONata Task: Assign can use $states.result', async () => {
    const { out } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
            Arguments: { a: 1 },
            Assign: { r: '{% $states.result.v %}' },
            Output: {},
            Next: 'P',
          },
          P: { Type: 'Pass', Output: '{% $r %}', End: true },
        },
      },
      {},
      { f: async () => ({ v: 'from-lambda' }) },
    );
    expect(out).toBe('from-lambda');
  });

  it('JSONPath: Assign with paths, read with $name in Parameters and Choice', async () => {
    const { out } = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { 'limit.$': '$.limit', 'label.$': "States.Format('L{}', $.limit)" }, Next: 'C' },
          C: { Type: 'Choice', Choices: [{ Variable: '$limit', NumericGreaterThan: 5, Next: 'Big' }], Default: 'Small' },
          Big: { Type: 'Pass', Parameters: { 'l.$': '$limit', 'lab.$': '$label' }, End: true },
          Small: { Type: 'Pass', Result: 'small', End: true },
        },
      },
      { limit: 9 },
    );
    expect(out).toEqual({ l: 9, lab: 'L9' });
  });

  it('Parallel branches read outer variables but their assignments stay inside', async () => {
    const { out } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { outer: 'o' }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'B1',
              States: {
                B1: { Type: 'Pass', Assign: { inner: 'i1' }, Next: 'B2' },
                B2: { Type: 'Pass', Output: '{% $outer & "-" & $inner %}', End: true },
              },
            },
          ],
          Next: 'After',
        },
        After: {
          Type: 'Pass',
          Output: { r: '{% $states.input %}', outer: '{% $outer %}', innerVisible: '{% $exists($inner) %}' },
          End: true,
        },
      },
    });
    expect(out).toEqual({ r: ['o-i1'], outer: 'o', innerVisible: false });
  });

  it('Map iterations each have their own scope', async () => {
    const { out } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { base: 100 }, Next: 'M' },
        M: {
          Type: 'Map',
          Items: [1, 2, 3],
          ItemProcessor: {
            StartAt: 'S',
            States: {
              S: { Type: 'Pass', Assign: { mine: '{% $states.input + $base %}' }, Next: 'R' },
              R: { Type: 'Pass', Output: '{% $mine %}', End: true },
            },
          },
          End: true,
        },
      },
    });
    expect(out).toEqual([101, 102, 103]);
  });

  it('fails with States.QueryEvaluationError reading an unassigned variable into Output', async () => {
    const { d } = await run({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $nope %}', End: true } } });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.QueryEvaluationError');
  });
});
