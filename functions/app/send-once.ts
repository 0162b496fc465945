/**
 * Sends a notification at most once per key, however often the calling task is retried:
 * a conditional NOTIF#<key> marker goes pending → mailed → sent. A retry after the email went
 * out only publishes the event; a send that failed releases the claim so the retry sends.
 * (A crash between the SES call and the marker update is the one window for a second email.)
 */
import type { ComplaintStore } from '../adapters/complaint-store';
import type { Email, Mailer } from '../adapters/mailer';
import type { EventPublisher } from '../adapters/event-publisher';
import { TransientError } from './errors';
import { logger } from './logger';
import { countEvent } from './metrics';

/** A pending marker older than this belongs to a crashed attempt and may be taken over. */
export const CLAIM_LEASE_MS = 60_000;

export interface Outgoing {
  readonly complaintId: string;
  /** Unique per notification (e.g. 'intake-acknowledgment', 'esc#H-01#1#<due>'). */
  readonly key: string;
  /**
   * Builds the email once the claim is ours (so link tokens are made only for emails that go
   * out); undefined when there is nobody to mail (a phone-only customer gets only the event).
   */
  readonly build: () => Promise<Built> | Built;
  /** EventBridge detail-type and detail: ids, kinds and roles, never contact details. */
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** Domain time of the notification (the task's `now`). */
  readonly at: string;
}

export interface Built {
  readonly email?: Email;
  /**
   * For the customer's notices: the message text (personal data redacted) in the event, so an
   * SMS gateway can send it. Absent from an event published by a retry after the email went out.
   */
  readonly messageText?: { readonly subject: string; readonly text: string };
}

export interface SendDeps {
  readonly store: ComplaintStore;
  readonly mailer: Mailer;
  readonly publisher: EventPublisher;
  /** Wall clock for claim leases only (not domain time). */
  readonly wallClockMs?: () => number;
}

export type SendResult = 'sent' | 'already-sent';

export async function sendOnce(deps: SendDeps, out: Outgoing): Promise<SendResult> {
  const wallNow = (deps.wallClockMs ?? Date.now)();
  const claim = await deps.store.claimNotification(out.complaintId, out.key, wallNow, CLAIM_LEASE_MS);
  if (claim !== 'claimed') {
    if (claim.status === 'sent') return 'already-sent';
    if (claim.status === 'pending') {
      // Another attempt is sending right now (or crashed less than a lease ago): try again later.
      throw new TransientError(`notification ${out.key} of ${out.complaintId} is being sent by another attempt`);
    }
    // 'mailed': the email went out, the event or the final mark did not.
  }
  let messageIds: string[] = claim === 'claimed' ? [] : [...(claim.messageIds ?? [])];
  let built: Built = {};
  if (claim === 'claimed') {
    try {
      built = await out.build();
      if (built.email && built.email.to.length > 0) messageIds = [await deps.mailer.send(built.email)];
    } catch (error) {
      await deps.store.releaseNotification(out.complaintId, out.key).catch(() => undefined);
      throw error;
    }
    await deps.store.markNotification(out.complaintId, out.key, 'mailed', out.at, messageIds);
  }
  await deps.publisher.publish(
    out.detailType,
    {
      ...out.detail,
      complaintId: out.complaintId,
      // Subscribers dedupe on this: a retry may publish the same notification again.
      notificationKey: out.key,
      emailed: messageIds.length > 0,
      ...(built.messageText ? { message: built.messageText } : {}),
    },
    out.at,
  );
  await deps.store.markNotification(out.complaintId, out.key, 'sent', out.at, messageIds);
  logger.info('notification sent', { complaintId: out.complaintId, key: out.key, emailed: messageIds.length > 0 });
  // The key starts with its kind ('escalation#H-01#1#...', 'result-notice#0', ...).
  countEvent('NotificationSent', { kind: out.key.split('#')[0]! });
  return 'sent';
}
