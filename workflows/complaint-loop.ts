/**
 * The complaint closed loop as an Amazon States Language definition (JSONata): the one source
 * of the workflow. CDK deploys it with definition substitutions for the function ARNs; the local
 * runtime resolves the same substitutions from the synthesized template.
 *
 * Shape (H-30): ClassifyAndRegister → NotifyIntake → one await state per milestone
 * (functions/domain/milestones.ts; the handling opinion is followed by SendResponseNotice, H-13) →
 * SendResultNotice → AwaitSurvey → Close, or Reopen → SendReopenNotice (H-34, H-31).
 *
 * Clocks follow the await loop of the design notes: each await state is a `.waitForTaskToken`
 * task whose timeout is the next instant any running clock needs attention (`$nextDueAt`). When it
 * times out, the milestone's clock state sends what is due (warning, escalation) and the await is
 * re-armed. So a milestone met in time costs one transition and each clock event two, and which
 * clocks run is SLA-policy data read by the Lambdas, not states.
 */
import { CLOCKS_CHANGED, type NotificationKind } from '../functions/contract/tasks';
import { MILESTONES, type MilestoneId, REOPEN_MILESTONE } from '../functions/domain/milestones';

/** Placeholder name in the definition → the handler (functions/handlers/<name>.ts) behind it. */
export const COMPLAINT_LOOP_SUBSTITUTIONS = {
  ClassifyFunctionArn: 'classify',
  LifecycleFunctionArn: 'lifecycle',
  AwaitMilestoneFunctionArn: 'await-milestone',
  ClockTickFunctionArn: 'clock-tick',
  NotifyFunctionArn: 'notify',
} as const;

type Placeholder = keyof typeof COMPLAINT_LOOP_SUBSTITUTIONS;
type State = Record<string, unknown>;

const complaintId = '{% $states.context.Execution.Input.complaintId %}';
// Handlers take "now" from the engine's clock, never from the host they run on.
const now = '{% $states.context.State.EnteredTime %}';

/** No clock pending (every ladder finished): look again in a year, Standard's longest run. */
const IDLE_TIMEOUT_SECONDS = 31_536_000;
const timeoutUntilNextDue = `{% $nextDueAt ? $max([1, $ceil(($toMillis($nextDueAt) - $toMillis($states.context.State.EnteredTime)) / 1000)]) : ${IDLE_TIMEOUT_SECONDS} %}`;

/** Errors a retry can cure: Lambda's own, throttling, and the handlers' TransientError. */
const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'TransientError',
];

const transientRetry = {
  ErrorEquals: TRANSIENT_ERRORS,
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/** Anything else gets two more tries before a person is told (the handlers are idempotent). */
const lastChanceRetry = {
  ErrorEquals: ['States.ALL'],
  IntervalSeconds: 5,
  MaxAttempts: 2,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

const UNRECOVERABLE = 'EscalateFailure';

/** Every failure that survives its retries reaches a person (EscalateFailure), never a silent end. */
const toUnrecoverable = {
  ErrorEquals: ['States.ALL'],
  Next: UNRECOVERABLE,
  Output: '{% { "failedState": $states.context.State.Name, "error": $states.errorOutput } %}',
};

function invoke(fn: Placeholder, payload: Record<string, unknown>, extra: State = {}): State {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: { FunctionName: `\${${fn}}`, Payload: { complaintId, now, ...payload } },
    Output: '{% $states.result.Payload %}',
    Retry: [transientRetry, lastChanceRetry],
    Catch: [toUnrecoverable],
    ...extra,
  };
}

/** Steps that change the complaint answer with the next instant a clock needs attention. */
const assignNextDue = { nextDueAt: '{% $states.result.Payload.nextDueAt %}' };

function clockStateName(milestone: MilestoneId): string {
  return `${stateOf(milestone).replace(/^Await/, '')}Clock`;
}

function stateOf(milestone: MilestoneId): string {
  const found = MILESTONES.find((m) => m.id === milestone);
  if (!found) throw new Error(`Unknown milestone ${milestone}`);
  return found.state;
}

/** The await state of one milestone and the clock state that re-arms it. */
function awaitMilestone(milestone: MilestoneId, next: string, assign: Record<string, string> = {}): Record<string, State> {
  const awaitState = stateOf(milestone);
  const clockState = clockStateName(milestone);
  const lapses = milestone === 'survey';
  return {
    [awaitState]: {
      Type: 'Task',
      Comment: `Waits until the ${milestone} milestone is met; times out when a clock needs attention.`,
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: '${AwaitMilestoneFunctionArn}',
        Payload: { complaintId, now, milestone, taskToken: '{% $states.context.Task.Token %}' },
      },
      TimeoutSeconds: timeoutUntilNextDue,
      Assign: { nextDueAt: '{% $states.result.nextDueAt %}', ...assign },
      // No catch-all retry here: States.Timeout and ClocksChanged are how the clocks speak.
      Retry: [transientRetry],
      Catch: [{ ErrorEquals: ['States.Timeout', CLOCKS_CHANGED], Next: clockState }, toUnrecoverable],
      Next: next,
    },
    [clockState]: invoke(
      'ClockTickFunctionArn',
      { milestone },
      {
        Comment: `Sends the warnings and escalations due while waiting for ${milestone}, then re-arms.`,
        Assign: assignNextDue,
        Next: lapses ? 'SurveyLapsed' : awaitState,
      },
    ),
  };
}

function notify(kinds: string, next: string): State {
  return invoke('NotifyFunctionArn', { kinds }, { Assign: assignNextDue, Next: next });
}

const kindsAtIntake: NotificationKind[] = ['intake-acknowledgment', 'management-intake'];

export function buildComplaintLoopDefinition(): Record<string, unknown> {
  return {
    Comment: 'complaint-loop: one execution per complaint, the closed loop of the 2025 telecom customer-service handbook (H-30).',
    QueryLanguage: 'JSONata',
    StartAt: 'ClassifyAndRegister',
    States: { ...intakeStates(), ...handlingStates(), ...surveyStates(), ...failureStates() },
  };
}

/** From the complaint's arrival to the customer's acknowledgment. */
function intakeStates(): Record<string, State> {
  return {
    ClassifyAndRegister: invoke(
      'ClassifyFunctionArn',
      {},
      {
        Comment:
          'H-20..H-25: service type, type, source, severity; routing and management involvement. H-11: registered; the SLA policy starts its clocks.',
        Assign: { management: '{% $states.result.Payload.management %}', ...assignNextDue },
        Next: 'NotifyIntake',
      },
    ),
    NotifyIntake: notify(
      // H-24: major and urgent complaints reach management at intake.
      `{% $management ? ${JSON.stringify(kindsAtIntake)} : ${JSON.stringify(kindsAtIntake.slice(0, 1))} %}`,
      stateOf(MILESTONES[0].id),
    ),
  };
}

/** The handling milestones (H-30), each awaited with its clock; the handling opinion and the result go to the customer. */
function handlingStates(): Record<string, State> {
  const order = MILESTONES.map((m) => m.id);
  const handling = order.slice(0, order.indexOf('survey'));
  const awaits: Record<string, State> = {};
  handling.forEach((milestone, i) => {
    const following = i + 1 < handling.length ? stateOf(handling[i + 1]!) : 'SendResultNotice';
    // H-13: the handling opinion goes to the customer before the loop waits for the resolution.
    const next = milestone === 'handling-opinion' ? 'SendResponseNotice' : following;
    Object.assign(awaits, awaitMilestone(milestone, next));
  });
  const afterOpinion = stateOf(handling[handling.indexOf('handling-opinion') + 1]!);
  return {
    ...awaits,
    SendResponseNotice: notify('{% ["response-notice"] %}', afterOpinion),
    SendResultNotice: notify('{% ["result-notice"] %}', stateOf('survey')),
  };
}

/** The satisfaction survey (H-33): closed when solved or unanswered, reopened when not solved (H-34). */
function surveyStates(): Record<string, State> {
  return {
    ...awaitMilestone('survey', 'SurveyAnswered', { surveyOutcome: '{% $states.result.outcome %}' }),
    SurveyLapsed: {
      Type: 'Choice',
      Comment: 'H-33: the survey closed unanswered (recorded by the clock step) or is still open.',
      Choices: [{ Condition: '{% $states.input.expired = true %}', Next: 'Close' }],
      Default: stateOf('survey'),
    },
    SurveyAnswered: {
      Type: 'Choice',
      Comment: 'H-34: not solved goes back into handling.',
      Choices: [{ Condition: "{% $surveyOutcome = 'not-solved' %}", Next: 'Reopen' }],
      Default: 'Close',
    },
    Reopen: invoke(
      'LifecycleFunctionArn',
      { action: 'reopen' },
      {
        Comment: 'H-34: re-evaluate and adjust the handling, one escalation level higher.',
        Assign: assignNextDue,
        Next: 'SendReopenNotice',
      },
    ),
    SendReopenNotice: notify('{% ["reopen-notice"] %}', stateOf(REOPEN_MILESTONE)),
    Close: invoke(
      'LifecycleFunctionArn',
      { action: 'close' },
      {
        Comment: 'H-36: close and archive into the quality-analysis data.',
        End: true,
      },
    ),
  };
}

/** Every failure that survives its retries reaches a person, then the execution fails. */
function failureStates(): Record<string, State> {
  return {
    [UNRECOVERABLE]: {
      Type: 'Task',
      Comment: 'The loop cannot go on: operations and the supervisors take over.',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: '${NotifyFunctionArn}',
        Payload: { complaintId, now, kinds: ['failure'], error: '{% $states.input.error %}' },
      },
      Retry: [{ ...transientRetry, ErrorEquals: ['States.ALL'], MaxAttempts: 10 }],
      // Even if no email can go out, the failed execution raises the stack's alarm.
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
      Next: 'Failed',
    },
    Failed: {
      Type: 'Fail',
      Error: 'ComplaintLoopFailed',
      Cause: 'A step failed after its retries; the failure notice went to operations.',
    },
  };
}
