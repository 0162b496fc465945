import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  CONTACTS,
  CUSTOMER_LANGUAGES,
  DEAD_LETTER_QUEUE_URL,
  EVENT_BUS_NAME,
  PUBLIC_BASE_URL,
  RETENTION_DAYS,
  SENDER_ADDRESS,
  SLA_POLICY,
  STATE_MACHINE_ARN,
  TABLE_NAME,
  TIME_ZONE,
} from '../../functions/contract/environment';
import { CUSTOMER_INDEX, TABLE_INDEXES } from '../../functions/contract/table';
import { API_HANDLERS, SCHEDULED_HANDLERS, STREAM_HANDLERS, WORKFLOW_HANDLERS } from '../../lib/paths';
import { COMPLAINT_LOOP_SUBSTITUTIONS } from '../../workflows/complaint-loop';
import { CARRIER_SETTINGS, envOf, functionIdFor, resourcesOfType, synthStack } from './support/synth';

const { template, stack } = synthStack({ settings: CARRIER_SETTINGS });
const keyId = stack.getLogicalId(stack.node.findChild('Key').node.findChild('Key').node.defaultChild as never);
const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
const ALL_HANDLERS = [...WORKFLOW_HANDLERS, ...API_HANDLERS, ...SCHEDULED_HANDLERS, ...STREAM_HANDLERS];

describe('encryption key', () => {
  it('is customer managed with rotation on and kept when the stack goes', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets CloudWatch Logs use it only for log groups of this account and region', () => {
    // Key policy condition from https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.ap-east-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-east-1:123456789012:log-group:*']],
                },
              },
            },
          }),
        ]),
      },
    });
  });
});

describe('complaint table', { timeout: 180_000 }, () => {
  it('has the contract keys, on-demand billing, TTL on ttl, the open-by-team, closed-by-month and by-customer indexes', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: Object.entries(TABLE_INDEXES).map(([IndexName, keys]) => ({
        IndexName,
        KeySchema: [
          { AttributeName: keys.partitionKey, KeyType: 'HASH' },
          { AttributeName: keys.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      })),
    });
  });

  it('H-25: has the keys-only by-customer index (hashed customer key, by receipt)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'customerKey', AttributeType: 'S' },
        { AttributeName: 'receivedAt', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: CUSTOMER_INDEX,
          KeySchema: [
            { AttributeName: 'customerKey', KeyType: 'HASH' },
            { AttributeName: 'receivedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
    });
  });

  it('is encrypted with the customer-managed key, with point-in-time recovery and deletion protection', () => {
    // SSESpecification with KMSMasterKeyId: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-table-ssespecification.html
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('can turn deletion protection off for a throwaway stack', () => {
    const { template: t } = synthStack({ settings: { ...CARRIER_SETTINGS, deletionProtection: false } });
    t.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});

describe('Lambda functions', () => {
  it('one per handler, each naming its entry file for the local runtime', () => {
    template.resourceCountIs('AWS::Lambda::Function', ALL_HANDLERS.length);
    for (const handler of ALL_HANDLERS) expect(functionIdFor(template, handler)).toBeTruthy();
  });

  it('all run nodejs22.x on arm64 with active tracing and their own log group, without source maps parsed at start', () => {
    // Runtime identifiers: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'complaint-loop',
            POWERTOOLS_METRICS_NAMESPACE: 'ComplaintLoop',
            LOG_LEVEL: 'INFO',
            POWERTOOLS_LOGGER_LOG_EVENT: 'false',
            [TIME_ZONE.name]: 'Asia/Shanghai',
            [SLA_POLICY.name]: '{}',
          }),
        },
      });
      expect(fn.Properties!.Environment.Variables, id).not.toHaveProperty('NODE_OPTIONS');
      const logGroupId = fn.Properties!.LoggingConfig.LogGroup.Ref as string;
      const group = resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId];
      expect(group?.Properties, id).toMatchObject({ KmsKeyId: keyArn, RetentionInDays: 365 });
    }
  });

  it("wait for their role's policy before they are created (the role itself is ordered by GetAtt)", () => {
    const all = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[]; Properties: any }>;
    const dependents = Object.entries(all).filter(
      ([, r]) => r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::StepFunctions::StateMachine',
    );
    expect(dependents).toHaveLength(ALL_HANDLERS.length + 1);
    for (const [id, r] of dependents) {
      const roleId = (r.Properties.Role ?? r.Properties.RoleArn)['Fn::GetAtt'][0] as string;
      const policyIds = Object.entries(all)
        .filter(([, p]) => p.Type === 'AWS::IAM::Policy' && p.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === roleId))
        .map(([pid]) => pid);
      expect(r.DependsOn, id).toEqual(policyIds);
    }
  });

  it('have roles without AWS managed policies', () => {
    for (const [id, role] of Object.entries(resourcesOfType(template, 'AWS::IAM::Role'))) {
      const service = role.Properties!.AssumeRolePolicyDocument.Statement[0].Principal.Service;
      if (service === 'lambda.amazonaws.com') expect(role.Properties!.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('get each environment variable from the construct that grants its use', () => {
    const tableRef = { Ref: expect.stringMatching(/^DataTable/) };
    for (const handler of ALL_HANDLERS) expect(envOf(template, handler)[TABLE_NAME.name], handler).toEqual(tableRef);
    expect(envOf(template, 'intake')).toMatchObject({
      [STATE_MACHINE_ARN.name]: { Ref: expect.stringMatching(/^WorkflowStateMachine/) },
      [DEAD_LETTER_QUEUE_URL.name]: { Ref: expect.stringMatching(/^ApiDeadLetters/) },
      [RETENTION_DAYS.name]: '1095',
    });
    expect(envOf(template, 'complaint-events')).toHaveProperty(DEAD_LETTER_QUEUE_URL.name);
    // 12.8: it answers an SMS gateway's link request.
    expect(envOf(template, 'complaint-events')).toHaveProperty(PUBLIC_BASE_URL.name);
    for (const handler of ['notify', 'clock-tick']) {
      const env = envOf(template, handler);
      expect(env, handler).toMatchObject({
        [SENDER_ADDRESS.name]: 'noreply@complaints.carrier.cn',
        [EVENT_BUS_NAME.name]: { Ref: expect.stringMatching(/^NotificationsBus/) },
        [PUBLIC_BASE_URL.name]: {
          'Fn::Join': [
            '',
            [
              'https://',
              { Ref: expect.stringMatching(/^Api/) },
              '.execute-api.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/v1',
            ],
          ],
        },
      });
      expect(JSON.parse(env[CONTACTS.name] as string)).toEqual(CARRIER_SETTINGS.contacts);
      expect(env[CUSTOMER_LANGUAGES.name], handler).toBe('complaint');
    }
    // Nothing that is not needed: readers get no retention, non-senders no contacts or queue.
    expect(envOf(template, 'get-complaint')).not.toHaveProperty(RETENTION_DAYS.name);
    for (const handler of ['classify', 'lifecycle', 'await-milestone', 'get-complaint', 'survey', 'escalation-ack', 'console']) {
      const env = envOf(template, handler);
      for (const absent of [CONTACTS, SENDER_ADDRESS, DEAD_LETTER_QUEUE_URL, STATE_MACHINE_ARN].map((v) => v.name)) {
        expect(env, `${handler} ${absent}`).not.toHaveProperty(absent);
      }
    }
  });
});

describe('state machine', () => {
  it('is Standard, logs ALL with execution data to an encrypted log group, and is traced', () => {
    const machines = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    expect(Object.keys(machines)).toHaveLength(1);
    const props = Object.values(machines)[0]!.Properties!;
    expect(props).toMatchObject({
      StateMachineType: 'STANDARD',
      StateMachineName: 'ComplaintLoop-complaint-loop',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
    const logGroupId = props.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({ KmsKeyId: keyArn });
  });

  it('runs the workflow definition with every placeholder bound to its function', () => {
    const props = Object.values(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'))[0]!.Properties!;
    const definition = JSON.stringify(props.DefinitionString);
    for (const [placeholder, handler] of Object.entries(COMPLAINT_LOOP_SUBSTITUTIONS)) {
      expect(definition).toContain(`\${${placeholder}}`);
      expect(props.DefinitionSubstitutions[placeholder]).toEqual({ 'Fn::GetAtt': [functionIdFor(template, handler), 'Arn'] });
    }
    expect(JSON.parse(props.DefinitionString).QueryLanguage).toBe('JSONata');
  });

  it.each([['ExecutionsFailed'], ['ExecutionsTimedOut'], ['ExecutionsAborted']])('raises an alarm on %s to the alarm topic', (metric) => {
    // Metric names: https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: metric,
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('^WorkflowStateMachine') } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });
});

describe('alarm topic and dead letters', () => {
  it('encrypts the topic, requires TLS to publish, and subscribes the alarm address', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alarms@carrier.cn' });
  });

  it("lets CloudWatch publish this account's alarms to the topic (the TLS Deny alone leaves it no Allow)", () => {
    const topicRef = { Ref: expect.stringMatching(/^AlarmsTopic/) };
    const [policy] = Object.values(resourcesOfType(template, 'AWS::SNS::TopicPolicy'));
    const allows = (policy!.Properties!.PolicyDocument.Statement as Record<string, any>[]).filter((st) => st.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'CloudWatchAlarmsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicRef,
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: {
            'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:ap-east-1:123456789012:alarm:*']] },
          },
        },
      },
    ]);
    // Every alarm publishes to this topic.
    for (const alarm of Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties!.AlarmActions).toEqual([topicRef]);
    }
  });

  it('keeps dead letters encrypted for 14 days and alarms as soon as one is visible', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ComplaintLoop',
      MetricName: 'EmailRejected',
      Dimensions: Match.arrayWith([
        { Name: 'audience', Value: 'staff' },
        { Name: 'service', Value: 'complaint-loop' },
      ]),
      Statistic: 'Sum',
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });
});

describe('API', () => {
  const methods = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method'));
  const pathOf = (resourceRef: string): string => {
    const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
    const parts: string[] = [];
    let id: string | undefined = resourceRef;
    while (id && resources[id]) {
      parts.unshift(resources[id]!.Properties!.PathPart as string);
      id = (resources[id]!.Properties!.ParentId as { Ref?: string }).Ref;
    }
    return `/${parts.join('/')}`;
  };
  const routes = methods.map((m) => ({
    route: `${m.Properties!.HttpMethod} ${pathOf(m.Properties!.ResourceId.Ref)}`,
    auth: m.Properties!.AuthorizationType,
    integration: m.Properties!.Integration,
    validator: m.Properties!.RequestValidatorId,
  }));

  it('signs every /complaints route with IAM and leaves only the token pages open', () => {
    expect(Object.fromEntries(routes.map((r) => [r.route, r.auth]))).toEqual({
      'POST /complaints': 'AWS_IAM',
      'GET /complaints/{id}': 'AWS_IAM',
      'POST /complaints/{id}/events': 'AWS_IAM',
      'GET /complaints/{id}/links/{kind}': 'AWS_IAM',
      'GET /console': 'AWS_IAM',
      'GET /console/quality': 'AWS_IAM',
      'GET /console/workflow': 'AWS_IAM',
      'GET /console/complaints/{id}': 'AWS_IAM',
      'POST /console/complaints/{id}/acknowledge': 'AWS_IAM',
      'GET /survey/{token}': 'NONE',
      'POST /survey/{token}': 'NONE',
      'GET /ack/{token}': 'NONE',
      'POST /ack/{token}': 'NONE',
    });
  });

  it('proxies each route to its handler and validates every request', () => {
    const expected: Record<string, string> = {
      'POST /complaints': 'intake',
      'GET /complaints/{id}': 'get-complaint',
      'POST /complaints/{id}/events': 'complaint-events',
      'GET /complaints/{id}/links/{kind}': 'complaint-events',
      'GET /survey/{token}': 'survey',
      'POST /ack/{token}': 'escalation-ack',
      'GET /console': 'console',
      'GET /console/quality': 'console',
      'GET /console/workflow': 'console',
      'GET /console/complaints/{id}': 'console',
      'POST /console/complaints/{id}/acknowledge': 'console',
    };
    for (const r of routes) {
      expect(r.integration.Type, r.route).toBe('AWS_PROXY');
      expect(r.validator, r.route).toEqual({ Ref: expect.stringMatching(/Validator/) });
      const handler = expected[r.route];
      if (handler) expect(JSON.stringify(r.integration.Uri), r.route).toContain(functionIdFor(template, handler));
    }
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it('logs access without request paths (tokens) to an encrypted group, traces and throttles the stage', () => {
    const stage = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Stage'))[0]!.Properties!;
    expect(stage).toMatchObject({
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        },
      ],
    });
    const format = JSON.parse(stage.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format.resourcePath).toBe('$context.resourcePath');
    expect(Object.values(format)).not.toContain('$context.path');
    const groupId = stage.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    expect(resourcesOfType(template, 'AWS::Logs::LogGroup')[groupId]?.Properties).toMatchObject({ KmsKeyId: keyArn });
  });

  it("creates API Gateway's execution log group itself, encrypted, with retention, before the stage", () => {
    const [stageId, stage] = Object.entries(resourcesOfType(template, 'AWS::ApiGateway::Stage'))[0]!;
    const apiRef = stage.Properties!.RestApiId.Ref as string;
    const groups = Object.entries(resourcesOfType(template, 'AWS::Logs::LogGroup')).filter(([, g]) =>
      JSON.stringify(g.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'),
    );
    expect(groups).toHaveLength(1);
    const [groupId, group] = groups[0]!;
    expect(group.Properties).toEqual({
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiRef }, '/v1']] },
      KmsKeyId: keyArn,
      RetentionInDays: 365,
    });
    expect(template.toJSON().Resources[stageId].DependsOn).toContain(groupId);
  });

  it('never traces the survey and ack routes, whose URLs hold the token', () => {
    const rules = Object.values(resourcesOfType(template, 'AWS::XRay::SamplingRule')).map((r) => r.Properties!.SamplingRule);
    expect(rules.map((r) => r.URLPath).sort()).toEqual(['*/ack/*', '*/survey/*']);
    for (const rule of rules) {
      expect(rule).toMatchObject({ FixedRate: 0, ReservoirSize: 0, ServiceType: 'AWS::ApiGateway::Stage', HTTPMethod: '*', Host: '*' });
      expect(rule.Priority).toBeLessThan(10000);
      expect(JSON.stringify(rule.ResourceARN)).toContain('/stages/');
      expect(String(rule.RuleName).length).toBeLessThanOrEqual(32);
    }
  });

  it('keeps no WAF sampled requests (a sample holds the URI, and a link URI holds its token)', () => {
    const [acl] = Object.values(resourcesOfType(template, 'AWS::WAFv2::WebACL'));
    const configs = [acl!.Properties!.VisibilityConfig, ...acl!.Properties!.Rules.map((r: any) => r.VisibilityConfig)];
    expect(configs.length).toBeGreaterThan(1);
    for (const config of configs) expect(config).toMatchObject({ SampledRequestsEnabled: false, CloudWatchMetricsEnabled: true });
  });

  it("creates API Gateway's account logging role by default", () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('puts the stage behind a WAF web ACL with a per-IP rate limit and AWS managed rules', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } } }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
              // Chinese descriptions exceed the rule set's 8 KB body limit; the handler enforces 64 KiB.
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            }),
          },
        }),
      ]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/stages/')])]) }),
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiWebAcl'), 'Arn'] },
    });
  });
});

describe('API settings', { timeout: 180_000 }, () => {
  it("leave API Gateway's account logging role alone when the carrier manages it", () => {
    const { template: t } = synthStack({
      settings: { ...CARRIER_SETTINGS, api: { cloudWatchRole: false, rateLimit: 5, burstLimit: 10, wafRateLimit: 300 } },
    });
    t.resourceCountIs('AWS::ApiGateway::Account', 0);
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })],
    });
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP' } } })]),
    });
  });
});
