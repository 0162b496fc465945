/**
 * The SES, EventBridge, Step Functions and SQS adapters: what each sends to its service and how
 * it reads the answer. The app's behaviour over these ports is tested with in-memory ports
 * (test/unit/handlers); the table's layout against DynamoDB Local (test/workflow/complaint-store.test.ts).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeadLetters } from '../../../functions/adapters/dead-letters';
import { EventPublisher } from '../../../functions/adapters/event-publisher';
import { Mailer } from '../../../functions/adapters/mailer';
import { Workflow } from '../../../functions/adapters/workflow';
import { isTransient } from '../../../functions/app/errors';
import { EVENT_SOURCE, type PublishedDetail } from '../../../functions/contract/events';
import { namedError as named } from '../support/in-memory';

const ses = mockClient(SESv2Client);
const eventBridge = mockClient(EventBridgeClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);

beforeEach(() => {
  ses.reset();
  eventBridge.reset();
  sfn.reset();
  sqs.reset();
});

describe('Mailer (SESv2)', () => {
  it('sends text and HTML in UTF-8 from the sender address and answers the message id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
    const mailer = new Mailer('complaints@example.com', new SESv2Client({ region: 'us-east-1' }));
    const id = await mailer.send({ to: ['li.lei@example.com'], subject: '受理通知', text: '您好', html: '<html>您好</html>' });
    expect(id).toBe('msg-1');
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe('complaints@example.com');
    expect(input.Destination!.ToAddresses).toEqual(['li.lei@example.com']);
    expect(input.Content!.Simple).toMatchObject({
      Subject: { Data: '受理通知', Charset: 'UTF-8' },
      Body: { Text: { Data: '您好', Charset: 'UTF-8' }, Html: { Data: '<html>您好</html>', Charset: 'UTF-8' } },
    });
  });

  it('fails without calling SES when there is no recipient', async () => {
    const mailer = new Mailer('complaints@example.com', new SESv2Client({ region: 'us-east-1' }));
    await expect(mailer.send({ to: [], subject: 's', text: 't', html: 'h' })).rejects.toThrow(/no recipient/);
    expect(ses.calls()).toHaveLength(0);
  });
});

describe('EventPublisher (EventBridge)', () => {
  const publisher = () => new EventPublisher('complaint-notifications', new EventBridgeClient({ region: 'us-east-1' }));

  const detail: PublishedDetail<'Complaint Notification'> = {
    kind: 'intake-acknowledgment',
    audience: 'customer',
    complaintId: 'c-1',
    notificationKey: 'intake-acknowledgment',
    emailed: true,
  };

  it('puts one event on the bus with the product as its source', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await publisher().publish('Complaint Notification', detail, '2026-03-02T02:00:00.000Z');
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry).toMatchObject({ EventBusName: 'complaint-notifications', Source: EVENT_SOURCE, DetailType: 'Complaint Notification' });
    expect(JSON.parse(entry.Detail!)).toEqual(detail);
    expect(entry.Time).toEqual(new Date('2026-03-02T02:00:00.000Z'));
  });

  it('fails with a retryable error when the entry was throttled, a final one when it was refused', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'no' }] });
    const throttled = await publisher()
      .publish('Complaint Notification', detail)
      .catch((e: unknown) => e);
    expect(throttled).toMatchObject({ name: 'EventPublishError' });
    expect(isTransient(throttled)).toBe(true);
    const refused = await publisher()
      .publish('Complaint Notification', detail)
      .catch((e: unknown) => e);
    expect(isTransient(refused)).toBe(false);
  });
});

describe('Workflow (Step Functions)', () => {
  const workflow = () =>
    new Workflow('arn:aws:states:us-east-1:123456789012:stateMachine:complaint-loop', new SFNClient({ region: 'us-east-1' }));

  it('starts the execution named by the complaint id with only the id as input; a second start already exists', async () => {
    sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: 'arn:x', startDate: new Date() }).rejects(named('ExecutionAlreadyExists'));
    await expect(workflow().start('c-1')).resolves.toBe('started');
    await expect(workflow().start('c-1')).resolves.toBe('already-exists');
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:complaint-loop',
      name: 'c-1',
      input: JSON.stringify({ complaintId: 'c-1' }),
    });
  });

  it('treats TaskTimedOut and TaskDoesNotExist on a stale token as not an error', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html (Errors)
    sfn.on(SendTaskSuccessCommand).rejectsOnce(named('TaskTimedOut')).rejectsOnce(named('TaskDoesNotExist')).rejects(named('InvalidToken'));
    sfn.on(SendTaskFailureCommand).rejects(named('TaskTimedOut'));
    await expect(workflow().succeed('t', { milestone: 'survey', nextDueAt: null })).resolves.toBe('stale');
    await expect(workflow().succeed('t', { milestone: 'survey', nextDueAt: null })).resolves.toBe('stale');
    await expect(workflow().succeed('t', { milestone: 'survey', nextDueAt: null })).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(workflow().fail('t', 'ClocksChanged', 'pause')).resolves.toBe('stale');
  });

  it('fails to start without a state machine', async () => {
    await expect(new Workflow(undefined, new SFNClient({ region: 'us-east-1' })).start('c-1')).rejects.toThrow(/STATE_MACHINE_ARN/);
  });
});

describe('DeadLetters (SQS)', () => {
  it('queues the letter as JSON on the dead-letter queue', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const queue = 'https://sqs.us-east-1.amazonaws.com/123456789012/complaint-dlq';
    await new DeadLetters(queue, new SQSClient({ region: 'us-east-1' })).send({ op: 'start-execution', complaintId: 'c-1' });
    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe(queue);
    expect(JSON.parse(input.MessageBody!)).toEqual({ op: 'start-execution', complaintId: 'c-1' });
  });
});
