import { describe, expect, it } from 'vitest';
import { run } from './helpers';

/**
 * Choice rule-level Assign and Output. The definition is the Choice example of the Amazon States
 * Language ("ChoiceStateX" with the "ValueInTwenties" rule), with Assign as
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html describes it: a rule's
 * Assign "assigns variables when this specific choice rule matches", and an Assign block at the
 * state level "applies regardless of which choice rule matches". Variables are read as in
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html.
 * Both Assign blocks apply; for a variable both name, the matched rule's value is the one kept (as
 * Step Functions' own execution history shows for a rule and a state both assigning one variable).
 * A matched rule's Output replaces the state's; the state's Output applies when the Default is taken.
 */
const read = { range: '{% $range %}', checked: '{% $checked %}', input: '{% $states.input %}' };
const specChoice = {
  QueryLanguage: 'JSONata',
  StartAt: 'ChoiceStateX',
  States: {
    ChoiceStateX: {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $states.input.type != 'Private' %}", Assign: { range: 'public' }, Next: 'Public' },
        {
          Condition: '{% $states.input.value >= 20 and $states.input.value < 30 %}',
          Assign: { range: 'twenties' },
          Output: { value: '{% $states.input.value %}' },
          Next: 'ValueInTwenties',
        },
      ],
      Default: 'DefaultState',
      Assign: { range: 'other', checked: '{% $states.input.value %}' },
      Output: { fell: 'through' },
    },
    Public: { Type: 'Pass', Output: read, End: true },
    ValueInTwenties: { Type: 'Pass', Output: read, End: true },
    DefaultState: { Type: 'Pass', Output: read, End: true },
  },
};

describe('Choice rule-level Assign and Output (JSONata)', () => {
  it('the second rule matching assigns range "twenties" over the state-level value, and its Output is the next input', async () => {
    const { d, out, engine, arn } = await run(specChoice, { type: 'Private', value: 25 });
    expect(d.status).toBe('SUCCEEDED');
    expect(out).toEqual({ range: 'twenties', checked: 25, input: { value: 25 } });
    const h = await engine.getExecutionHistory({ executionArn: arn });
    const exited = h.events.find((e) => e.type === 'ChoiceStateExited');
    expect(exited?.stateExitedEventDetails?.assignedVariables).toEqual({ range: '"twenties"', checked: '25' });
  });

  it('the state-level Assign applies whichever rule matches (state-choice.html: "regardless of which choice rule matches")', async () => {
    const { out } = await run(specChoice, { type: 'Public', value: 25 });
    expect(out).toEqual({ range: 'public', checked: 25, input: { type: 'Public', value: 25 } });
  });

  it('the state-level Assign and Output apply when the Default is taken', async () => {
    const { out } = await run(specChoice, { type: 'Private', value: 35 });
    expect(out).toEqual({ range: 'other', checked: 35, input: { fell: 'through' } });
  });

  it('both Assign blocks see the variables from before the state', async () => {
    const { out } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { n: 1 }, Next: 'C' },
        C: {
          Type: 'Choice',
          Choices: [{ Condition: '{% true %}', Assign: { n: '{% $n + 10 %}' }, Next: 'Read' }],
          Default: 'Read',
          Assign: { before: '{% $n %}' },
        },
        Read: { Type: 'Pass', Output: { n: '{% $n %}', before: '{% $before %}' }, End: true },
      },
    });
    expect(out).toEqual({ n: 11, before: 1 });
  });
});

describe('Choice rule-level Assign (JSONPath)', () => {
  const def = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.n', NumericGreaterThan: 10, Assign: { 'size.$': '$.n' }, Next: 'Read' },
          { Variable: '$.n', NumericEquals: 0, Next: 'Read' },
        ],
        Default: 'Read',
        Assign: { size: 'default' },
      },
      Read: { Type: 'Pass', Parameters: { 'size.$': '$size' }, End: true },
    },
  };

  it('a matched rule with Assign assigns from the effective input', async () => {
    expect((await run(def, { n: 11 })).out).toEqual({ size: 11 });
  });

  it('the state-level Assign applies when the Default is taken', async () => {
    expect((await run(def, { n: 5 })).out).toEqual({ size: 'default' });
  });

  it('a matched rule without Assign still gets the state-level Assign (state-choice.html: "regardless of which choice rule matches")', async () => {
    expect((await run(def, { n: 0 })).out).toEqual({ size: 'default' });
  });

  it('fails when a matched rule assigns from a path its input lacks', async () => {
    const missing = structuredClone(def);
    missing.States.C.Choices[0].Assign = { 'size.$': '$.missing' };
    const { d } = await run(missing, { n: 11 });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.Runtime');
  });
});

describe('workflow variables named like the added JSONata functions', () => {
  it('a variable named hash is the variable; the functions stay usable elsewhere', async () => {
    const { out } = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Output: { h: "{% $hash('a', 'MD5') %}", r: '{% $range(1, 3, 1) %}' }, Assign: { hash: 'mine' }, Next: 'B' },
        B: { Type: 'Pass', Output: { h: '{% $hash %}', before: '{% $states.input %}' }, End: true },
      },
    });
    expect(out).toEqual({ h: 'mine', before: { h: '0cc175b9c0f1b6a831c399e269772661', r: [1, 2, 3] } });
  });
});
