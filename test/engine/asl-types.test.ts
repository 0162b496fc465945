import type {
  CreateStateMachineCommandOutput,
  DescribeExecutionCommandOutput,
  GetExecutionHistoryCommandOutput,
  StartExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { type State, type StateMachineDefinition, validateDefinition } from '../../local/engine';
import { fixtureDefinition } from './fixtures/journal-fixture';
import { makeEngine, ROLE } from './helpers';

// The type checks here run under `tsc --noEmit` (the @ts-expect-error lines fail it if they compile).
describe('ASL types', () => {
  it('type a JSONata definition with Choice rule Output/Assign that the engine accepts', () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.n > 1 %}', Output: { big: true }, Assign: { size: 'big' }, Next: 'Done' }],
          Default: 'Done',
          Assign: { size: 'small' },
        },
        Done: { Type: 'Succeed' },
      },
    } satisfies StateMachineDefinition;
    expect(validateDefinition(JSON.stringify(definition))).toEqual([]);
  });

  it('type the JSONPath fixture definition, and narrow states by Type', () => {
    const definition: StateMachineDefinition = fixtureDefinition;
    const task = definition.States.Before;
    const resource = task.Type === 'Task' ? task.Resource : undefined;
    expect(resource).toMatch(/:function:step$/);
    expect(validateDefinition(JSON.stringify(definition))).toEqual([]);
  });

  it('rejects at compile time a Task without Resource and a state with both Next and End', () => {
    // @ts-expect-error Resource is required on a Task
    const noResource: State = { Type: 'Task', End: true };
    // @ts-expect-error Next and End exclude each other
    const both: State = { Type: 'Pass', Next: 'X', End: true };
    expect(validateDefinition(JSON.stringify({ StartAt: 'A', States: { A: noResource } }))).not.toEqual([]);
    expect(validateDefinition(JSON.stringify({ StartAt: 'A', States: { A: both, X: { Type: 'Succeed' } } }))).not.toEqual([]);
  });
});

describe('service API types', () => {
  it("answers with @aws-sdk/client-sfn's output types, members the service always returns present", async () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } } satisfies StateMachineDefinition;
    const { engine } = makeEngine();
    const created: Omit<CreateStateMachineCommandOutput, '$metadata'> = await engine.createStateMachine({
      name: 'typed',
      definition: JSON.stringify(definition),
      roleArn: ROLE,
    });
    const started: Omit<StartExecutionCommandOutput, '$metadata'> = await engine.startExecution({
      stateMachineArn: created.stateMachineArn,
    });
    await engine.settle();
    const described: Omit<DescribeExecutionCommandOutput, '$metadata'> = await engine.describeExecution({
      executionArn: started.executionArn,
    });
    const history = await engine.getExecutionHistory({ executionArn: started.executionArn });
    const events: Omit<GetExecutionHistoryCommandOutput, '$metadata'> = history;
    // Without `| undefined`: no `!` or `?.` needed on members the service always returns.
    expect(history.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(events.events?.length).toBe(4);
    expect(described.status).toBe('SUCCEEDED');
  });
});
