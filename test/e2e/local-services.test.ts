import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { checkJava, JavaMissingError, parseJavaMajor } from '../../local/services/dynamodb-local';
import { fetchEmails } from '../../local/services/ses-local';
import { uniqueName, useLocalServices } from '../support/local-env';

describe('the integration project’s shared local services (global setup)', () => {
  const services = useLocalServices();

  it('DynamoDB Local answers SDK clients created with default config (AWS_ENDPOINT_URL_DYNAMODB)', async () => {
    const ddb = new DynamoDBClient({});
    const TableName = uniqueName('t');
    await ddb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'C#1' }, text: { S: '宽带断网' } } }));
    const got = await ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'C#1' } } }));
    expect(got.Item?.text.S).toBe('宽带断网');
    ddb.destroy();
  });

  it('local SES captures SESv2 SendEmail and shows it on GET /store', async () => {
    const ses = new SESv2Client({});
    const subject = uniqueName('投诉升级');
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'complaints@example.com',
        Destination: { ToAddresses: ['supervisor@example.com'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'body' } } } },
      }),
    );
    const mail = (await fetchEmails(services.ses)).find((e) => e.subject === subject);
    expect(mail?.destination.to).toEqual(['supervisor@example.com']);
    ses.destroy();
  });

  it('aws-lite serves SQS for clients with default config', async () => {
    const sqs = new SQSClient({});
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('dlq') }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"op":"start-execution"}' }));
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(a.Attributes?.ApproximateNumberOfMessages).toBe('1');
    sqs.destroy();
  });

  it('reads the Java major version, old and new formats', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(checkJava()).toBeGreaterThanOrEqual(17);
  });

  it('fails with a message naming Java 17 when Java is missing or too old', () => {
    expect(() => checkJava('java-that-does-not-exist')).toThrow(JavaMissingError);
    expect(() => checkJava('java-that-does-not-exist')).toThrow(/Java 17/);
    expect(() => parseJavaMajor('java version "1.8.0_381"')).toThrow(/found Java 8/);
  });
});
