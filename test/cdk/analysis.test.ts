/**
 * The analysis export and catalog on AWS (H-36): stream → pipe → enrichment → Firehose → S3,
 * the Glue table over the records, the Athena workgroup, and the SQL files as named queries.
 * Firehose newline delimiter: https://docs.aws.amazon.com/firehose/latest/APIReference/API_Processor.html
 * Pipes enrichment answers go to the target as a batch: https://docs.aws.amazon.com/eventbridge/latest/userguide/pipes-enrichment.html
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { athenaSource, compose, loadQueries } from '../../analysis/dialect';
import { PARTITION_PREFIXES } from '../../functions/contract/table';
import { ANALYSIS_COLUMNS, hiveType } from '../../functions/domain/analysis-schema';
import { ANALYSIS_TABLE } from '../../lib/constructs/complaint-analysis';
import { CARRIER_SETTINGS, functionIdFor, resourcesOfType, synthStack } from './support/synth';

const { template, stack } = synthStack({ settings: { ...CARRIER_SETTINGS, retentionDays: 400 } });
const keyId = stack.getLogicalId(stack.node.findChild('Key').node.findChild('Key').node.defaultChild as never);
const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
const idOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const recordsBucketId = idOf(stack.analysis.recordsBucket);
const resultsBucketId = idOf(stack.analysis.resultsBucket);
const tableId = idOf(stack.data.table);

describe('the export to S3', () => {
  it("streams the table's new images", () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
  });

  it('pipes only META items just closed or failed, through the enrichment function, to Firehose', () => {
    const pipes = Object.values(resourcesOfType(template, 'AWS::Pipes::Pipe'));
    expect(pipes).toHaveLength(1);
    const p = pipes[0]!.Properties!;
    expect(p.Source).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
    expect(p.Enrichment).toEqual({ 'Fn::GetAtt': [functionIdFor(template, 'analysis-export'), 'Arn'] });
    expect(p.Target).toEqual({ 'Fn::GetAtt': [idOf({ node: { defaultChild: stack.analysis.deliveryStream } }), 'Arn'] });
    const pattern = JSON.parse(p.SourceParameters.FilterCriteria.Filters[0].Pattern);
    expect(pattern).toEqual({ dynamodb: { NewImage: { sk: { S: ['META'] }, status: { S: ['closed', 'failed'] } } } });
  });

  it('delivers gzipped JSON lines per month of archiving, encrypted with the stack key in transit and at rest', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: keyArn },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::GetAtt': [recordsBucketId, 'Arn'] },
        Prefix: 'records/archived_month=!{timestamp:yyyy-MM}/',
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: keyArn } },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
      }),
    });
  });

  it('keeps records with the stack key, TLS only, no public access, expiring with the complaint retention', () => {
    const bucket = resourcesOfType(template, 'AWS::S3::Bucket')[recordsBucketId]!.Properties!;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: keyArn,
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LifecycleConfiguration.Rules).toEqual([expect.objectContaining({ ExpirationInDays: 400, Status: 'Enabled' })]);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: recordsBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('keeps records for good when complaints are kept (retention 0)', () => {
    const kept = synthStack({ settings: { ...CARRIER_SETTINGS, retentionDays: 0 } });
    const bucket = resourcesOfType(kept.template, 'AWS::S3::Bucket')[
      kept.stack.getLogicalId(kept.stack.analysis.recordsBucket.node.defaultChild as never)
    ]!;
    expect(bucket.Properties!.LifecycleConfiguration).toBeUndefined();
  });

  it('lets the enrichment function only query complaint partitions', () => {
    const fnId = functionIdFor(template, 'analysis-export');
    const roleId = (resourcesOfType(template, 'AWS::Lambda::Function')[fnId]!.Properties!.Role as { 'Fn::GetAtt': string[] })[
      'Fn::GetAtt'
    ][0];
    const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .filter((p) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties!.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[]);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PARTITION_PREFIXES.complaint}*`] } },
      }),
    ]);
  });
});

describe('the catalog and Athena', () => {
  it("has a Glue JSON table with the record's columns and projected monthly partitions", () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: ANALYSIS_TABLE,
        PartitionKeys: [{ Name: 'archived_month', Type: 'string' }],
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.archived_month.type': 'date',
          'projection.archived_month.format': 'yyyy-MM',
        }),
        StorageDescriptor: Match.objectLike({
          Columns: ANALYSIS_COLUMNS.map(([name, type]) => ({ Name: name, Type: hiveType(type) })),
          SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        }),
      }),
    });
    expect(hiveType(ANALYSIS_COLUMNS.find(([n]) => n === 'clocks')![1])).toBe(
      'array<struct<clock_id:string,status:string,started_at:string,deadline:string,met_at:string,breached_at:string,paused_ms:bigint,explanation:string>>',
    );
  });

  it('has a workgroup that enforces encrypted results in its own bucket and a per-query scan limit', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: resultsBucketId }, '/results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn },
        },
      },
    });
  });

  it('deploys every SQL file as a named query of the workgroup, over the Glue table, with the year as its parameter', () => {
    const named = Object.values(resourcesOfType(template, 'AWS::Athena::NamedQuery')).map((r) => r.Properties!);
    const queries = loadQueries();
    expect(named.map((q) => q.Name).sort()).toEqual(queries.map((q) => `complaint-loop ${q.name}`).sort());
    const source = athenaSource(stack.analysis.databaseName, ANALYSIS_TABLE);
    for (const q of queries) {
      const deployed = named.find((n) => n.Name === `complaint-loop ${q.name}`)!;
      expect(deployed.QueryString).toBe(compose(q, 'athena', source));
      expect(deployed.QueryString).toContain(`FROM ${source} r`);
      expect(deployed.QueryString.split('?')).toHaveLength(2);
      expect(deployed.WorkGroup).toEqual({ Ref: idOf({ node: { defaultChild: stack.analysis.workGroup } }) });
      expect(deployed.Database).toBe(stack.analysis.databaseName);
    }
  });
});
