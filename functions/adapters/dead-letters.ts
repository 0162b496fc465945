/**
 * DeadLetters: what the API could not hand to the workflow goes to the dead-letter queue
 * (alarmed) for an operator to redrive. Messages carry ids only, no personal data.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterSink } from '../app/ports';
import { sqs } from './clients';

export class DeadLetters implements DeadLetterSink {
  private readonly client: SQSClient;
  constructor(
    private readonly queueUrl: string,
    client?: SQSClient,
  ) {
    this.client = client ?? sqs();
  }

  async send(letter: DeadLetter): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(letter) }));
  }
}
