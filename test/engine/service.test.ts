import { describe, expect, it } from 'vitest';
import { SfnApiError } from '../../local/engine';
import { createMachine, historyTypes, makeEngine, ROLE, start, T0 } from './helpers';

async function apiError(p: Promise<unknown>): Promise<SfnApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SfnApiError) return e;
    throw e;
  }
  throw new Error('expected an API error');
}

const waitDef = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } };

describe('state machines', () => {
  it('create, describe, list, update, delete with AWS ARN formats', async () => {
    const { engine } = makeEngine();
    const def = JSON.stringify(waitDef);
    const c = await engine.createStateMachine({ name: 'complaint-flow', definition: def, roleArn: ROLE });
    expect(c.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:complaint-flow');
    expect(c.creationDate.getTime()).toBe(T0);
    // Same request again is idempotent.
    expect((await engine.createStateMachine({ name: 'complaint-flow', definition: def, roleArn: ROLE })).stateMachineArn).toBe(
      c.stateMachineArn,
    );
    const d = await engine.describeStateMachine({ stateMachineArn: c.stateMachineArn });
    expect(d).toMatchObject({ name: 'complaint-flow', status: 'ACTIVE', type: 'STANDARD', definition: def, roleArn: ROLE });
    expect((await engine.listStateMachines({})).stateMachines.map((m) => m.name)).toEqual(['complaint-flow']);
    const newDef = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    await engine.updateStateMachine({ stateMachineArn: c.stateMachineArn, definition: newDef });
    expect((await engine.describeStateMachine({ stateMachineArn: c.stateMachineArn })).definition).toBe(newDef);
    await engine.deleteStateMachine({ stateMachineArn: c.stateMachineArn });
    expect((await apiError(engine.describeStateMachine({ stateMachineArn: c.stateMachineArn }))).code).toBe('StateMachineDoesNotExist');
  });

  it('fails: StateMachineAlreadyExists, InvalidName, InvalidArn', async () => {
    const { engine } = makeEngine();
    await engine.createStateMachine({ name: 'a', definition: JSON.stringify(waitDef), roleArn: ROLE });
    const other = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    expect((await apiError(engine.createStateMachine({ name: 'a', definition: other, roleArn: ROLE }))).code).toBe(
      'StateMachineAlreadyExists',
    );
    expect((await apiError(engine.createStateMachine({ name: 'bad name!', definition: other, roleArn: ROLE }))).code).toBe('InvalidName');
    expect((await apiError(engine.describeStateMachine({ stateMachineArn: 'nope' }))).code).toBe('InvalidArn');
    expect(
      (await apiError(engine.describeExecution({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:a:none' }))).code,
    ).toBe('ExecutionDoesNotExist');
  });
});

describe('invalid definitions', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{oops', /not valid JSON/],
    ['undefined Next', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }, /Nowhere/],
    ['missing StartAt state', { StartAt: 'X', States: { A: { Type: 'Pass', End: true } } }, /X/],
    [
      'unreachable state',
      { StartAt: 'A', States: { A: { Type: 'Pass', End: true }, B: { Type: 'Pass', End: true } } },
      /B: state is not reachable/,
    ],
    [
      'States.ALL not last',
      {
        StartAt: 'A',
        States: {
          A: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Catch: [
              { ErrorEquals: ['States.ALL'], Next: 'B' },
              { ErrorEquals: ['X'], Next: 'B' },
            ],
            End: true,
          },
          B: { Type: 'Succeed' },
        },
      },
      /States.ALL must be in the last catcher/,
    ],
    ['unknown state type', { StartAt: 'A', States: { A: { Type: 'Sleep', End: true } } }, /Type/],
    [
      'JSONPath field in a JSONata state',
      { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', InputPath: '$.x', End: true } } },
      /InputPath/,
    ],
    [
      'bad JSONata syntax',
      { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } } },
      /JSONata/,
    ],
    ['no Next or End', { StartAt: 'A', States: { A: { Type: 'Pass' } } }, /Next|terminal/],
  ];
  for (const [label, def, re] of cases) {
    it(`fails: ${label} is rejected with InvalidDefinition and the reason`, async () => {
      const { engine } = makeEngine();
      const e = await apiError(
        engine.createStateMachine({ name: 'x', definition: typeof def === 'string' ? def : JSON.stringify(def), roleArn: ROLE }),
      );
      expect(e.code).toBe('InvalidDefinition');
      expect(e.message).toMatch(re);
    });
  }
  it('fails: UpdateStateMachine rejects an invalid definition too', async () => {
    const { engine } = makeEngine();
    const sm = await createMachine(engine, waitDef);
    const e = await apiError(engine.updateStateMachine({ stateMachineArn: sm, definition: JSON.stringify({ StartAt: 'Z', States: {} }) }));
    expect(e.code).toBe('InvalidDefinition');
  });
  it('accepts a JSONata definition with templates in every kind of field', async () => {
    const { engine } = makeEngine();
    await createMachine(engine, {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: 'f', Payload: { t: '{% $states.context.Task.Token %}' } },
          TimeoutSeconds: '{% $states.input.t %}',
          HeartbeatSeconds: 60,
          Assign: { a: '{% $states.result %}' },
          Output: [1, 2],
          Next: 'W',
        },
        W: { Type: 'Wait', Seconds: '{%$states.input.s%}', Next: 'F' },
        F: { Type: 'Fail', Error: '{% "E" %}', Cause: 'literal' },
      },
    });
  });
});

describe('executions', () => {
  it('StartExecution is idempotent by name and input while running; otherwise ExecutionAlreadyExists', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, waitDef, 'flow');
    const a = await engine.startExecution({ stateMachineArn: sm, name: 'c-1', input: '{"a":1}' });
    expect(a.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:flow:c-1');
    await clock.advance(1000);
    const b = await engine.startExecution({ stateMachineArn: sm, name: 'c-1', input: '{"a":1}' });
    expect(b).toEqual(a);
    expect((await apiError(engine.startExecution({ stateMachineArn: sm, name: 'c-1', input: '{"a":2}' }))).code).toBe(
      'ExecutionAlreadyExists',
    );
    await clock.advance(3600_000);
    expect((await apiError(engine.startExecution({ stateMachineArn: sm, name: 'c-1', input: '{"a":1}' }))).code).toBe(
      'ExecutionAlreadyExists',
    );
    expect((await apiError(engine.startExecution({ stateMachineArn: sm, input: '{bad' }))).code).toBe('InvalidExecutionInput');
  });

  it('ListExecutions filters by status, newest first, with pagination', async () => {
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, waitDef);
    for (let i = 0; i < 5; i++) {
      await engine.startExecution({ stateMachineArn: sm, name: `e${i}` });
      await clock.advance(1000);
    }
    await engine.stopExecution({ executionArn: `${sm.replace(':stateMachine:', ':execution:')}:e0`, error: 'Manual', cause: 'test' });
    const running = await engine.listExecutions({ stateMachineArn: sm, statusFilter: 'RUNNING' });
    expect(running.executions.map((e) => e.name)).toEqual(['e4', 'e3', 'e2', 'e1']);
    const aborted = await engine.listExecutions({ stateMachineArn: sm, statusFilter: 'ABORTED' });
    expect(aborted.executions.map((e) => e.name)).toEqual(['e0']);
    const p1 = await engine.listExecutions({ stateMachineArn: sm, maxResults: 2 });
    const p2 = await engine.listExecutions({ stateMachineArn: sm, maxResults: 2, nextToken: p1.nextToken });
    expect([...p1.executions, ...p2.executions].map((e) => e.name)).toEqual(['e4', 'e3', 'e2', 'e1']);
  });

  it('StopExecution aborts a waiting execution with ExecutionAborted', async () => {
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, waitDef);
    const arn = await start(engine, sm);
    await clock.advance(5000);
    const s = await engine.stopExecution({ executionArn: arn, error: 'Manual', cause: 'operator' });
    expect(s.stopDate?.getTime()).toBe(T0 + 5000);
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'operator' });
    await clock.advance(3600_000); // the wait's timer must not revive it
    expect(await historyTypes(engine, arn)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
  });

  it('fails with ExecutionTimedOut at the definition TimeoutSeconds', async () => {
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, { ...waitDef, TimeoutSeconds: 60 });
    const arn = await start(engine, sm);
    await clock.advance(60_000);
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.status).toBe('TIMED_OUT');
    expect(d.stopDate?.getTime()).toBe(T0 + 60_000);
    expect((await historyTypes(engine, arn)).at(-1)).toBe('ExecutionTimedOut');
  });

  it('GetExecutionHistory: ids, previousEventId, timestamps, reverseOrder, paging, includeExecutionData', async () => {
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: { a: 1 }, Next: 'W' }, W: { Type: 'Wait', Seconds: 30, End: true } },
    });
    const arn = await start(engine, sm, { in: true });
    await clock.advance(30_000);
    const h = await engine.getExecutionHistory({ executionArn: arn });
    expect(h.events.map((e) => [e.id, e.previousEventId, e.type, e.timestamp.getTime() - T0])).toEqual([
      [1, 0, 'ExecutionStarted', 0],
      [2, 1, 'PassStateEntered', 0],
      [3, 2, 'PassStateExited', 0],
      [4, 3, 'WaitStateEntered', 0],
      [5, 4, 'WaitStateExited', 30_000],
      [6, 5, 'ExecutionSucceeded', 30_000],
    ]);
    expect(h.events[0].executionStartedEventDetails).toMatchObject({ input: '{"in":true}', roleArn: ROLE });
    expect(h.events[1].stateEnteredEventDetails).toEqual({ name: 'P', input: '{"in":true}', inputDetails: { truncated: false } });
    expect(h.events[2].stateExitedEventDetails).toEqual({ name: 'P', output: '{"a":1}', outputDetails: { truncated: false } });
    const rev = await engine.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 4 });
    expect(rev.events.map((e) => e.id)).toEqual([6, 5, 4, 3]);
    const rest = await engine.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 4, nextToken: rev.nextToken });
    expect(rest.events.map((e) => e.id)).toEqual([2, 1]);
    expect(rest.nextToken).toBeUndefined();
    const noData = await engine.getExecutionHistory({ executionArn: arn, includeExecutionData: false });
    expect(noData.events[1].stateEnteredEventDetails).toEqual({ name: 'P' });
  });

  it('waitForExecution resolves with the DescribeExecution response', async () => {
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, waitDef);
    const arn = await start(engine, sm);
    const p = engine.waitForExecution(arn);
    await clock.advance(3600_000);
    const d = await p;
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('{}');
  });
});
