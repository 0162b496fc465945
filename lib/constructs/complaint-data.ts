/**
 * The one table of complaint-loop (layout in the shared contract): complaints, their audit trail,
 * idempotency markers and link tokens. Customer-managed encryption, point-in-time recovery,
 * deletion protection, and TTL on `ttl` so closed complaints leave after the carrier's retention.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
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

/** The item-level DynamoDB actions the handlers call (a transaction needs the action of each item). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
const WRITE_ACTIONS: readonly TableAction[] = ['PutItem', 'UpdateItem', 'DeleteItem'];

/** Partition key prefixes of the table layout: a complaint's items, link records, quality data by month (H-36), the sweep's state. */
export type PartitionPrefix = 'C#' | 'LINK#' | 'Q#' | 'SWEEP#';

export interface TableAccess {
  /** The actions the function calls on the table. */
  readonly actions: readonly TableAction[];
  /**
   * The partitions it reads or writes; IAM refuses any other key.
   * @default - any partition
   */
  readonly partitions?: readonly PartitionPrefix[];
  /**
   * Indexes it queries.
   * @default - none
   */
  readonly indexes?: readonly string[];
}

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
      // The analysis export (complaint-analysis.ts) reads archived complaints from the stream, not the table.
      stream: dynamodb.StreamViewType.NEW_IMAGE,
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

  /**
   * Exactly the table actions a function calls, on the partitions it uses where IAM can say so
   * (`dynamodb:LeadingKeys`), and the key actions that go with them; sets TABLE_NAME, and
   * RETENTION_DAYS for writers.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
   */
  grantAccess(fn: ComplaintFunction, access: TableAccess): iam.Grant {
    const writes = access.actions.some((a) => WRITE_ACTIONS.includes(a));
    const grant = iam.Grant.addToPrincipal({
      grantee: fn,
      actions: access.actions.map((a) => `dynamodb:${a}`),
      resourceArns: [this.table.tableArn],
      conditions: access.partitions
        ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': access.partitions.map((prefix) => `${prefix}*`) } }
        : undefined,
    });
    if (access.indexes?.length) {
      // An index query names the index's own partition key, so LeadingKeys cannot scope it.
      grant.combine(
        iam.Grant.addToPrincipal({
          grantee: fn,
          actions: ['dynamodb:Query'],
          resourceArns: access.indexes.map((index) => `${this.table.tableArn}/index/${index}`),
        }),
      );
    }
    // The table's customer-managed key: reading decrypts; writing also encrypts new data keys.
    this.table.encryptionKey?.grant(
      fn,
      'kms:Decrypt',
      'kms:DescribeKey',
      ...(writes ? ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : []),
    );
    if (writes) {
      fn.explainWildcards(
        "DynamoDB needs the KMS data-key actions (GenerateDataKey*, ReEncrypt*) on the table's own customer-managed key (scoped to that key) to write.",
        ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
      );
    }
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
    if (writes) fn.addEnvironment('RETENTION_DAYS', String(this.retentionDays));
    return grant;
  }
}
