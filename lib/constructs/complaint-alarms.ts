/**
 * The alarm topic of complaint-loop: failed, timed-out or aborted executions and dead letters mean
 * a complaint needs a person, so each raises an alarm here. Encrypted, TLS-only publishing.
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ComplaintAlarmsProps {
  readonly encryptionKey: kms.IKey;
  /**
   * Subscribed to the topic (the address confirms the subscription by email).
   * @default - no subscription; subscribe operations' tooling to `topic`
   */
  readonly alarmEmail?: string;
}

export class ComplaintAlarms extends Construct {
  readonly topic: sns.Topic;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: ComplaintAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'complaint-loop alarms',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // enforceSSL replaces the topic's default policy with a lone Deny, which leaves CloudWatch no
    // Allow: alarm actions would fail to publish. Allow it for this account's alarms only.
    const { account, region } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.topic);
    // SES refused a staff recipient (functions/app/tasks/send-once.ts counts it): fix the contact list
    // or verify the address (SES sandbox). Powertools adds the `service` dimension.
    const staffEmailRejected = new cloudwatch.Metric({
      namespace: 'ComplaintLoop',
      metricName: 'EmailRejected',
      dimensionsMap: { service: 'complaint-loop', audience: 'staff' },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.alarmOnAny(
      this,
      'StaffEmailRejectedAlarm',
      staffEmailRejected,
      'SES refused a staff email (contacts or SES identities need a fix); the complaint loop went on',
    );
  }

  /** An alarm when `metric` reaches 1 in a period; no data means nothing happened. */
  alarmOnAny(scope: Construct, id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  /**
   * An alarm when `metric` stays under `threshold` for two periods; no data counts as under (the
   * reporter stopped), so silence is not mistaken for health.
   */
  alarmBelow(scope: Construct, id: string, metric: cloudwatch.IMetric, threshold: number, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
