import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  SQSClient,
  SendMessageCommand,
  ReceiveMessageCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  GetQueueAttributesCommand,
  QueueDoesNotExist,
} from '@aws-sdk/client-sqs';
import { startAwsLite, type AwsLite } from '../../../local/services/aws-lite';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('aws-lite (EventBridge PutEvents and SQS over the real SDK v3 clients)', () => {
  let lite: AwsLite;
  let sqs: SQSClient;
  let events: EventBridgeClient;
  let dataFile: string;

  beforeAll(async () => {
    dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aws-lite-')), 'aws-lite.json');
    lite = await startAwsLite({ dataFile });
    lite.ensureQueue('dead-letters');
    sqs = new SQSClient({ endpoint: lite.endpoint, region: 'us-east-1', credentials });
    events = new EventBridgeClient({ endpoint: lite.endpoint, region: 'us-east-1', credentials });
  });
  afterAll(async () => {
    sqs.destroy();
    events.destroy();
    await lite.stop();
  });

  it('keeps PutEvents entries and shows them on GET /events', async () => {
    const time = new Date('2026-03-01T08:20:00Z');
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'complaint-notifications', Source: 'complaint-loop', DetailType: 'Escalation', Detail: JSON.stringify({ complaintId: 'c-1', level: 1 }), Time: time },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    const view = (await (await fetch(`${lite.endpoint}/events`)).json()) as { events: any[] };
    const ev = view.events.find((e) => e.eventId === out.Entries?.[0].EventId);
    expect(ev).toMatchObject({ eventBusName: 'complaint-notifications', detailType: 'Escalation', detail: { complaintId: 'c-1', level: 1 }, time: time.toISOString() });
  });

  it('fails an entry with malformed Detail, counting it in FailedEntryCount', async () => {
    // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html (per-entry ErrorCode)
    const out = await events.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{not json' }] }));
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0].ErrorCode).toBe('MalformedDetail');
  });

  it('sends, receives (body MD5 checked by the SDK), counts and deletes SQS messages', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'dead-letters' }));
    expect(QueueUrl).toBe(lite.queueUrl('dead-letters'));
    const body = JSON.stringify({ op: 'start-execution', complaintId: 'c-投诉' });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    expect(sent.MessageId).toBeTruthy();
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(attrs.Attributes).toEqual({ ApproximateNumberOfMessages: '1' });
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body)).toEqual([body]);
    // Received messages are invisible until deleted or the visibility timeout ends.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages![0].ReceiptHandle }));
    expect(lite.messages('dead-letters')).toEqual([]);
  });

  it('fails SendMessage to an unknown queue with QueueDoesNotExist', async () => {
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: lite.queueUrl('nope'), MessageBody: 'x' })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('keeps queues and events across a restart on the same data file', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: lite.queueUrl('dead-letters'), MessageBody: 'kept' }));
    const before = lite.events().length;
    await lite.stop();
    lite = await startAwsLite({ dataFile });
    expect(lite.messages('dead-letters').map((m) => m.body)).toEqual(['kept']);
    expect(lite.events()).toHaveLength(before);
    sqs.destroy();
    sqs = new SQSClient({ endpoint: lite.endpoint, region: 'us-east-1', credentials });
  });
});
