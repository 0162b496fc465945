/**
 * The scheduled sweep: a function an EventBridge rule invokes every few minutes for what no
 * execution is there to do (the clocks of complaints whose execution failed; H-12 deadlines a new
 * holiday schedule moves). Its errors raise the alarm topic's alarm, since a silent sweep would
 * mean silent deadlines, and so does a holiday calendar that covers less than 60 days ahead.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { TABLE_ACCESS } from '../table-access';
import type { ComplaintAlarms } from './complaint-alarms';
import type { ComplaintData } from './complaint-data';
import { ComplaintFunction } from './complaint-function';
import type { ComplaintNotifications } from './complaint-notifications';
import type { ComplaintWorkflow } from './complaint-workflow';
import type { SharedFunctionProps } from './shared-function-props';

/** H-12: the alarm's threshold, in days of official holiday schedule ahead. */
export const MIN_CALENDAR_COVERAGE_DAYS = 60;

export interface ComplaintSweepProps {
  readonly data: ComplaintData;
  readonly notifications: ComplaintNotifications;
  readonly alarms: ComplaintAlarms;
  /** Re-arms waiting states whose deadlines a new holiday calendar moved (SendTaskFailure). */
  readonly workflow: ComplaintWorkflow;
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
    props.workflow.grantTaskFailure(this.function);
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
    props.alarms.alarmBelow(
      this,
      'CalendarCoverageAlarm',
      new cloudwatch.Metric({
        namespace: props.functionProps.metricsNamespace ?? 'ComplaintLoop',
        metricName: 'CalendarCoverageDays',
        dimensionsMap: { service: 'complaint-loop' },
        statistic: 'Minimum',
        period: Duration.hours(1),
      }),
      MIN_CALENDAR_COVERAGE_DAYS,
      `H-12: the official holiday calendar covers less than ${MIN_CALENDAR_COVERAGE_DAYS} days ahead (or the sweep stopped reporting). ` +
        "Add the next year's State Council schedule to the SLA policy's calendarSupplement and deploy; deadlines in uncovered days are PROVISIONAL.",
    );
  }
}
