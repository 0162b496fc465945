import { describe, expect, it } from 'vitest';
import { Resolver, rewriteApiUrl, TemplateResolveError } from '../../../local/stack/resolve';
import { deriveLocalApp, unionEnvironment } from '../../../local/stack/template';
import { FIXTURE_DEFINITION, fixtureTemplate } from '../../support/fixture-template';

const targets = { apiBaseUrl: 'http://127.0.0.1:3000', awsLiteEndpoint: 'http://127.0.0.1:3004' };

describe('deriveLocalApp (template → local resources)', () => {
  const app = deriveLocalApp(fixtureTemplate(), targets);

  it('maps functions with the entry metadata to their module and resolved environment', () => {
    const record = app.functions.find((f) => f.logicalId === 'RecordFunctionAAAA1111')!;
    expect(record).toMatchObject({
      entry: 'test/support/fixture-handlers/record.ts',
      handlerExport: 'handler',
      timeoutSeconds: 30,
      memoryMb: 512,
      environment: {
        TABLE_NAME: 'DataTable1A2B3C4D',
        STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:LoopStateMachineBBBB2222',
        DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:3004/123456789012/DeadLettersQueue5E6F7A8B',
      },
    });
    const mail = app.functions.find((f) => f.logicalId === 'MailFunctionCCCC3333')!;
    expect(mail.environment.EVENT_BUS_NAME).toBe('complaint-notifications');
    // The execute-api URL of the stage becomes the local API server's base, keeping the trailing slash.
    expect(mail.environment.PUBLIC_BASE_URL).toBe('http://127.0.0.1:3000/');
    expect(mail.timeoutSeconds).toBe(3); // Lambda's default when Timeout is absent
  });

  it('skips Lambda functions without the entry metadata (CDK helper functions)', () => {
    expect(app.skippedFunctions).toEqual(['LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a']);
  });

  it('builds CreateTable with keys, the GSI, on-demand billing, and TTL', () => {
    expect(app.tables).toHaveLength(1);
    expect(app.tables[0].ttlAttribute).toBe('ttl');
    expect(app.tables[0].createTable).toMatchObject({
      TableName: 'DataTable1A2B3C4D',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [{ IndexName: 'open-by-team', Projection: { ProjectionType: 'ALL' } }],
    });
    expect(app.tables[0].createTable).not.toHaveProperty('SSESpecification');
  });

  it('joins the definition and applies DefinitionSubstitutions with local function ARNs', () => {
    const [sm] = app.stateMachines;
    expect(sm.name).toBe('LoopStateMachineBBBB2222');
    const def = JSON.parse(sm.definition);
    expect(def.States.Mail.Arguments.FunctionName).toBe('arn:aws:lambda:us-east-1:123456789012:function:MailFunctionCCCC3333');
    expect(def.States.WaitTwentyMinutes).toEqual(FIXTURE_DEFINITION.States.WaitTwentyMinutes);
    expect(sm.roleArn).toBe('arn:aws:iam::123456789012:role/LoopRoleFFFF6666');
  });

  it('derives API routes with full paths, methods and authorization, skipping MOCK integrations', () => {
    expect(app.routes).toEqual([
      { resourcePath: '/things', httpMethod: 'POST', authorizationType: 'AWS_IAM', functionId: 'RecordFunctionAAAA1111' },
      { resourcePath: '/things/{id}', httpMethod: 'GET', authorizationType: 'NONE', functionId: 'RecordFunctionAAAA1111' },
    ]);
    expect(app.stage).toBe('prod');
    expect(app.queues).toEqual(['DeadLettersQueue5E6F7A8B']);
    expect(app.eventBuses).toEqual(['complaint-notifications']);
  });

  it('fails when a definition placeholder has no substitution', () => {
    const t = fixtureTemplate();
    delete (t.Resources.LoopStateMachineBBBB2222.Properties as Record<string, unknown>).DefinitionSubstitutions;
    expect(() => deriveLocalApp(t, targets)).toThrow(/\$\{MailFunctionArn\} has no substitution/);
  });

  it('fails on a Ref to an unknown resource, naming it', () => {
    const t = fixtureTemplate();
    t.Resources.MailFunctionCCCC3333.Properties!.Environment.Variables.X = { Ref: 'Nope' };
    expect(() => deriveLocalApp(t, targets)).toThrow(TemplateResolveError);
    expect(() => deriveLocalApp(t, targets)).toThrow(/Nope/);
  });
});

describe('Resolver', () => {
  const r = new Resolver(fixtureTemplate(), targets);
  it('resolves Fn::Sub with pseudo parameters, resource attributes and escapes', () => {
    expect(r.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b-${AWS::AccountId}/${!Literal}' })).toBe(
      'arn:aws:s3:::b-123456789012/${Literal}',
    );
    expect(
      r.resolve({ 'Fn::Sub': ['${Q}|${DataTable1A2B3C4D.Arn}', { Q: { 'Fn::GetAtt': ['DeadLettersQueue5E6F7A8B', 'QueueName'] } }] }),
    ).toBe('DeadLettersQueue5E6F7A8B|arn:aws:dynamodb:us-east-1:123456789012:table/DataTable1A2B3C4D');
  });
  it('resolves Fn::Select over Fn::Split', () => {
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
  });
  it('fails on unsupported intrinsics, naming them', () => {
    expect(() => r.resolve({ 'Fn::ImportValue': 'x' })).toThrow(/Fn::ImportValue is not supported/);
  });
  it('leaves other URLs alone when rewriting execute-api URLs', () => {
    expect(rewriteApiUrl('https://example.com/prod/', 'http://127.0.0.1:1')).toBe('https://example.com/prod/');
    expect(rewriteApiUrl('https://local-api.execute-api.us-east-1.amazonaws.com/prod', 'http://h:1')).toBe('http://h:1');
  });
});

describe('unionEnvironment', () => {
  it('merges the functions’ variables, reports the ones that differ and drops NODE_OPTIONS', () => {
    const app = deriveLocalApp(fixtureTemplate(), targets);
    const { env, conflicts } = unionEnvironment(app.functions);
    expect(env.TABLE_NAME).toBe('DataTable1A2B3C4D');
    expect(env).not.toHaveProperty('NODE_OPTIONS');
    expect(conflicts).toEqual(['POWERTOOLS_SERVICE_NAME']);
  });
});
