/**
 * The one table of complaint-loop (layout in the shared contract): complaints, their audit trail,
 * idempotency markers and link tokens. Customer-managed encryption, point-in-time recovery,
 * deletion protection, and TTL on `ttl` so closed complaints leave after the carrier's retention.
 */
import { RemovalPolicy, Stack, type CfnElement } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ComplaintFunction } from './complaint-function';

/** Open complaints of a team by next due instant (console, sweeps); `openTeam` is set only while open. */
export const OPEN_BY_TEAM_INDEX = 'open-by-team';
/**
 * Closed complaints by UTC month of closing (`closedMonth` 'YYYY-MM', sort `closedAt`): the console's
 * quality view reads a period with one query per month. Sparse: the store writes both only on close.
 */
export const CLOSED_BY_MONTH_INDEX = 'closed-by-month';
/**
 * H-25: a customer's complaints by receipt (`customerKey`, a SHA-256 of the customer id, never
 * the id in clear; sort `receivedAt`), keys only: classification counts the earlier ones.
 */
export const CUSTOMER_INDEX = 'by-customer';

export interface ComplaintDataProps {
  readonly encryptionKey: kms.IKey;
  /** RETENTION_DAYS for the writers: how long a closed complaint is kept (0 = forever). */
  readonly retentionDays: number;
  /**
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class ComplaintData extends Construct {
  readonly table: dynamodb.Table;
  private readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: ComplaintDataProps) {
    super(scope, id);
    this.retentionDays = props.retentionDays;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      timeToLiveAttribute: 'ttl',
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: OPEN_BY_TEAM_INDEX,
      partitionKey: { name: 'openTeam', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'nextDueAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: CLOSED_BY_MONTH_INDEX,
      partitionKey: { name: 'closedMonth', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'closedAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: CUSTOMER_INDEX,
      partitionKey: { name: 'customerKey', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'receivedAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }

  /** Read and write complaints; sets TABLE_NAME and RETENTION_DAYS. */
  grantReadWrite(fn: ComplaintFunction): void {
    this.table.grantReadWriteData(fn);
    this.explainTableWildcards(fn);
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
    fn.addEnvironment('RETENTION_DAYS', String(this.retentionDays));
  }

  /** Read complaints only; sets TABLE_NAME. */
  grantRead(fn: ComplaintFunction): void {
    this.table.grantReadData(fn);
    this.explainTableWildcards(fn);
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
  }

  private explainTableWildcards(fn: ComplaintFunction): void {
    const tableId = Stack.of(this).getLogicalId(this.table.node.defaultChild as CfnElement);
    fn.explainWildcards(
      'Scoped to this table: its indexes (<table>/index/*, the open-by-team GSI) and the KMS data-key actions ' +
        '(GenerateDataKey*, ReEncrypt*) DynamoDB needs on the table\'s own customer-managed key.',
      [`Resource::<${tableId}.Arn>/index/*`, 'Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
    );
  }
}
