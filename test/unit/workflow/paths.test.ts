/**
 * The loop's paths through the deployed definition, with stubbed tasks on a virtual clock: which
 * states run, in which order, and what each task is asked.
 * Wait-for-callback (`.waitForTaskToken`, SendTaskSuccess): https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 * Choice rules (JSONata Condition): https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDeployedDefinition, DAY, HOUR, iso, MINUTE, StubbedLoop, startLoop, T0 } from './stub-harness';

/** The customer answers the survey half an hour after the result notice. */
const ANSWER_AFTER = 30 * MINUTE;
const HANDLING = ['AwaitFirstContact', 'AwaitInvestigation', 'AwaitHandlingOpinion', 'SendResponseNotice', 'AwaitResolution'];

/** Meets the four handling milestones, one hour apart. */
async function handle(loop: StubbedLoop): Promise<void> {
  for (const milestone of ['first-contact', 'investigation', 'handling-opinion', 'resolution'] as const) {
    await loop.advance(HOUR);
    await loop.meet(milestone);
  }
}

beforeAll(checkDeployedDefinition);

describe('the deployed definition with stubbed tasks', () => {
  it('H-30: runs the happy path: every milestone met in time, the survey says solved, the complaint is closed and archived', async () => {
    const loop = await startLoop();
    await handle(loop);
    await loop.advance(ANSWER_AFTER);
    await loop.meet('survey', { outcome: 'solved' });

    expect(await loop.statesEntered()).toEqual([
      'ClassifyAndRegister',
      'NotifyIntake',
      ...HANDLING,
      'SendResultNotice',
      'AwaitSurvey',
      'SurveyAnswered',
      'Close',
    ]);
    expect((await loop.describe()).status).toBe('SUCCEEDED');
    expect(loop.requests('lifecycle').map((r) => r.action)).toEqual(['close']);
    expect(loop.requests('notify').map((r) => r.kinds)).toEqual([['intake-acknowledgment'], ['response-notice'], ['result-notice']]);
    expect(loop.requests('await-milestone').map((r) => r.milestone)).toEqual([
      'first-contact',
      'investigation',
      'handling-opinion',
      'resolution',
      'survey',
    ]);
    expect(loop.requests('clock-tick')).toEqual([]);
  });

  it('hands every task the complaint id and the time its state was entered on the engine clock', async () => {
    const loop = await startLoop();
    await handle(loop);
    await loop.advance(ANSWER_AFTER);
    await loop.meet('survey', { outcome: 'solved' });

    for (const call of loop.calls) {
      expect(call.request.complaintId).toBe(loop.complaintId);
      expect(call.request.now, call.handler).toBe(iso(call.at));
    }
    // H-13: the response notice goes out the moment the handling opinion is met (3 h), the result notice when resolved (4 h).
    expect(loop.callTimes('notify')).toEqual([0, 3 * HOUR, 4 * HOUR]);
    expect(loop.callTimes('lifecycle')).toEqual([4 * HOUR + ANSWER_AFTER]);
  });

  it.each([
    [true, ['intake-acknowledgment', 'management-intake']],
    [false, ['intake-acknowledgment']],
  ])('H-24: with management involvement %s, tells at intake: %j', async (management, kinds) => {
    const loop = await startLoop({ management });
    expect(loop.requests('notify')).toEqual([{ complaintId: loop.complaintId, now: iso(T0), kinds }]);
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'NotifyIntake', 'AwaitFirstContact']);
  });

  it('H-34: reopens a complaint the customer says is not solved, back to the handling opinion, and closes it when solved', async () => {
    const loop = await startLoop();
    await handle(loop);
    await loop.meet('survey', { outcome: 'not-solved' });
    await loop.advance(HOUR);
    await loop.meet('handling-opinion');
    await loop.advance(HOUR);
    await loop.meet('resolution');
    await loop.meet('survey', { outcome: 'solved' });

    expect(await loop.statesEntered()).toEqual([
      'ClassifyAndRegister',
      'NotifyIntake',
      ...HANDLING,
      'SendResultNotice',
      'AwaitSurvey',
      'SurveyAnswered',
      'Reopen',
      'SendReopenNotice',
      'AwaitHandlingOpinion',
      'SendResponseNotice',
      'AwaitResolution',
      'SendResultNotice',
      'AwaitSurvey',
      'SurveyAnswered',
      'Close',
    ]);
    expect(loop.requests('lifecycle').map((r) => r.action)).toEqual(['reopen', 'close']);
    expect(loop.requests('notify').map((r) => r.kinds)).toEqual([
      ['intake-acknowledgment'],
      ['response-notice'],
      ['result-notice'],
      ['reopen-notice'],
      ['response-notice'],
      ['result-notice'],
    ]);
    expect((await loop.describe()).status).toBe('SUCCEEDED');
  });

  it('H-33: closes a survey nobody answers once the clock step reports it expired, after a reminder', async () => {
    // SLA-policy data the stubs stand for: the reminder 3 days after the result notice, the survey closed at 7 days.
    const surveyOpened = 4 * HOUR;
    const reminder = T0 + surveyOpened + 3 * DAY;
    const closes = T0 + surveyOpened + 7 * DAY;
    const loop = await startLoop({
      stubs: {
        notify: (request, l) => ({ nextDueAt: request.kinds.includes('result-notice') ? iso(reminder) : l.nextDueAt }),
        'clock-tick': (request, l) => {
          expect(request.milestone).toBe('survey');
          const expired = l.clock.now() >= closes;
          return { nextDueAt: expired ? null : iso(closes), expired };
        },
      },
    });
    await handle(loop);
    await loop.advance(8 * DAY);

    expect((await loop.statesEntered()).slice(-8)).toEqual([
      'SendResultNotice',
      'AwaitSurvey',
      'SurveyClock',
      'SurveyLapsed',
      'AwaitSurvey',
      'SurveyClock',
      'SurveyLapsed',
      'Close',
    ]);
    expect(loop.callTimes('clock-tick')).toEqual([reminder - T0, closes - T0]);
    expect(loop.requests('lifecycle').map((r) => r.action)).toEqual(['close']);
    expect((await loop.describe()).status).toBe('SUCCEEDED');
  });

  it('goes on at once when await-milestone finds the milestone already met and answers its own token', async () => {
    const loop = await startLoop({
      stubs: {
        'await-milestone': async (request, l) => {
          if (request.milestone !== 'first-contact') return l.byDefault('await-milestone', request);
          const output = { milestone: request.milestone, nextDueAt: l.nextDueAt };
          await l.engine.sendTaskSuccess({ taskToken: request.taskToken, output: JSON.stringify(output) });
          return { met: true };
        },
      },
    });
    expect(await loop.statesEntered()).toEqual(['ClassifyAndRegister', 'NotifyIntake', 'AwaitFirstContact', 'AwaitInvestigation']);
    expect(loop.waiting.has('investigation')).toBe(true);
    expect(loop.callTimes('await-milestone')).toEqual([0, 0]);
  });

  it('fails a request or an answer that drifts from the task contract: the harness refuses and reports it', async () => {
    // Not through startLoop: this test expects the violations that startLoop's end-of-test check rejects.
    const loop = new StubbedLoop({ stubs: { notify: () => JSON.parse('{"nextDueAt":20260303}') } });
    const reopen = { complaintId: loop.complaintId, now: iso(T0), action: 'reopen' };
    await expect(loop.handle('lifecycle', { ...reopen, priority: 'high' })).rejects.toThrow(/breaks the task contract/);
    await expect(loop.handle('notify', { complaintId: loop.complaintId, now: iso(T0), kinds: ['intake-acknowledgment'] })).resolves.toEqual(
      {
        nextDueAt: 20260303,
      },
    );
    expect(loop.contractViolations).toEqual([
      expect.stringMatching(/^lifecycle request .*priority/),
      expect.stringMatching(/^notify answer/),
    ]);
    expect(loop.requests('lifecycle')).toEqual([]);
    await loop.engine.close();
  });
});
