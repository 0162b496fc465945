import { describe, expect, it } from 'vitest';
import { errorMatches } from '../../local/engine';
import { createMachine, historyTypes, makeEngine, start, T0 } from './helpers';

class ComplaintNotFound extends Error {
  override name = 'ComplaintNotFound';
}

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:flaky';

describe('Retry', () => {
  it('retries on the virtual clock at IntervalSeconds * BackoffRate^n', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (retrier fields:
    // IntervalSeconds before the first retry, multiplied by BackoffRate on each attempt)
    const calls: number[] = [];
    const { engine, clock } = makeEngine({
      flaky: async () => {
        calls.push(clock.now());
        if (calls.length < 4) throw new ComplaintNotFound('not yet');
        return { ok: true };
      },
    });
    const sm = await createMachine(engine, {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: FN,
          Retry: [{ ErrorEquals: ['ComplaintNotFound'], IntervalSeconds: 3, MaxAttempts: 3, BackoffRate: 1.5 }],
          End: true,
        },
      },
    });
    const arn = await start(engine, sm);
    await clock.advance(60_000);
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.status).toBe('SUCCEEDED');
    expect(calls.map((t) => t - T0)).toEqual([0, 3000, 7500, 14250]);
  });

  it('caps the delay with MaxDelaySeconds and applies FULL jitter from the random source', async () => {
    const calls: number[] = [];
    const { engine, clock } = makeEngine(
      {
        flaky: async () => {
          calls.push(clock.now());
          throw new Error('x');
        },
      },
      { random: () => 0.5 },
    );
    const sm = await createMachine(engine, {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: FN,
          Retry: [
            {
              ErrorEquals: ['States.ALL'],
              IntervalSeconds: 10,
              MaxAttempts: 3,
              BackoffRate: 4,
              MaxDelaySeconds: 20,
              JitterStrategy: 'FULL',
            },
          ],
          End: true,
        },
      },
    });
    const arn = await start(engine, sm);
    await clock.advance(3_600_000);
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('FAILED');
    // delays 10, min(40,20)=20, min(160,20)=20 seconds, each halved by the jitter factor 0.5
    expect(calls.map((t) => t - T0)).toEqual([0, 5000, 15000, 25000]);
  });

  it('MaxAttempts 0 never retries; the first matching retrier applies', async () => {
    let n = 0;
    const { engine, clock } = makeEngine({
      flaky: async () => {
        n++;
        throw new ComplaintNotFound('x');
      },
    });
    const sm = await createMachine(engine, {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: FN,
          Retry: [
            { ErrorEquals: ['ComplaintNotFound'], MaxAttempts: 0 },
            { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
          ],
          End: true,
        },
      },
    });
    const arn = await start(engine, sm);
    await clock.advance(600_000);
    expect(n).toBe(1);
    expect((await engine.describeExecution({ executionArn: arn })).error).toBe('ComplaintNotFound');
  });
});

describe('Catch', () => {
  it('catches a Lambda error by its errorType, with ResultPath', async () => {
    const { engine } = makeEngine({
      flaky: async () => {
        throw new ComplaintNotFound('no such complaint');
      },
    });
    const sm = await createMachine(engine, {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['ComplaintNotFound'], ResultPath: '$.err', Next: 'Handled' }], End: true },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const arn = await start(engine, sm, { id: 'c1' });
    const d = await engine.describeExecution({ executionArn: arn });
    const out = JSON.parse(d.output ?? '');
    expect(out.id).toBe('c1');
    expect(out.err.Error).toBe('ComplaintNotFound');
    // Lambda's function error shape: https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
    const cause = JSON.parse(out.err.Cause);
    expect(cause.errorType).toBe('ComplaintNotFound');
    expect(cause.errorMessage).toBe('no such complaint');
    expect(Array.isArray(cause.trace)).toBe(true);
    expect(await historyTypes(engine, arn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('JSONata Catch: Output from $states.errorOutput and Assign', async () => {
    const { engine } = makeEngine({
      flaky: async () => {
        throw new Error('boom');
      },
    });
    const sm = await createMachine(engine, {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN, Payload: '{% $states.input %}' },
          Catch: [
            {
              ErrorEquals: ['States.ALL'],
              Output: { e: '{% $states.errorOutput.Error %}', in: '{% $states.input.k %}' },
              Assign: { failed: true },
              Next: 'After',
            },
          ],
          End: true,
        },
        After: { Type: 'Pass', Output: '{% $merge([$states.input, {"failed": $failed}]) %}', End: true },
      },
    });
    const arn = await start(engine, sm, { k: 7 });
    const d = await engine.describeExecution({ executionArn: arn });
    expect(JSON.parse(d.output ?? '')).toEqual({ e: 'Error', in: 7, failed: true });
  });

  it('fails: States.ALL does not catch States.Runtime (unsupported resource)', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.ALL cannot catch Runtime errors)
    const { engine } = makeEngine();
    const sm = await createMachine(engine, {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::batch:submitJob', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true },
        C: { Type: 'Succeed' },
      },
    });
    const arn = await start(engine, sm);
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.Runtime');
    expect(d.cause).toContain('arn:aws:states:::batch:submitJob');
  });

  it('fails: an uncaught ResultPathMatchFailure fails the execution', async () => {
    const { engine } = makeEngine({ flaky: async () => 1 });
    const sm = await createMachine(engine, { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, ResultPath: '$.a.b', End: true } } });
    const arn = await start(engine, sm, 'a string input');
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.error).toBe('States.ResultPathMatchFailure');
  });
});

describe('error matching', () => {
  it('follows the names AWS defines', () => {
    expect(errorMatches(['States.ALL'], 'Anything')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'Lambda.ServiceException')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.Timeout'], 'States.HeartbeatTimeout')).toBe(true);
    expect(errorMatches(['A', 'B'], 'B')).toBe(true);
    expect(errorMatches(['A'], 'a')).toBe(false);
  });
});
