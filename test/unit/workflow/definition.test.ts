import validate from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { MILESTONES } from '../../../functions/domain/milestones';
import { buildComplaintLoopDefinition, COMPLAINT_LOOP_SUBSTITUTIONS } from '../../../workflows/complaint-loop';

type State = Record<string, any>;
const definition = buildComplaintLoopDefinition() as { StartAt: string; States: Record<string, State> };
const states = definition.States;

function successors(state: State): string[] {
  const next = [
    state.Next,
    state.Default,
    ...(state.Choices ?? []).map((c: State) => c.Next),
    ...(state.Catch ?? []).map((c: State) => c.Next),
  ];
  return next.filter((n): n is string => typeof n === 'string');
}

describe('complaint loop definition', () => {
  it('is valid ASL in JSONata', () => {
    const result = validate(definition);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    expect(definition).toMatchObject({ QueryLanguage: 'JSONata' });
  });

  it('reaches every state from StartAt and names only existing states', () => {
    const seen = new Set<string>();
    const queue = [definition.StartAt];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      expect(states[name], `state ${name}`).toBeDefined();
      seen.add(name);
      queue.push(...successors(states[name]!));
    }
    expect([...seen].sort()).toEqual(Object.keys(states).sort());
  });

  it('has a token-waiting state per milestone whose timeout follows the next due clock event', () => {
    for (const milestone of MILESTONES) {
      const state = states[milestone.state]!;
      expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(state.TimeoutSeconds).toContain('$nextDueAt');
      const clockCatch = state.Catch[0];
      expect(clockCatch.ErrorEquals).toEqual(['States.Timeout', 'ClocksChanged']);
      // The clock step re-arms the same wait (or, for the survey, decides whether it lapsed).
      const clock = states[clockCatch.Next]!;
      expect(clock.Arguments.FunctionName).toBe('${ClockTickFunctionArn}');
      expect([milestone.state, 'SurveyLapsed']).toContain(clock.Next);
    }
  });

  it('sends every failure that survives its retries to a person', () => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type !== 'Task' || name === 'EscalateFailure') continue;
      const last = state.Catch.at(-1);
      expect(last, name).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'EscalateFailure' });
    }
    expect(states.EscalateFailure!.Arguments.Payload.kinds).toEqual(['failure']);
  });

  it('H-13, H-31: tells the customer the handling opinion before waiting for the resolution, and of a reopen', () => {
    expect(states.AwaitHandlingOpinion!.Next).toBe('SendResponseNotice');
    expect(states.SendResponseNotice!.Arguments.Payload.kinds).toBe('{% ["response-notice"] %}');
    expect(states.SendResponseNotice!.Next).toBe('AwaitResolution');
    expect(states.Reopen!.Next).toBe('SendReopenNotice');
    expect(states.SendReopenNotice!.Arguments.Payload.kinds).toBe('{% ["reopen-notice"] %}');
    expect(states.SendReopenNotice!.Next).toBe('AwaitHandlingOpinion');
  });

  it('uses only the documented function placeholders', () => {
    const text = JSON.stringify(definition);
    const used = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(COMPLAINT_LOOP_SUBSTITUTIONS).sort());
  });

  it('never retries a clock timeout on a waiting state', () => {
    for (const milestone of MILESTONES) {
      for (const retrier of states[milestone.state]!.Retry) {
        expect(retrier.ErrorEquals).not.toContain('States.ALL');
        expect(retrier.ErrorEquals).not.toContain('States.Timeout');
      }
    }
  });
});
