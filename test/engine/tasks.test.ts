import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResource } from '../../local/engine';
import { historyTypes, run } from './helpers';

const ddb = mockClient(DynamoDBClient);
const ses = mockClient(SESv2Client);
afterEach(() => {
  ddb.reset();
  ses.reset();
});

describe('resource parsing', () => {
  it('recognises the integrations and their patterns', () => {
    expect(parseResource('arn:aws:states:::lambda:invoke')).toMatchObject({
      kind: 'lambda-invoke',
      pattern: 'request',
      resourceType: 'lambda',
      resourceName: 'invoke',
    });
    expect(parseResource('arn:aws:states:::lambda:invoke.waitForTaskToken')).toMatchObject({
      kind: 'lambda-invoke',
      pattern: 'waitForTaskToken',
      resourceName: 'invoke.waitForTaskToken',
    });
    expect(parseResource('arn:aws:lambda:eu-west-1:123456789012:function:f:live')).toMatchObject({ kind: 'lambda-function' });
    expect(parseResource('arn:aws:states:::dynamodb:putItem')).toMatchObject({ kind: 'dynamodb', action: 'putItem' });
    expect(parseResource('arn:aws:states:::aws-sdk:sesv2:sendEmail')).toMatchObject({
      kind: 'aws-sdk',
      service: 'sesv2',
      action: 'sendEmail',
      resourceType: 'aws-sdk:sesv2',
    });
    expect(parseResource('arn:aws:states:::sqs:sendMessage.sync')).toMatchObject({ pattern: 'sync' });
    expect(parseResource('arn:aws:states:us-east-1:123456789012:activity:a')).toMatchObject({ kind: 'unsupported' });
  });
});

describe('Lambda integrations', () => {
  it('lambda:invoke returns the AWS response shape with the handler result in Payload', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
    const { out } = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST', 'Payload.$': '$' },
            End: true,
          },
        },
      },
      { hello: 'world' },
      { echo: async (e: any, ctx: any) => ({ got: e, fn: ctx.functionName }) },
    );
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.Payload).toEqual({ got: { hello: 'world' }, fn: 'echo' });
    expect(out.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(typeof out.SdkResponseMetadata.RequestId).toBe('string');
  });

  it('fails with Lambda.ResourceNotFoundException for a function nobody registered', async () => {
    const { d } = await run({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'ghost' }, End: true } },
    });
    expect(d.error).toBe('Lambda.ResourceNotFoundException');
    expect(d.cause).toContain('ghost');
  });

  it('fails: the .sync pattern is reported as unsupported, not skipped', async () => {
    const { d, engine, arn } = await run({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: {}, End: true } },
    });
    expect(d.error).toBe('States.Runtime');
    expect(d.cause).toMatch(/\.sync/);
    expect(await historyTypes(engine, arn)).toContain('TaskFailed');
  });
});

describe('AWS SDK integrations', () => {
  it('dynamodb:getItem goes through the SDK client and returns its output without $metadata', async () => {
    ddb
      .on(GetItemCommand, { TableName: 'Complaints', Key: { pk: { S: 'c-1' } } })
      .resolves({ Item: { pk: { S: 'c-1' }, status: { S: 'OPEN' } }, $metadata: { httpStatusCode: 200 } });
    const { out } = await run({
      StartAt: 'G',
      States: {
        G: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'Complaints', Key: { pk: { S: 'c-1' } } },
          End: true,
        },
      },
    });
    expect(out).toEqual({ Item: { pk: { S: 'c-1' }, status: { S: 'OPEN' } } });
  });

  it('fails with DynamoDB.ConditionalCheckFailedException (optimized integration naming), catchable', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const { out } = await run({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: 'T', Item: { pk: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(pk)' },
          Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Dup' }],
          End: true,
        },
        Dup: { Type: 'Pass', End: true },
      },
    });
    expect(out.Error).toBe('DynamoDB.ConditionalCheckFailedException');
  });

  it('fails with DynamoDb.<Exception> for aws-sdk:dynamodb integrations', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html (ServiceName.ErrorName, PascalCase)
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const { d } = await run({
      StartAt: 'P',
      States: {
        P: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { TableName: 'T', Item: {} }, End: true },
      },
    });
    expect(d.error).toBe('DynamoDb.ConditionalCheckFailedException');
  });

  it('aws-sdk:sesv2:sendEmail through the SDK in JSONata mode', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1', $metadata: {} });
    const { out } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'S',
        States: {
          S: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:sesv2:sendEmail',
            Arguments: {
              FromEmailAddress: 'a@example.com',
              Destination: { ToAddresses: ['b@example.com'] },
              Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: '{% $states.input.text %}' } } } },
            },
            End: true,
          },
        },
      },
      { text: 'body' },
    );
    expect(out).toEqual({ MessageId: 'm-1' });
    expect(ses.commandCalls(SendEmailCommand)[0].args[0].input.Content?.Simple?.Body?.Text?.Data).toBe('body');
  });

  it('fails: an unknown aws-sdk service fails the execution with States.Runtime', async () => {
    const { d } = await run({
      StartAt: 'P',
      States: { P: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ec2:describeInstances', Parameters: {}, End: true } },
    });
    expect(d.error).toBe('States.Runtime');
    expect(d.cause).toContain('ec2');
  });
});

describe('other optimized integrations', () => {
  it('events:putEvents goes through the EventBridge client', async () => {
    const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    const eb = mockClient(EventBridgeClient);
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }], $metadata: {} });
    const { out } = await run(
      {
        StartAt: 'E',
        States: {
          E: {
            Type: 'Task',
            Resource: 'arn:aws:states:::events:putEvents',
            Parameters: { Entries: [{ Source: 'complaints', DetailType: 'Escalated', 'Detail.$': '$' }] },
            End: true,
          },
        },
      },
      { id: 'c-1' },
    );
    expect(out).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    // Step Functions sends Detail as a JSON string: https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
    expect(eb.commandCalls(PutEventsCommand)[0].args[0].input.Entries?.[0].Detail).toBe('{"id":"c-1"}');
    eb.restore();
  });
});
