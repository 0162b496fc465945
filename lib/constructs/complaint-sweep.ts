/**
 * The scheduled sweep: a function an EventBridge rule invokes every few minutes for what no
 * execution is there to do (the clocks of complaints whose execution failed). Its errors raise
 * the alarm topic's alarm, since a silent sweep would mean silent deadlines.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { ComplaintAlarms } from './complaint-alarms';
import { TABLE_ACCESS } from '../table-access';
import type { ComplaintData } from './complaint-data';
import { ComplaintFunction } from './complaint-function';
import type { ComplaintNotifications } from './complaint-notifications';
import type { SharedFunctionProps } from './shared-function-props';

export interface ComplaintSweepProps {
  readonly data: ComplaintData;
  readonly notifications: ComplaintNotifications;
  readonly alarms: ComplaintAlarms;
  readonly functionProps: SharedFunctionProps;
  /**
   * How often the sweep runs: the lateness of a failed complaint's warning at most.
   * @default Duration.minutes(5)
   */
  readonly rate?: Duration;
}

export class ComplaintSweep extends Construct {
  readonly function: ComplaintFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ComplaintSweepProps) {
    super(scope, id);
    this.function = new ComplaintFunction(this, 'Sweep', {
      ...props.functionProps,
      handlerName: 'sweep',
      description: 'Scheduled: clock events of complaints whose execution failed',
      timeout: Duration.minutes(5),
    });
    props.data.grantAccess(this.function, TABLE_ACCESS.sweep);
    props.notifications.grantSend(this.function);
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'complaint-loop sweep',
      schedule: events.Schedule.rate(props.rate ?? Duration.minutes(5)),
      // A missed run is made up by the next one: no retries that would overlap it.
      targets: [new targets.LambdaFunction(this.function.function, { retryAttempts: 0 })],
    });
    props.alarms.alarmOnAny(
      this,
      'SweepErrorsAlarm',
      this.function.function.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
      'The complaint-loop sweep failed: clocks of failed complaints are not being sent. Read its logs.',
    );
  }
}
