/**
 * The fault proxy answers as AWS does, so the real SDK clients see the errors they would see on
 * AWS: DynamoDB throttling (HTTP 400, __type ProvisionedThroughputExceededException)
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 * and SES v2 throttling (HTTP 429 TooManyRequestsException)
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 */

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { isTransient } from '../../../functions/app/errors';
import { dynamoDbThrottling, type FaultProxy, sesThrottling, startFaultProxy } from '../../../local/fault-proxy';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const proxies: FaultProxy[] = [];

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
});

async function proxy(target: string, failFirst: number, fault: () => ReturnType<typeof dynamoDbThrottling>): Promise<FaultProxy> {
  let seen = 0;
  const p = await startFaultProxy({ target, decide: () => (seen++ < failFirst ? fault() : undefined) });
  proxies.push(p);
  return p;
}

describe('fault proxy', () => {
  it('fails DynamoDB calls with a throttling error the SDK names and treats as retryable', async () => {
    const p = await proxy(inject('dynamodbEndpoint'), 1, dynamoDbThrottling);
    const client = new DynamoDBClient({ endpoint: p.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const error = await client.send(new ListTablesCommand({})).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ProvisionedThroughputExceededException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    expect(isTransient(error)).toBe(true);
    // Passed through once the fault is over.
    await expect(client.send(new ListTablesCommand({}))).resolves.toHaveProperty('TableNames');
    expect(p.stats).toEqual({ forwarded: 1, injected: { ProvisionedThroughputExceededException: 1 } });
    client.destroy();
  });

  it('lets the SDK retry through throttling (the request reaches DynamoDB Local on the third try)', async () => {
    const p = await proxy(inject('dynamodbEndpoint'), 2, dynamoDbThrottling);
    const client = new DynamoDBClient({ endpoint: p.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
    await expect(client.send(new ListTablesCommand({}))).resolves.toHaveProperty('TableNames');
    expect(p.stats.injected.ProvisionedThroughputExceededException).toBe(2);
    expect(p.stats.forwarded).toBe(1);
    client.destroy();
  });

  it('fails an SES send with TooManyRequestsException (HTTP 429)', async () => {
    const p = await proxy(inject('sesEndpoint'), 1, sesThrottling);
    const client = new SESv2Client({ endpoint: p.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const send = () =>
      client.send(
        new SendEmailCommand({
          FromEmailAddress: 'loop@example.com',
          Destination: { ToAddresses: ['someone@example.com'] },
          Content: { Simple: { Subject: { Data: 'fault proxy test' }, Body: { Text: { Data: 'hello' } } } },
        }),
      );
    const error = await send().catch((e: unknown) => e);
    expect((error as Error).name).toBe('TooManyRequestsException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(429);
    expect(isTransient(error)).toBe(true);
    await expect(send()).resolves.toHaveProperty('MessageId');
    client.destroy();
  });
});
