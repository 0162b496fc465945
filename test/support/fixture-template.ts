/**
 * A small CloudFormation template shaped like CDK's output (logical ids with hashes, Fn::Join
 * definitions, GetAtt substitutions, execute-api URLs), with two real handlers under
 * test/support/fixture-handlers. It tests the local runtime without depending on the project's stack.
 */
import type { CfnTemplate } from '../../local/stack/resolve';

const fnArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

export const FIXTURE_DEFINITION = {
  QueryLanguage: 'JSONata',
  StartAt: 'WaitTwentyMinutes',
  States: {
    WaitTwentyMinutes: { Type: 'Wait', Seconds: 1200, Next: 'Mail' },
    Mail: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: '${MailFunctionArn}',
        Payload: { thingId: '{% $states.input.thingId %}', now: '{% $states.context.State.EnteredTime %}' },
      },
      Output: '{% $states.result.Payload %}',
      End: true,
    },
  },
};

export function fixtureTemplate(): CfnTemplate {
  const definitionJson = JSON.stringify(FIXTURE_DEFINITION);
  // CDK splits the definition around tokens; emulate a Fn::Join with a literal split.
  const cut = definitionJson.indexOf('WaitTwentyMinutes');
  return {
    Parameters: { BootstrapVersion: { Default: '/cdk-bootstrap/hnb659fds/version' } },
    Resources: {
      DataTable1A2B3C4D: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'openTeam', AttributeType: 'S' },
            { AttributeName: 'nextDueAt', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            {
              IndexName: 'open-by-team',
              KeySchema: [
                { AttributeName: 'openTeam', KeyType: 'HASH' },
                { AttributeName: 'nextDueAt', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['KeyABCD1234', 'Arn'] } },
        },
      },
      KeyABCD1234: { Type: 'AWS::KMS::Key', Properties: {} },
      DeadLettersQueue5E6F7A8B: { Type: 'AWS::SQS::Queue', Properties: {} },
      NotificationsBus9C0D1E2F: { Type: 'AWS::Events::EventBus', Properties: { Name: 'complaint-notifications' } },
      RecordFunctionServiceRole1111: { Type: 'AWS::IAM::Role', Properties: {} },
      RecordFunctionAAAA1111: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'complaint-loop:entry': 'test/support/fixture-handlers/record.ts' },
        Properties: {
          Handler: 'index.handler',
          Timeout: 30,
          MemorySize: 512,
          Role: { 'Fn::GetAtt': ['RecordFunctionServiceRole1111', 'Arn'] },
          Environment: {
            Variables: {
              TABLE_NAME: { Ref: 'DataTable1A2B3C4D' },
              STATE_MACHINE_ARN: { Ref: 'LoopStateMachineBBBB2222' },
              DEAD_LETTER_QUEUE_URL: { Ref: 'DeadLettersQueue5E6F7A8B' },
              POWERTOOLS_SERVICE_NAME: 'complaint-loop-record',
              NODE_OPTIONS: '--enable-source-maps',
            },
          },
        },
      },
      MailFunctionCCCC3333: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'complaint-loop:entry': 'test/support/fixture-handlers/mail.ts' },
        Properties: {
          Handler: 'index.handler',
          Environment: {
            Variables: {
              TABLE_NAME: { Ref: 'DataTable1A2B3C4D' },
              SENDER_ADDRESS: 'complaints@example.com',
              EVENT_BUS_NAME: { Ref: 'NotificationsBus9C0D1E2F' },
              PUBLIC_BASE_URL: {
                'Fn::Join': [
                  '',
                  [
                    'https://',
                    { Ref: 'ApiRestApiDDDD4444' },
                    '.execute-api.',
                    { Ref: 'AWS::Region' },
                    '.',
                    { Ref: 'AWS::URLSuffix' },
                    '/',
                    { Ref: 'ApiDeploymentStageprodEEEE5555' },
                    '/',
                  ],
                ],
              },
              POWERTOOLS_SERVICE_NAME: 'complaint-loop-mail',
            },
          },
        },
      },
      LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a: {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: 'index.handler' },
      },
      LoopStateMachineBBBB2222: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: { 'Fn::Join': ['', [definitionJson.slice(0, cut), definitionJson.slice(cut)]] },
          DefinitionSubstitutions: { MailFunctionArn: fnArn('MailFunctionCCCC3333') },
          RoleArn: { 'Fn::GetAtt': ['LoopRoleFFFF6666', 'Arn'] },
        },
      },
      LoopRoleFFFF6666: { Type: 'AWS::IAM::Role', Properties: {} },
      ApiRestApiDDDD4444: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'complaint-loop' } },
      ApiDeploymentStageprodEEEE5555: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { StageName: 'prod', RestApiId: { Ref: 'ApiRestApiDDDD4444' } },
      },
      ApiThings7777: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          ParentId: { 'Fn::GetAtt': ['ApiRestApiDDDD4444', 'RootResourceId'] },
          PathPart: 'things',
          RestApiId: { Ref: 'ApiRestApiDDDD4444' },
        },
      },
      ApiThingsId8888: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: { ParentId: { Ref: 'ApiThings7777' }, PathPart: '{id}', RestApiId: { Ref: 'ApiRestApiDDDD4444' } },
      },
      ApiThingsPOST9999: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'POST',
          ResourceId: { Ref: 'ApiThings7777' },
          RestApiId: { Ref: 'ApiRestApiDDDD4444' },
          AuthorizationType: 'AWS_IAM',
          Integration: {
            Type: 'AWS_PROXY',
            IntegrationHttpMethod: 'POST',
            Uri: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':apigateway:',
                  { Ref: 'AWS::Region' },
                  ':lambda:path/2015-03-31/functions/',
                  fnArn('RecordFunctionAAAA1111'),
                  '/invocations',
                ],
              ],
            },
          },
        },
      },
      ApiThingsIdGET0000: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'GET',
          ResourceId: { Ref: 'ApiThingsId8888' },
          RestApiId: { Ref: 'ApiRestApiDDDD4444' },
          AuthorizationType: 'NONE',
          Integration: {
            Type: 'AWS_PROXY',
            Uri: {
              'Fn::Join': [
                '',
                ['arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/', fnArn('RecordFunctionAAAA1111'), '/invocations'],
              ],
            },
          },
        },
      },
      ApiThingsOPTIONS1212: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'OPTIONS',
          ResourceId: { Ref: 'ApiThings7777' },
          AuthorizationType: 'NONE',
          Integration: { Type: 'MOCK' },
        },
      },
    },
  };
}
