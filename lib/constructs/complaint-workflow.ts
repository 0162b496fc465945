/**
 * The closed loop itself: the five workflow functions and the Standard state machine running the
 * definition from workflows/complaint-loop.ts, one execution per complaint. Every execution is
 * logged (level ALL: executions carry only the complaint id, H-42) and traced; failed, timed-out
 * and aborted executions raise alarms, because each is a complaint nobody is handling.
 */
import { Arn, ArnFormat, type CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STATE_MACHINE_ARN } from '../../functions/contract/environment';
import { buildComplaintLoopDefinition, COMPLAINT_LOOP_SUBSTITUTIONS } from '../../workflows/complaint-loop';
import { acknowledgeWildcards } from '../acknowledge';
import { dependOnRolePolicyOnly } from '../depends-on';
import { constructIdOf, WORKFLOW_HANDLERS, type WorkflowHandlerName } from '../paths';
import { TABLE_ACCESS } from '../table-access';
import type { ComplaintAlarms } from './complaint-alarms';
import type { ComplaintData } from './complaint-data';
import { ComplaintFunction, setEnvironmentOf } from './complaint-function';
import type { ComplaintNotifications } from './complaint-notifications';
import type { SharedFunctionProps } from './shared-function-props';

const DESCRIPTIONS: Record<WorkflowHandlerName, string> = {
  classify: 'Classifies a complaint and routes it (H-20..H-24)',
  lifecycle: 'Registers (H-11), reopens (H-34) and closes/archives (H-36) complaints',
  'await-milestone': 'Stores the task token of the awaited milestone; meets it at once if already reached',
  'clock-tick': 'Sends due warnings and escalations; survey reminder and expiry',
  notify: 'Customer, management and failure notifications',
};

export interface ComplaintWorkflowProps {
  readonly data: ComplaintData;
  readonly notifications: ComplaintNotifications;
  readonly alarms: ComplaintAlarms;
  readonly functionProps: SharedFunctionProps;
  /**
   * The ASL definition, with `${<Name>FunctionArn}` placeholders for the five functions.
   * @default buildComplaintLoopDefinition()
   */
  readonly definition?: Record<string, unknown>;
  /**
   * The state machine's name (1-80 letters, digits, '-' or '_'); grants are scoped by it.
   * @default `${stackName}-complaint-loop`
   */
  readonly stateMachineName?: string;
}

export class ComplaintWorkflow extends Construct {
  readonly functions: Readonly<Record<WorkflowHandlerName, ComplaintFunction>>;
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /**
   * The state machine's ARN built from its name, not a reference to it: await-milestone is both
   * invoked by the state machine and allowed to answer its tokens, and a reference would be a cycle.
   */
  readonly stateMachineArnForGrants: string;

  constructor(scope: Construct, id: string, props: ComplaintWorkflowProps) {
    super(scope, id);
    this.functions = this.createFunctions(props.functionProps);
    const name = this.stateMachineName(props.stateMachineName);
    this.stateMachineArnForGrants = Arn.format(
      { service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
      Stack.of(this),
    );
    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      encryptionKey: props.functionProps.encryptionKey,
      retention: props.functionProps.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.functionProps.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stateMachine = this.createStateMachine(name, props.definition ?? buildComplaintLoopDefinition());
    this.grantFunctions(props.data, props.notifications);
    this.alarmOnStoppedExecutions(props.alarms);
  }

  private createFunctions(functionProps: SharedFunctionProps): Record<WorkflowHandlerName, ComplaintFunction> {
    return Object.fromEntries(
      WORKFLOW_HANDLERS.map((name) => [
        name,
        new ComplaintFunction(this, constructIdOf(name), { ...functionProps, handlerName: name, description: DESCRIPTIONS[name] }),
      ]),
    ) as Record<WorkflowHandlerName, ComplaintFunction>;
  }

  private stateMachineName(given: string | undefined): string {
    const name = given ?? `${Stack.of(this).stackName}-complaint-loop`;
    if (Token.isUnresolved(name) || !/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw new Error(`ComplaintWorkflow: state machine name "${name}" must be 1-80 letters, digits, '-' or '_'`);
    }
    return name;
  }

  /** The definition with the five functions' ARNs substituted, logged and traced; allowed to invoke exactly those. */
  private createStateMachine(name: string, definition: Record<string, unknown>): sfn.StateMachine {
    const definitionSubstitutions = Object.fromEntries(
      Object.entries(COMPLAINT_LOOP_SUBSTITUTIONS).map(([placeholder, handler]) => [
        placeholder,
        this.functions[handler as WorkflowHandlerName].functionArn,
      ]),
    );
    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(definition)),
      definitionSubstitutions,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    dependOnRolePolicyOnly(stateMachine.node.defaultChild as CfnResource, stateMachine.role as iam.Role);
    // Exactly the five functions, unqualified (the definition invokes them so); no version wildcard.
    stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: WORKFLOW_HANDLERS.map((h) => this.functions[h].functionArn),
      }),
    );
    acknowledgeWildcards(
      stateMachine,
      ['Resource::*'],
      'Step Functions log delivery (logs:CreateLogDelivery, DescribeResourcePolicies...) and X-Ray (PutTraceSegments...) ' +
        'do not support resource-level permissions; CDK grants them for logging level ALL and tracing.',
    );
    return stateMachine;
  }

  private grantFunctions(data: ComplaintData, notifications: ComplaintNotifications): void {
    for (const name of WORKFLOW_HANDLERS) data.grantAccess(this.functions[name], TABLE_ACCESS[name]);
    notifications.grantSend(this.functions.notify);
    notifications.grantSend(this.functions['clock-tick']);
    this.grantTaskSuccess(this.functions['await-milestone']);
  }

  /** Failed, timed-out and aborted executions each leave a complaint nobody is handling. */
  private alarmOnStoppedExecutions(alarms: ComplaintAlarms): void {
    const period = Duration.minutes(5);
    alarms.alarmOnAny(
      this,
      'ExecutionsFailedAlarm',
      this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
      'A complaint-loop execution failed: the complaint has no workflow now. Read its history, then redrive it.',
    );
    alarms.alarmOnAny(
      this,
      'ExecutionsTimedOutAlarm',
      this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      'A complaint-loop execution timed out: the complaint has no workflow now.',
    );
    alarms.alarmOnAny(
      this,
      'ExecutionsAbortedAlarm',
      this.stateMachine.metricAborted({ period, statistic: 'Sum' }),
      'A complaint-loop execution was stopped: check that its complaint is closed or handed to a person.',
    );
  }

  /** Start executions (intake). On a ComplaintFunction it sets STATE_MACHINE_ARN. */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    const grant = this.stateMachine.grantStartExecution(grantee);
    setEnvironmentOf(grantee, STATE_MACHINE_ARN.name, this.stateMachine.stateMachineArn);
    return grant;
  }

  /** SendTaskSuccess for a waiting milestone (await-milestone, survey). Task tokens name the execution. */
  grantTaskSuccess(grantee: iam.IGrantable): iam.Grant {
    return this.grantTaskActions(grantee, ['states:SendTaskSuccess']);
  }

  /** SendTaskFailure only (the sweep: ClocksChanged when a new holiday calendar moved deadlines). */
  grantTaskFailure(grantee: iam.IGrantable): iam.Grant {
    return this.grantTaskActions(grantee, ['states:SendTaskFailure']);
  }

  /** SendTaskSuccess and SendTaskFailure (complaint-events: a met milestone, or ClocksChanged). */
  grantTaskResponse(grantee: iam.IGrantable): iam.Grant {
    return this.grantTaskActions(grantee, ['states:SendTaskSuccess', 'states:SendTaskFailure']);
  }

  // IAM authorizes task-token calls against the state machine the token belongs to, so the
  // grant can be scoped to it (as CDK's own grantTaskResponse does):
  // https://github.com/aws/aws-cdk/pull/8486
  private grantTaskActions(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.stateMachineArnForGrants] });
  }
}
