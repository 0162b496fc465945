/**
 * EventPublisher: EventBridge PutEvents, one event per notification so a carrier's SMS gateway
 * (or anything else) can subscribe. Callers put no personal data in `detail` (H-42).
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventSink } from '../app/ports';
import { EVENT_SOURCE, type PublishedDetail, type PublishedDetailType } from '../contract/events';
import { eventBridge } from './clients';

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
}

export class EventPublisher implements EventSink {
  private readonly client: EventBridgeClient;
  constructor(
    private readonly busName: string,
    client?: EventBridgeClient,
  ) {
    this.client = client ?? eventBridge();
  }

  /** One event of a published detail-type (functions/contract/events.ts says what each detail holds). */
  async publish<T extends PublishedDetailType>(detailType: T, detail: PublishedDetail<T>, time?: string): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
            Time: time ? new Date(time) : undefined,
          },
        ],
      }),
    );
    // PutEvents answers 200 even when an entry failed: the per-entry result says so.
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.find((e) => e.ErrorCode);
      const error = new EventPublishError(`PutEvents failed: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
      // Throttling and internal failures are worth another attempt.
      (error as { $retryable?: unknown }).$retryable = /Throttl|InternalFailure/i.test(entry?.ErrorCode ?? '') ? {} : undefined;
      throw error;
    }
  }
}
