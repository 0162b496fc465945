/**
 * Retry and Catch on the deployed definition with stubbed tasks: attempts and backoff on the virtual
 * clock, and every failure that survives its retries reaching a person through EscalateFailure.
 * Retriers (IntervalSeconds, BackoffRate, MaxAttempts, MaxDelaySeconds, JitterStrategy) and catchers:
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * The first retrier whose ErrorEquals matches applies, each with its own count; with its attempts
 * spent the catchers are scanned: https://states-language.net/spec.html#errors
 * FULL jitter: a delay drawn between 0 and the computed backoff (the engine's random source is
 * fixed here, so the delay is that fraction of the backoff).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../../functions/app/errors';
import { ComplaintNotFoundError } from '../../../functions/domain/errors';
import { type Retrier, StatesError } from '../../../local/engine';
import { buildComplaintLoopDefinition } from '../../../workflows/complaint-loop';
import { checkDeployedDefinition, failFirst, iso, MINUTE, startLoop, T0 } from './stub-harness';

const states = (buildComplaintLoopDefinition() as { States: Record<string, { Retry: Retrier[] }> }).States;

/** Waits, in ms, before each retry the retrier allows, at the given jitter fraction. */
function backoff(retrier: Retrier, jitter: number, retries = retrier.MaxAttempts!): number[] {
  return Array.from({ length: retries }, (_, n) => {
    const computed = retrier.IntervalSeconds! * retrier.BackoffRate! ** n;
    return Math.round(Math.min(computed, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * jitter * 1000);
  });
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

/** A task error of that name: the handlers' TransientError, or one the Lambda service reports. */
function errorNamed(name: string): Error {
  return name === 'TransientError' ? new TransientError('DynamoDB throttled the write') : new StatesError(name, 'Lambda service error');
}

/** Long enough for every retry of the definition to have run (a few minutes at most). */
const RETRIES_DONE = 15 * MINUTE;

const [transientRetry, lastChanceRetry] = states.ClassifyAndRegister!.Retry as [Retrier, Retrier];

beforeAll(checkDeployedDefinition);

describe('retries and catches on the deployed definition with stubbed tasks', () => {
  it.each(transientRetry.ErrorEquals)("retries %s with the first retrier's backoff, the same payload, and goes on", async (name) => {
    const loop = await startLoop({ stubs: { classify: failFirst('classify', 3, () => errorNamed(name)) } });
    await loop.advance(RETRIES_DONE);

    expect(gaps(loop.callTimes('classify'))).toEqual(backoff(transientRetry, 0.5, 3));
    // Each attempt carries the state's entered time: the handlers' idempotency markers rely on it.
    expect(loop.requests('classify')).toEqual(Array(4).fill({ complaintId: loop.complaintId, now: iso(T0) }));
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'NotifyIntake', 'AwaitFirstContact']);
  });

  it('fails when a transient error outlasts its retries: six, capped at MaxDelaySeconds, then EscalateFailure, and the execution fails', async () => {
    const loop = await startLoop({ jitter: 1, stubs: { classify: () => Promise.reject(new TransientError('DynamoDB unavailable')) } });
    await loop.advance(RETRIES_DONE);

    const registerAttempts = loop.callTimes('classify');
    // The catch-all retrier behind it does not add attempts: only the first matching retrier applies.
    expect(registerAttempts).toHaveLength(transientRetry.MaxAttempts! + 1);
    expect(gaps(registerAttempts)).toEqual(backoff(transientRetry, 1));
    expect(gaps(registerAttempts)).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000]);
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'EscalateFailure', 'Failed']);
    const [failure] = loop.requests('notify');
    expect(failure).toMatchObject({ kinds: ['failure'], error: { Error: 'TransientError' } });
    expect(JSON.parse(failure!.error!.Cause!)).toMatchObject({ errorType: 'TransientError', errorMessage: 'DynamoDB unavailable' });
    expect(await loop.describe()).toMatchObject({ status: 'FAILED', error: 'ComplaintLoopFailed' });
  });

  it('fails a task error that no retry cures: two last-chance retries, then EscalateFailure tells a person', async () => {
    const loop = await startLoop({ stubs: { classify: (request) => Promise.reject(new ComplaintNotFoundError(request.complaintId)) } });
    await loop.advance(RETRIES_DONE);

    expect(gaps(loop.callTimes('classify'))).toEqual(backoff(lastChanceRetry, 0.5));
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'EscalateFailure', 'Failed']);
    expect(loop.requests('notify')).toEqual([
      expect.objectContaining({
        kinds: ['failure'],
        now: iso(T0 + loop.callTimes('classify').at(-1)!),
        error: expect.objectContaining({ Error: 'ComplaintNotFoundError' }),
      }),
    ]);
    expect(await loop.describe()).toMatchObject({ status: 'FAILED', error: 'ComplaintLoopFailed' });
  });

  it("fails a waiting state's non-transient error to EscalateFailure at once: a clock timeout must never be retried away", async () => {
    const loop = await startLoop({
      stubs: {
        'await-milestone': (request) => Promise.reject(new Error(`complaint is at milestone investigation, not ${request.milestone}`)),
      },
    });
    await loop.advance(RETRIES_DONE);

    expect(loop.callTimes('await-milestone')).toEqual([0]);
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'NotifyIntake', 'AwaitFirstContact', 'EscalateFailure', 'Failed']);
    expect(loop.requests('notify').at(-1)).toMatchObject({ kinds: ['failure'], error: { Error: 'Error' } });
  });

  it("retries a waiting state's transient error, then waits on the new attempt's token", async () => {
    const loop = await startLoop({
      stubs: { 'await-milestone': failFirst('await-milestone', 1, () => new TransientError('token not stored')) },
    });
    await loop.advance(RETRIES_DONE);

    const [first, second] = loop.requests('await-milestone');
    expect(loop.callTimes('await-milestone')).toEqual([0, ...backoff(states.AwaitFirstContact!.Retry[0]!, 0.5, 1)]);
    expect(second!.taskToken).not.toBe(first!.taskToken);
    await loop.meet('first-contact');
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'NotifyIntake', 'AwaitFirstContact', 'AwaitInvestigation']);
  });

  it('fails the execution even when the failure notice cannot be sent: EscalateFailure retries ten times, then Failed', async () => {
    const loop = await startLoop({
      stubs: {
        classify: (request) => Promise.reject(new ComplaintNotFoundError(request.complaintId)),
        notify: () => Promise.reject(new TransientError('SES throttled')),
      },
    });
    await loop.advance(RETRIES_DONE);

    const escalateRetry = (states.EscalateFailure!.Retry as Retrier[])[0]!;
    expect(gaps(loop.callTimes('notify'))).toEqual(backoff(escalateRetry, 0.5));
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'EscalateFailure', 'Failed']);
    expect(await loop.describe()).toMatchObject({ status: 'FAILED', error: 'ComplaintLoopFailed' });
  });
});
