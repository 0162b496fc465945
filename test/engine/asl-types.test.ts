import { describe, expect, it } from 'vitest';
import { type State, type StateMachineDefinition, validateDefinition } from '../../local/engine';
import { fixtureDefinition } from './fixtures/journal-fixture';

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
