/**
 * Clocks on the deployed definition with stubbed tasks: each milestone wait is a `.waitForTaskToken`
 * task whose TimeoutSeconds is the next instant a clock needs attention. When it times out
 * (States.Timeout) or is failed with ClocksChanged, its clock step runs and the wait is re-armed.
 * Task TimeoutSeconds and HeartbeatSeconds, States.Timeout: https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 * A token whose task timed out or closed answers TaskTimedOut: https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 * Catching States.Timeout and custom errors: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDeployedDefinition, DAY, HOUR, iso, MINUTE, type StubbedLoop, startLoop, T0 } from './stub-harness';

/** The clock step's answer for a ladder of due instants (ms after T0): the first one still ahead. */
function ladder(dues: number[]) {
  return (_request: unknown, loop: StubbedLoop) => {
    const next = dues.find((due) => T0 + due > loop.clock.now());
    return { nextDueAt: next === undefined ? null : iso(T0 + next), expired: false };
  };
}

const INTAKE = ['ClassifyAndRegister', 'NotifyIntake'];

beforeAll(checkDeployedDefinition);

describe('clocks on the deployed definition with stubbed tasks', () => {
  it('H-01, H-05: runs the clock step at each due instant while first contact is awaited, then goes on when it is met', async () => {
    // The SLA policy's first-contact ladder, as the clock-tick Lambda would report it: warnings and escalations.
    const dues = [15 * MINUTE, 20 * MINUTE, 30 * MINUTE, 40 * MINUTE];
    const loop = await startLoop({ nextDueAt: T0 + dues[0]!, stubs: { 'clock-tick': ladder(dues) } });

    await loop.advanceTo(dues[0]! - 1);
    expect(loop.callTimes('clock-tick')).toEqual([]);
    await loop.advanceTo(41 * MINUTE);
    expect(loop.callTimes('clock-tick')).toEqual(dues);
    expect(loop.requests('clock-tick')).toEqual(
      dues.map((due) => ({ complaintId: loop.complaintId, now: iso(T0 + due), milestone: 'first-contact' })),
    );

    await loop.meet('first-contact');
    const wait = ['AwaitFirstContact', 'FirstContactClock'];
    expect(await loop.statesEntered()).toEqual([...INTAKE, ...wait, ...wait, ...wait, ...wait, 'AwaitFirstContact', 'AwaitInvestigation']);
  });

  it('arms a due instant that has already passed for one second, never zero', async () => {
    const loop = await startLoop({ nextDueAt: T0 - MINUTE, stubs: { 'clock-tick': ladder([]) } });
    await loop.advance(HOUR);
    expect(loop.callTimes('clock-tick')).toEqual([1000]);
  });

  it('ClocksChanged: runs the clock step at once and waits for the new due instant, not the old one', async () => {
    const loop = await startLoop({ nextDueAt: T0 + 15 * MINUTE, stubs: { 'clock-tick': ladder([30 * MINUTE]) } });
    await loop.advance(5 * MINUTE);
    await loop.changeClocks('first-contact');
    expect(loop.callTimes('clock-tick')).toEqual([5 * MINUTE]);

    await loop.advanceTo(30 * MINUTE - 1);
    expect(loop.callTimes('clock-tick')).toEqual([5 * MINUTE]);
    await loop.advanceTo(30 * MINUTE);
    expect(loop.callTimes('clock-tick')).toEqual([5 * MINUTE, 30 * MINUTE]);
    expect((await loop.statesEntered()).slice(INTAKE.length)).toEqual([
      'AwaitFirstContact',
      'FirstContactClock',
      'AwaitFirstContact',
      'FirstContactClock',
      'AwaitFirstContact',
    ]);
  });

  it('pause and resume: no clock step runs while the investigation is paused; on resume the wait re-arms from the new due instant', async () => {
    const loop = await startLoop();
    await loop.meet('first-contact');
    // Pause: the store stops the clocks, so nothing is due; the clock step sends the customer's pause notice (H-31).
    await loop.advance(HOUR);
    loop.nextDueAt = null;
    await loop.changeClocks('investigation');
    await loop.advance(30 * DAY);
    expect(loop.callTimes('clock-tick')).toEqual([HOUR]);

    // Resume: the clocks run again, due two hours later.
    const resumedAt = HOUR + 30 * DAY;
    loop.nextDueAt = iso(T0 + resumedAt + 2 * HOUR);
    await loop.changeClocks('investigation');
    await loop.advance(3 * HOUR);
    expect(loop.callTimes('clock-tick')).toEqual([HOUR, resumedAt, resumedAt + 2 * HOUR]);
    expect(loop.requests('clock-tick').map((r) => r.milestone)).toEqual(['investigation', 'investigation', 'investigation']);
    expect((await loop.statesEntered()).filter((s) => s === 'InvestigationClock')).toHaveLength(3);
  });

  it('waits without heartbeats: with no clock pending a wait holds for a year, then its clock step looks again', async () => {
    const loop = await startLoop({ nextDueAt: null });
    await loop.advance(364 * DAY);
    expect(loop.callTimes('clock-tick')).toEqual([]);
    expect((await loop.statesEntered()).at(-1)).toBe('AwaitFirstContact');
    await loop.advance(DAY);
    expect(loop.callTimes('clock-tick')).toEqual([365 * DAY]);
    expect((await loop.describe()).status).toBe('RUNNING');
  });

  it('fails a late answer on a timed-out token with TaskTimedOut; the re-armed wait takes the new token', async () => {
    const loop = await startLoop({ nextDueAt: T0 + 15 * MINUTE, stubs: { 'clock-tick': ladder([]) } });
    const stale = loop.waiting.get('first-contact')!;
    await loop.advance(15 * MINUTE);
    expect(loop.callTimes('clock-tick')).toEqual([15 * MINUTE]);
    const output = JSON.stringify({ milestone: 'first-contact', nextDueAt: null });
    await expect(loop.engine.sendTaskSuccess({ taskToken: stale, output })).rejects.toMatchObject({ name: 'TaskTimedOut' });

    expect(loop.waiting.get('first-contact')).not.toBe(stale);
    await loop.meet('first-contact');
    expect((await loop.statesEntered()).at(-1)).toBe('AwaitInvestigation');
  });
});
