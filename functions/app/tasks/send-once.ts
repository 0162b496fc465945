/**
 * Sends a notification at most once per key, however often the calling task is retried:
 * a conditional NOTIF#<key> claim ('pending') is taken before the email, and the caller marks it
 * 'sent' in the same transaction as the complaint save that records the notification
 * (`savingSent`). When the event or that save fails after the email went out, the marker is left
 * 'mailed': the retry only publishes and records. A send that failed releases the claim so the
 * retry sends. (A crash of the process between the SES call and the save is the one window for a
 * second email.)
 *
 * An address SES refuses for good (MessageRejected: in its sandbox, any unverified recipient) never
 * stops the loop: the notification counts as done without an email, its event says so (an SMS
 * gateway takes over for a customer), a metric counts it, and for staff recipients operations are
 * told. SES error messages name the recipients, so they are redacted before anything logs or
 * rethrows them (H-42).
 */

import type { NOTIFICATION_DETAIL_TYPE, NotificationSubject } from '../../contract/events';
import { TransientError } from '../errors';
import type { NewLink } from '../links';
import type { ComplaintRepository, Email, EventSink, ExtraWrite, MailSender, NotificationSent } from '../ports';
import { errorSummary, logger, redactError } from '../runtime/logger';
import { countEvent } from '../runtime/metrics';
import type { UpdateOutcome } from '../update';

/** A pending marker older than this belongs to a crashed attempt and may be taken over. */
export const CLAIM_LEASE_MS = 60_000;

export interface Outgoing {
  readonly complaintId: string;
  /** Unique per notification (e.g. 'intake-acknowledgment', 'esc#H-01#1#<due>'). */
  readonly key: string;
  /** Builds the email once the claim is ours; no email when there is nobody to mail (a phone-only customer gets only the event). */
  readonly build: () => Promise<Built> | Built;
  /** The link the email carries (survey, acknowledgement): stored with the claim, so only a claimed email's link exists. */
  readonly link?: NewLink;
  /**
   * EventBridge detail-type and detail: ids, kinds, roles and link kinds, never contact details,
   * link tokens or URLs. `detail.audience` 'customer' marks the customer's own notices.
   */
  readonly detailType: typeof NOTIFICATION_DETAIL_TYPE;
  readonly detail: NotificationSubject;
  /** Domain time of the notification (the task's `now`). */
  readonly at: string;
}

export interface Built {
  readonly email?: Email;
  /**
   * For the customer's notices: the message text (personal data redacted, link addresses left
   * out) in the event, so an SMS gateway can send it. Absent from an event published by a retry
   * after the email went out.
   */
  readonly messageText?: { readonly subject: string; readonly text: string };
}

/** Tells operations that staff mail was refused (the loop goes on). */
export type StaffRejectionAlert = (info: { complaintId: string; key: string; reason: string; at: string }) => Promise<void>;

export interface SendDeps {
  readonly store: ComplaintRepository;
  readonly mailer: MailSender;
  readonly publisher: EventSink;
  /** Wall clock for claim leases only (not domain time). */
  readonly wallClockMs?: () => number;
  /** Called when SES refuses a staff recipient; without it the refusal is only logged and counted. */
  readonly alertStaffRejection?: StaffRejectionAlert;
}

export type SendResult = 'sent' | 'already-sent' | 'email-rejected';

/** What a send did, and the mark the caller's save writes (absent when it was sent before). */
export interface SendOutcome {
  readonly result: SendResult;
  readonly mark?: NotificationSent;
}

/** SES errors that name a recipient it will not deliver to: retrying cannot help. */
const PERMANENT_REJECTIONS = new Set(['MessageRejected']);

export function isPermanentRejection(error: unknown): boolean {
  return error instanceof Error && PERMANENT_REJECTIONS.has(error.name);
}

export async function sendOnce(deps: SendDeps, out: Outgoing): Promise<SendOutcome> {
  const wallNow = (deps.wallClockMs ?? Date.now)();
  const link = out.link ? { tokenHash: out.link.tokenHash, link: out.link.link } : undefined;
  const claim = await deps.store.claimNotification(out.complaintId, out.key, wallNow, CLAIM_LEASE_MS, link);
  if (claim !== 'claimed') {
    if (claim.status === 'sent') return { result: 'already-sent' };
    if (claim.status === 'pending') {
      // Another attempt is sending right now (or crashed less than a lease ago): try again later.
      throw new TransientError(`notification ${out.key} of ${out.complaintId} is being sent by another attempt`);
    }
    // 'mailed': the email went out, the event or the save that records it did not.
  }
  let messageIds: string[] = claim === 'claimed' ? [] : [...(claim.messageIds ?? [])];
  let built: Built = {};
  let rejected: string | undefined;
  if (claim === 'claimed') {
    try {
      built = await out.build();
      if (built.email && built.email.to.length > 0) messageIds = [await deps.mailer.send(built.email)];
    } catch (error) {
      if (!isPermanentRejection(error)) {
        await deps.store.releaseNotification(out.complaintId, out.key).catch(() => undefined);
        throw redactError(error);
      }
      const refused = redactError(error as Error);
      rejected = refused.name;
      await onRejected(deps, out, refused);
    }
  }
  const mark: NotificationSent = { key: out.key, at: out.at, messageIds };
  try {
    await deps.publisher.publish(
      out.detailType,
      {
        ...out.detail,
        complaintId: out.complaintId,
        // Subscribers dedupe on this: a retry may publish the same notification again.
        notificationKey: out.key,
        emailed: messageIds.length > 0,
        // An SMS gateway takes over when the customer's address was refused.
        ...(rejected ? { emailRejected: true } : {}),
        ...(built.messageText ? { message: built.messageText } : {}),
      },
      out.at,
    );
  } catch (error) {
    if (claim === 'claimed') await keepMailed(deps, out.complaintId, [mark]);
    throw error;
  }
  logger.info('notification sent', {
    complaintId: out.complaintId,
    key: out.key,
    emailed: messageIds.length > 0,
    ...(rejected ? { emailRejected: rejected } : {}),
  });
  // The key starts with its kind ('escalation#H-01#1#...', 'result-notice#0', ...).
  countEvent('NotificationSent', { kind: kindOf(out) });
  return { result: rejected ? 'email-rejected' : 'sent', mark };
}

/** The email went out but what records it failed: the retry must not mail again. Best effort. */
async function keepMailed(deps: Pick<SendDeps, 'store'>, complaintId: string, marks: readonly NotificationSent[]): Promise<void> {
  await Promise.all(marks.map((m) => deps.store.markNotification(complaintId, m.key, 'mailed', m.at, m.messageIds).catch(() => undefined)));
}

/**
 * Runs the complaint save that records sent notifications with their 'sent' marks among its
 * writes (one transaction). A save that changes nothing gets them marked on their own; a save
 * that fails leaves them 'mailed'.
 */
export async function savingSent<R>(
  deps: Pick<SendDeps, 'store'>,
  complaintId: string,
  marks: readonly NotificationSent[],
  save: (extra: readonly ExtraWrite[]) => Promise<UpdateOutcome<R>>,
): Promise<UpdateOutcome<R>> {
  let outcome: UpdateOutcome<R>;
  try {
    outcome = await save(marks.map((sent) => ({ kind: 'notification-sent', sent })));
  } catch (error) {
    await keepMailed(deps, complaintId, marks);
    throw error;
  }
  if (outcome.ok && !outcome.saved) {
    for (const m of marks) await deps.store.markNotification(complaintId, m.key, 'sent', m.at, m.messageIds);
  }
  return outcome;
}

const kindOf = (out: Outgoing) => out.key.split('#')[0]!;

/** A refused address: counted; a customer's is the caller's to record, a staff one alerts operations. */
async function onRejected(deps: SendDeps, out: Outgoing, error: Error): Promise<void> {
  const audience = out.detail.audience === 'customer' ? 'customer' : 'staff';
  countEvent('EmailRejected', { audience });
  if (audience === 'customer') {
    logger.warn('customer email refused; the loop goes on without it', {
      complaintId: out.complaintId,
      key: out.key,
      ...errorSummary(error),
    });
    return;
  }
  logger.error('staff email refused: check the contact list and the SES identities', {
    complaintId: out.complaintId,
    key: out.key,
    ...errorSummary(error),
  });
  if (!deps.alertStaffRejection) return;
  try {
    await deps.alertStaffRejection({ complaintId: out.complaintId, key: out.key, reason: error.message, at: out.at });
  } catch (alertError) {
    // Operations' own address may be the refused one: the error log and the metric remain.
    logger.error('operations could not be told of a refused staff email', { complaintId: out.complaintId, ...errorSummary(alertError) });
  }
}
