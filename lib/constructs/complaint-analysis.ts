/**
 * The yearly complaint analysis on AWS (H-36; docs/analysis.md): archived complaints reach S3 as
 * analysis records (the JSON lines `npm run analysis` writes locally), with a Glue table over them
 * and an Athena workgroup that runs the shared SQL files as named queries.
 *
 * The path, chosen over a scheduled incremental export from point-in-time recovery because the
 * record needs the clocks the table keeps gzipped (which Athena cannot open) and the audit counts:
 *   table stream (new images) → EventBridge pipe, filtered to META items just closed or failed
 *   → enrichment function (the analysis records) → Firehose → S3 (the stack's key, gzip, one
 *   prefix per month of archiving). Nothing reads the table but one audit-trail query per
 *   archived complaint. Records expire after the complaint retention setting, as the table's do.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { athenaSource, compose, loadQueries } from '../../analysis/dialect';
import { ANALYSIS_COLUMNS, hiveType } from '../../functions/domain/analysis-schema';
import { acknowledge, acknowledgeWildcards } from '../acknowledge';
import { dependOnRolePolicyOnly } from '../depends-on';
import { TABLE_ACCESS } from '../table-access';
import type { ComplaintAlarms } from './complaint-alarms';
import type { ComplaintData } from './complaint-data';
import { ComplaintFunction } from './complaint-function';
import type { SharedFunctionProps } from './shared-function-props';

/** The Glue table of the analysis records, and its partition column (month of archiving, yyyy-MM). */
export const ANALYSIS_TABLE = 'complaint_records';
export const ARCHIVED_MONTH = 'archived_month';
const RECORDS_PREFIX = 'records/';

export interface ComplaintAnalysisProps {
  readonly data: ComplaintData;
  readonly alarms: ComplaintAlarms;
  readonly functionProps: SharedFunctionProps;
  /** The stack's key: records, query results, the delivery stream and the function's logs. */
  readonly encryptionKey: kms.IKey;
  /** Days closed complaints are kept (0 keeps them): exported records expire as many days after export. */
  readonly retentionDays: number;
  /**
   * Athena stops a query of the workgroup once it has scanned this many bytes.
   * @default 10 GiB
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /**
   * Days query results are kept.
   * @default 30
   */
  readonly resultRetentionDays?: number;
}

export class ComplaintAnalysis extends Construct {
  readonly recordsBucket: s3.Bucket;
  readonly resultsBucket: s3.Bucket;
  readonly function: ComplaintFunction;
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly pipe: pipes.CfnPipe;
  readonly databaseName: string;
  readonly workGroup: athena.CfnWorkGroup;
  readonly namedQueries: Readonly<Record<string, athena.CfnNamedQuery>>;

  constructor(scope: Construct, id: string, props: ComplaintAnalysisProps) {
    super(scope, id);
    // Server access logs are delivered under a bucket policy (no ACLs), so every bucket here can enforce bucket-owner ownership.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const key = props.encryptionKey;
    const accessLogs = this.accessLogBucket();
    this.recordsBucket = this.encryptedBucket('Records', key, accessLogs, props.retentionDays > 0 ? props.retentionDays : undefined);
    this.resultsBucket = this.encryptedBucket('Results', key, accessLogs, props.resultRetentionDays ?? 30);

    this.function = new ComplaintFunction(this, 'Export', {
      ...props.functionProps,
      handlerName: 'analysis-export',
      description: 'Pipe enrichment: analysis records of archived complaints (H-36)',
      timeout: Duration.minutes(1),
    });
    props.data.grantAccess(this.function, TABLE_ACCESS['analysis-export']);
    props.alarms.alarmOnAny(
      this,
      'ExportErrorsAlarm',
      this.function.function.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
      'The complaint-loop analysis export failed: archived complaints are not reaching the analysis data. Read its logs.',
    );

    this.deliveryStream = this.delivery(key);
    this.pipe = this.streamPipe(props.data, key);
    this.databaseName = `${Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')}_analysis`;
    this.catalog();
    this.workGroup = this.athenaWorkGroup(key, props.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3);
    this.namedQueries = this.queries();
  }

  private accessLogBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(bucket, 'AwsSolutions-S1', 'This is the access log bucket of the analysis buckets; logging its own access would loop.');
    return bucket;
  }

  private encryptedBucket(id: string, key: kms.IKey, accessLogs: s3.IBucket, expireDays: number | undefined): s3.Bucket {
    return new s3.Bucket(this, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: `${id.toLowerCase()}/`,
      lifecycleRules: expireDays ? [{ expiration: Duration.days(expireDays) }] : [],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Firehose: records to S3 as gzipped JSON lines, one prefix per month of archiving. */
  private delivery(key: kms.IKey): firehose.CfnDeliveryStream {
    const role = new iam.Role(this, 'DeliveryRole', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          's3:AbortMultipartUpload',
          's3:GetBucketLocation',
          's3:GetObject',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:PutObject',
        ],
        resources: [this.recordsBucket.bucketArn, this.recordsBucket.arnForObjects('*')],
      }),
    );
    key.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey*');
    const bucketId = Stack.of(this).getLogicalId(this.recordsBucket.node.defaultChild as s3.CfnBucket);
    acknowledgeWildcards(
      role,
      [`Resource::<${bucketId}.Arn>/*`, 'Action::kms:GenerateDataKey*'],
      'Firehose writes objects of its own names under the records bucket, encrypted with the stack key (scoped to that key).',
    );
    const stream = new firehose.CfnDeliveryStream(this, 'Delivery', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: key.keyArn },
      extendedS3DestinationConfiguration: {
        bucketArn: this.recordsBucket.bucketArn,
        roleArn: role.roleArn,
        prefix: `${RECORDS_PREFIX}${ARCHIVED_MONTH}=!{timestamp:yyyy-MM}/`,
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy-MM}/',
        bufferingHints: { intervalInSeconds: 900, sizeInMBs: 128 },
        compressionFormat: 'GZIP',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: key.keyArn } },
        // One record per line: Athena's JSON SerDe and DuckDB read JSON lines.
        processingConfiguration: { enabled: true, processors: [{ type: 'AppendDelimiterToRecord' }] },
      },
    });
    dependOnRolePolicyOnly(stream, role);
    return stream;
  }

  /** The pipe: stream → (archived META only) → enrichment → Firehose. */
  private streamPipe(data: ComplaintData, key: kms.IKey): pipes.CfnPipe {
    const streamArn = data.table.tableStreamArn;
    if (!streamArn) throw new Error('the complaint table has no stream: the analysis export reads it');
    const role = new iam.Role(this, 'PipeRole', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [this.deliveryStream.attrArn] }),
    );
    key.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey*');
    acknowledgeWildcards(
      role,
      ['Resource::*', 'Action::kms:GenerateDataKey*'],
      'dynamodb:ListStreams has no resource-level permissions; the key actions are scoped to the stack key (the stream and the delivery stream are encrypted with it).',
    );
    const pipe = new pipes.CfnPipe(this, 'Pipe', {
      description: 'complaint-loop analysis export: archived complaints to Firehose',
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 100,
          maximumBatchingWindowInSeconds: 60,
          maximumRetryAttempts: 10,
        },
        filterCriteria: {
          filters: [{ pattern: JSON.stringify({ dynamodb: { NewImage: { sk: { S: ['META'] }, status: { S: ['closed', 'failed'] } } } }) }],
        },
      },
      enrichment: this.function.functionArn,
      target: this.deliveryStream.attrArn,
    });
    dependOnRolePolicyOnly(pipe, role);
    return pipe;
  }

  /** The Glue database and table: the record's columns, partitions projected from the month prefixes. */
  private catalog(): void {
    const { account } = Stack.of(this);
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: this.databaseName, description: 'complaint-loop analysis records (H-36)' },
    });
    const location = `s3://${this.recordsBucket.bucketName}/${RECORDS_PREFIX}`;
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: this.databaseName,
      tableInput: {
        name: ANALYSIS_TABLE,
        description: 'One JSON line per archived complaint (docs/analysis.md); the highest version of an id is current.',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          [`projection.${ARCHIVED_MONTH}.type`]: 'date',
          [`projection.${ARCHIVED_MONTH}.format`]: 'yyyy-MM',
          [`projection.${ARCHIVED_MONTH}.range`]: '2025-01,NOW',
          [`projection.${ARCHIVED_MONTH}.interval`]: '1',
          [`projection.${ARCHIVED_MONTH}.interval.unit`]: 'MONTHS',
          'storage.location.template': `${location}${ARCHIVED_MONTH}=\${${ARCHIVED_MONTH}}/`,
        },
        partitionKeys: [{ name: ARCHIVED_MONTH, type: 'string' }],
        storageDescriptor: {
          columns: ANALYSIS_COLUMNS.map(([name, type]) => ({ name, type: hiveType(type) })),
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        },
      },
    });
    table.node.addDependency(database);
  }

  private athenaWorkGroup(key: kms.IKey, bytesScannedCutoffPerQuery: number): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${Stack.of(this).stackName}-analysis`,
      description: 'complaint-loop yearly analysis (H-36): named queries over the analysis records',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });
  }

  /** Each SQL file of analysis/sql as a named query; its one parameter (?) is the year. */
  private queries(): Record<string, athena.CfnNamedQuery> {
    const source = athenaSource(this.databaseName, ANALYSIS_TABLE);
    const out: Record<string, athena.CfnNamedQuery> = {};
    for (const query of loadQueries()) {
      out[query.name] = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: `complaint-loop ${query.name}`,
        description: query.description.slice(0, 1024),
        database: this.databaseName,
        workGroup: this.workGroup.ref,
        queryString: compose(query, 'athena', source),
      });
    }
    return out;
  }
}
