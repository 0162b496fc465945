/**
 * The customer-managed KMS key for the complaint data at rest: the table, every log group, the
 * dead-letter queue and the alarm topic. Rotation is on. The key policy lets the two services that
 * encrypt on our behalf use it, each only for this account's resources.
 */
import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ComplaintKeyProps {
  /**
   * What happens to the key when it leaves the stack.
   * @default RemovalPolicy.RETAIN: deleting the key makes retained tables and logs unreadable
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class ComplaintKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ComplaintKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'complaint-loop: complaints, logs, dead letters and alarms at rest',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const { region, account } = Stack.of(this);

    // CloudWatch Logs encrypts log groups with the key only when the key policy allows it:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        // The action set the CloudWatch Logs guide gives for key policies (a key policy, not an IAM grant).
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${account}:log-group:*` },
        },
      }),
    );
    // Alarms publish to the encrypted SNS topic as CloudWatch, which needs the key:
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }
}
