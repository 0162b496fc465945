/**
 * The one table of complaint-loop (layout in functions/contract/table.ts): complaints, their audit trail,
 * idempotency markers and link tokens. Customer-managed encryption, point-in-time recovery,
 * deletion protection, and TTL on `ttl` so closed complaints leave after the carrier's retention.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { RETENTION_DAYS, TABLE_NAME } from '../../functions/contract/environment';
import { type PartitionPrefix, TABLE_INDEXES, TABLE_KEY, type TableIndexName, TTL_ATTRIBUTE } from '../../functions/contract/table';
import { explainWildcardsOf, setEnvironmentOf } from './complaint-function';

/** The item-level DynamoDB actions the handlers call (a transaction needs the action of each item). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
const WRITE_ACTIONS: readonly TableAction[] = ['PutItem', 'UpdateItem', 'DeleteItem'];

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
  readonly indexes?: readonly TableIndexName[];
}

export interface ComplaintDataProps {
  /** Encrypts the table (customer managed). */
  readonly encryptionKey: kms.IKey;
  /** RETENTION_DAYS for the writers: how long a closed complaint is kept (0 = forever). */
  readonly retentionDays: number;
  /**
   * Refuse deleting the table (console, API or CloudFormation) until this is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the table when it leaves the stack: complaints are records, so it stays.
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
      partitionKey: { name: TABLE_KEY.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEY.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The analysis export (complaint-analysis.ts) reads archived complaints from the stream, not the table.
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Keys only: readers fetch the complaint by key, so a save is not billed again per index.
    for (const [indexName, keys] of Object.entries(TABLE_INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.KEYS_ONLY,
      });
    }
  }

  /**
   * Exactly the table actions a function calls, on the partitions it uses where IAM can say so
   * (`dynamodb:LeadingKeys`), and the key actions that go with them. On a ComplaintFunction it
   * sets TABLE_NAME, and RETENTION_DAYS for writers.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
   */
  grantAccess(grantee: iam.IGrantable, access: TableAccess): iam.Grant {
    const writes = access.actions.some((a) => WRITE_ACTIONS.includes(a));
    let grant = iam.Grant.addToPrincipal({
      grantee,
      actions: access.actions.map((a) => `dynamodb:${a}`),
      resourceArns: [this.table.tableArn],
      conditions: access.partitions
        ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': access.partitions.map((prefix) => `${prefix}*`) } }
        : undefined,
    });
    if (access.indexes?.length) {
      // An index query names the index's own partition key, so LeadingKeys cannot scope it.
      grant = grant.combine(
        iam.Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:Query'],
          resourceArns: access.indexes.map((index) => `${this.table.tableArn}/index/${index}`),
        }),
      );
    }
    // The table's customer-managed key: reading decrypts; writing also encrypts new data keys.
    const keyActions = ['kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : [])];
    if (this.table.encryptionKey) grant = grant.combine(this.table.encryptionKey.grant(grantee, ...keyActions));
    if (writes) {
      explainWildcardsOf(
        grantee,
        "DynamoDB needs the KMS data-key actions (GenerateDataKey*, ReEncrypt*) on the table's own customer-managed key (scoped to that key) to write.",
        ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
      );
    }
    setEnvironmentOf(grantee, TABLE_NAME.name, this.table.tableName);
    if (writes) setEnvironmentOf(grantee, RETENTION_DAYS.name, String(this.retentionDays));
    return grant;
  }
}
