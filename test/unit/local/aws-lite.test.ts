import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DescribeEventBusCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  PutEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAttributeName,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsLite, startAwsLite } from '../../../local/services/aws-lite';

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
    lite.ensureQueue('api-dead-letters');
    lite.ensureEventBus('complaint-notifications');
    lite.defineRule({ name: 'SweepSchedule', scheduleExpression: 'rate(5 minutes)', state: 'ENABLED' });
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
          {
            EventBusName: 'complaint-notifications',
            Source: 'complaint-loop',
            DetailType: 'Escalation',
            Detail: JSON.stringify({ complaintId: 'c-1', level: 1 }),
            Time: time,
          },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    const view = (await (await fetch(`${lite.endpoint}/events`)).json()) as { events: any[] };
    const ev = view.events.find((e) => e.eventId === out.Entries?.[0].EventId);
    expect(ev).toMatchObject({
      eventBusName: 'complaint-notifications',
      detailType: 'Escalation',
      detail: { complaintId: 'c-1', level: 1 },
      time: time.toISOString(),
    });
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

  it('lists queues, by prefix and a page at a time, as `aws sqs list-queues` asks', async () => {
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([
      lite.queueUrl('api-dead-letters'),
      lite.queueUrl('dead-letters'),
    ]);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'dead' }))).QueueUrls).toEqual([lite.queueUrl('dead-letters')]);
    const first = await sqs.send(new ListQueuesCommand({ MaxResults: 1 }));
    expect(first.QueueUrls).toEqual([lite.queueUrl('api-dead-letters')]);
    const second = await sqs.send(new ListQueuesCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect(second).toMatchObject({ QueueUrls: [lite.queueUrl('dead-letters')] });
    expect(second.NextToken).toBeUndefined();
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }))).QueueUrls).toBeUndefined();
  });

  it('answers GetQueueAttributes All with what the endpoint does', async () => {
    const QueueUrl = lite.queueUrl('dead-letters');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(attrs.Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:123456789012:dead-letters',
      ApproximateNumberOfMessages: '0',
      VisibilityTimeout: '30',
      MaximumMessageSize: '262144',
    });
  });

  it('fails GetQueueAttributes for an unknown attribute name with InvalidAttributeName', async () => {
    await expect(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: lite.queueUrl('dead-letters'), AttributeNames: ['Colour' as never] })),
    ).rejects.toBeInstanceOf(InvalidAttributeName);
  });

  it('lists the event buses and the rules of a bus, as `aws events list-event-buses` / `list-rules` ask', async () => {
    const buses = await events.send(new ListEventBusesCommand({}));
    expect(buses.EventBuses).toEqual([
      { Name: 'complaint-notifications', Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/complaint-notifications' },
      { Name: 'default', Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
    ]);
    const rules = await events.send(new ListRulesCommand({}));
    expect(rules.Rules).toEqual([
      {
        Name: 'SweepSchedule',
        Arn: 'arn:aws:events:us-east-1:123456789012:rule/SweepSchedule',
        State: 'ENABLED',
        EventBusName: 'default',
        ScheduleExpression: 'rate(5 minutes)',
      },
    ]);
    expect((await events.send(new ListRulesCommand({ EventBusName: 'complaint-notifications' }))).Rules).toEqual([]);
    await expect(events.send(new ListRulesCommand({ EventBusName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('fails an operation it does not serve with UnknownOperationException naming what it serves', async () => {
    const sqsErr = await sqs.send(new ListQueueTagsCommand({ QueueUrl: lite.queueUrl('dead-letters') })).catch((e: Error) => e);
    expect((sqsErr as Error).name).toBe('UnknownOperationException');
    expect((sqsErr as Error).message).toMatch(/AmazonSQS\.ListQueueTags is not served locally\. Served: .*AmazonSQS\.ListQueues/);
    const eventsErr = await events.send(new DescribeEventBusCommand({})).catch((e: Error) => e);
    expect((eventsErr as Error).name).toBe('UnknownOperationException');
    expect((eventsErr as Error).message).toMatch(/AWSEvents\.ListEventBuses.*AWSEvents\.ListRules.*AWSEvents\.PutEvents/);
  });

  it('fails SendMessage to an unknown queue with QueueDoesNotExist', async () => {
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: lite.queueUrl('nope'), MessageBody: 'x' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
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

describe('aws-lite on the loop clock', () => {
  it('stamps events and messages with the clock it is given, as emails and the history are', async () => {
    const loopNow = Date.parse('2026-10-01T02:00:00Z');
    const lite = await startAwsLite({ now: () => loopNow });
    const sqs = new SQSClient({ endpoint: lite.endpoint, region: 'us-east-1', credentials });
    const events = new EventBridgeClient({ endpoint: lite.endpoint, region: 'us-east-1', credentials });
    try {
      await events.send(new PutEventsCommand({ Entries: [{ Source: 'complaint-loop', DetailType: 'Escalation', Detail: '{}' }] }));
      expect(lite.events().map((e) => e.receivedAt)).toEqual(['2026-10-01T02:00:00.000Z']);
      const QueueUrl = lite.ensureQueue('dead-letters');
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
      expect(lite.messages('dead-letters').map((m) => m.sentAt)).toEqual(['2026-10-01T02:00:00.000Z']);
      // Visibility runs in real time: the message is there to receive now.
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['SentTimestamp'] }));
      expect(got.Messages?.[0].Attributes?.SentTimestamp).toBe(String(loopNow));
    } finally {
      sqs.destroy();
      events.destroy();
      await lite.stop();
    }
  });
});
