import { describe, expect, it } from 'vitest';
import type { SfnApiError } from '../../local/engine';
import { createMachine, historyTypes, makeEngine, start, T0 } from './helpers';

// Callback pattern: https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
function callbackMachine(extra: Record<string, unknown> = {}, ql: 'JSONPath' | 'JSONata' = 'JSONPath') {
  const task =
    ql === 'JSONPath'
      ? { Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } } }
      : { Arguments: { FunctionName: 'notify', Payload: { token: '{% $states.context.Task.Token %}', id: '{% $states.input.id %}' } } };
  return {
    QueryLanguage: ql,
    StartAt: 'Wait for human',
    States: {
      'Wait for human': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', ...task, ...extra, End: true },
    },
  };
}

function setup() {
  const tokens: string[] = [];
  const env = makeEngine({
    notify: async (e: any) => {
      tokens.push(e.token);
      return { sent: true };
    },
  });
  return { ...env, tokens };
}

async function apiError(p: Promise<unknown>): Promise<SfnApiError> {
  try {
    await p;
  } catch (e) {
    return e as SfnApiError;
  }
  throw new Error('expected an API error');
}

describe('task tokens', () => {
  it('passes a real opaque token and completes with SendTaskSuccess output', async () => {
    const { engine, tokens } = setup();
    const sm = await createMachine(engine, callbackMachine());
    const arn = await start(engine, sm, { id: 'c-1' });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatch(/^AQ[A-Za-z0-9_-]{64}$/); // 384 random bits
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await engine.sendTaskHeartbeat({ taskToken: tokens[0] });
    await engine.sendTaskSuccess({ taskToken: tokens[0], output: JSON.stringify({ answer: 42 }) });
    const d = await engine.waitForExecution(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ answer: 42 });
    expect(await historyTypes(engine, arn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const h = await engine.getExecutionHistory({ executionArn: arn });
    const sched = h.events.find((e) => e.type === 'TaskScheduled')!;
    expect(sched.taskScheduledEventDetails?.resource).toBe('invoke.waitForTaskToken');
    expect(sched.taskScheduledEventDetails?.resourceType).toBe('lambda');
  });

  it('works in JSONata with $states.context.Task.Token and SendTaskFailure', async () => {
    const { engine, tokens } = setup();
    const sm = await createMachine(engine, callbackMachine({}, 'JSONata'));
    const arn = await start(engine, sm, { id: 'c-2' });
    await engine.sendTaskFailure({ taskToken: tokens[0], error: 'Rejected', cause: 'by supervisor' });
    const d = await engine.waitForExecution(arn);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('Rejected');
    expect(d.cause).toBe('by supervisor');
  });

  it('fails with States.Timeout at TimeoutSeconds, then SendTaskSuccess gets TaskTimedOut', async () => {
    const { engine, tokens, clock } = setup();
    const sm = await createMachine(engine, callbackMachine({ TimeoutSeconds: 1200 }));
    const arn = await start(engine, sm, { id: 'c-3' });
    await clock.advance(1_199_999);
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await clock.advance(1);
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.Timeout');
    expect(d.stopDate?.getTime()).toBe(T0 + 1_200_000);
    expect((await historyTypes(engine, arn)).slice(-2)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html (TaskTimedOut)
    const e = await apiError(engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' }));
    expect(e.code).toBe('TaskTimedOut');
  });

  it('fails with States.HeartbeatTimeout when heartbeats stop; heartbeats push the deadline', async () => {
    const { engine, tokens, clock } = setup();
    const sm = await createMachine(engine, callbackMachine({ HeartbeatSeconds: 60, TimeoutSeconds: 3600 }));
    const arn = await start(engine, sm, { id: 'c-4' });
    await clock.advance(50_000);
    await engine.sendTaskHeartbeat({ taskToken: tokens[0] });
    await clock.advance(50_000); // 100 s after start, 50 s after the heartbeat
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await clock.advance(10_000);
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.HeartbeatTimeout');
    expect(d.stopDate?.getTime()).toBe(T0 + 110_000);
    expect((await apiError(engine.sendTaskHeartbeat({ taskToken: tokens[0] }))).code).toBe('TaskTimedOut');
  });

  it('reads TimeoutSecondsPath / HeartbeatSecondsPath and JSONata TimeoutSeconds', async () => {
    const a = setup();
    const sm = await createMachine(a.engine, callbackMachine({ TimeoutSecondsPath: '$.limit' }));
    const arn = await start(a.engine, sm, { id: 'x', limit: 30 });
    await a.clock.advance(30_000);
    expect((await a.engine.describeExecution({ executionArn: arn })).error).toBe('States.Timeout');
    const b = setup();
    const sm2 = await createMachine(b.engine, callbackMachine({ TimeoutSeconds: '{% $states.input.limit * 60 %}' }, 'JSONata'));
    const arn2 = await start(b.engine, sm2, { id: 'y', limit: 20 });
    await b.clock.advance(1_199_000);
    expect((await b.engine.describeExecution({ executionArn: arn2 })).status).toBe('RUNNING');
    await b.clock.advance(1_000);
    expect((await b.engine.describeExecution({ executionArn: arn2 })).error).toBe('States.Timeout');
  });

  it('reads HeartbeatSecondsPath', async () => {
    const { engine, clock } = setup();
    const sm = await createMachine(engine, callbackMachine({ HeartbeatSecondsPath: '$.hb' }));
    const arn = await start(engine, sm, { id: 'h', hb: 90 });
    await clock.advance(89_999);
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await clock.advance(1);
    expect((await engine.describeExecution({ executionArn: arn })).error).toBe('States.HeartbeatTimeout');
  });

  it('accepts success sent from inside the integration call, before it returns', async () => {
    const env = makeEngine({
      notify: async (e: any) => {
        await env.engine.sendTaskSuccess({ taskToken: e.token, output: '"early"' });
        return {};
      },
    });
    const sm = await createMachine(env.engine, callbackMachine());
    const arn = await start(env.engine, sm, { id: 'e' });
    const d = await env.engine.waitForExecution(arn);
    expect(d.output).toBe('"early"');
  });

  it('fails: API errors for unknown, malformed and used tokens, and non-JSON output', async () => {
    const { engine, tokens } = setup();
    const sm = await createMachine(engine, callbackMachine());
    await start(engine, sm, { id: 'z' });
    expect((await apiError(engine.sendTaskSuccess({ taskToken: `AQ${'a'.repeat(64)}`, output: '{}' }))).code).toBe('TaskDoesNotExist');
    expect((await apiError(engine.sendTaskSuccess({ taskToken: 'not-a-token', output: '{}' }))).code).toBe('InvalidToken');
    expect((await apiError(engine.sendTaskSuccess({ taskToken: tokens[0], output: '{oops' }))).code).toBe('InvalidOutput');
    await engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' });
    expect((await apiError(engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' }))).code).toBe('TaskTimedOut');
  });

  it('fails the task when the integration itself fails before the token is used', async () => {
    const { engine } = makeEngine({});
    const sm = await createMachine(engine, callbackMachine());
    const arn = await start(engine, sm, { id: 'n' });
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.error).toBe('Lambda.ResourceNotFoundException');
  });
});
