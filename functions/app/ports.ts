/**
 * What the application needs from the outside, in domain terms. The adapters in
 * `functions/adapters/` implement these (DynamoDB, SES, EventBridge, Step Functions, SQS);
 * `environment.ts` is the one place that constructs them. Nothing here names a key, an index,
 * a command or a client.
 */
import type { Viewer } from '../domain/access';
import type { Counters, Improvement } from '../domain/quality';
import type { AuditEvent, Complaint } from '../domain/types';

export type { Improvement } from '../domain/quality';

// ── The complaint repository ────────────────────────────────────────────────────────────────

export interface StoredComplaint {
  readonly complaint: Complaint;
  /** The milestone whose task token is stored, and the token (internal: never returned by the API). */
  readonly waitMilestone?: string;
  readonly waitToken?: string;
  /** Intake idempotency: hash of the accepted request body. */
  readonly bodyHash?: string;
  /** The next instant a clock of the complaint is due (null: nothing pending). */
  readonly nextDueAt?: string | null;
}

export interface LinkRecord {
  readonly purpose: 'survey' | 'ack';
  readonly complaintId: string;
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly usedAt?: string;
  /** ack links: which escalation. */
  readonly clockId?: string;
  readonly level?: number;
  readonly to?: string;
}

/** A lifecycle event already applied to a complaint, and what it answered (event idempotency). */
export interface EventMarker {
  readonly eventId: string;
  readonly type: string;
  readonly appliedAt: string;
  readonly result: Readonly<Record<string, unknown>>;
}

/** A notification sent or being sent (send-once). */
export interface NotificationMarker {
  readonly key: string;
  readonly status: 'pending' | 'mailed' | 'sent';
  readonly claimedAtMs: number;
  readonly sentAt?: string;
  readonly messageIds?: readonly string[];
}

/** A notification whose email went out (or was refused), to be marked sent with the complaint save that records it. */
export interface NotificationSent {
  readonly key: string;
  readonly at: string;
  readonly messageIds: readonly string[];
}

/** Writes that must succeed or fail together with a complaint save. */
export type ExtraWrite =
  | { readonly kind: 'event-marker'; readonly marker: EventMarker }
  | { readonly kind: 'link-used'; readonly tokenHash: string; readonly usedAt: string }
  | { readonly kind: 'notification-sent'; readonly sent: NotificationSent };

export interface SaveOptions {
  readonly expectedVersion: number;
  readonly audit?: readonly AuditEvent[];
  readonly extra?: readonly ExtraWrite[];
  readonly nextDueAt?: string | null;
  /** Replace (string) or clear (null) the stored task token; undefined keeps it. */
  readonly waitToken?: { readonly milestone: string; readonly token: string } | null;
}

/** What a repository holds after a save: the task token kept, replaced or cleared, nextDueAt likewise. */
export function storedAfterSave(current: StoredComplaint, complaint: Complaint, options: SaveOptions): StoredComplaint {
  const kept =
    current.waitToken !== undefined && current.waitMilestone !== undefined
      ? { milestone: current.waitMilestone, token: current.waitToken }
      : undefined;
  const waitToken = options.waitToken === undefined ? kept : (options.waitToken ?? undefined);
  return {
    complaint,
    bodyHash: current.bodyHash,
    waitMilestone: waitToken?.milestone,
    waitToken: waitToken?.token,
    nextDueAt: options.nextDueAt === undefined ? (current.nextDueAt ?? null) : options.nextDueAt,
  };
}

/** A refused save names what refused it: someone saved first, the event was applied, the link was used. */
export type SaveResult =
  | { readonly ok: true; readonly stored: StoredComplaint }
  | { readonly ok: false; readonly reason: 'version' | 'event-marker' | 'link-used' };

export type CreateResult = { readonly created: true } | { readonly created: false; readonly existing: StoredComplaint };

/** What storing a waiting milestone's task token found: stored, or the complaint as it is (absent: undefined). */
export type WaitTokenResult = { readonly stored: true } | { readonly stored: false; readonly current: StoredComplaint | undefined };

/** A page of complaints, and whether the limit cut it short. */
export interface ComplaintPage {
  readonly items: StoredComplaint[];
  readonly truncated: boolean;
}

/** The quality data of a period (H-36): counters summed, archived complaints per team, improvement measures. */
export interface QualityData {
  /** The period's counters summed (domain/quality.ts names them). */
  readonly counters: Counters;
  /** Archived complaints per team. */
  readonly byTeam: Readonly<Record<string, { readonly closed: number; readonly failed: number }>>;
  readonly improvements: readonly Improvement[];
}

/** Complaints with their audit trail; every change is conditional on the version that was read. */
export interface ComplaintRecords {
  get(id: string): Promise<StoredComplaint | undefined>;
  /** Creates the complaint unless one with its id exists; answers the existing one otherwise (intake idempotency). */
  createIfAbsent(complaint: Complaint, bodyHash: string, audit: readonly AuditEvent[]): Promise<CreateResult>;
  /** Saves `complaint` (version = expectedVersion + 1) with its audit lines and extra writes, all or nothing. */
  save(current: StoredComplaint, complaint: Complaint, options: SaveOptions): Promise<SaveResult>;
  /**
   * Stores the task token of `milestone` if the complaint is at that milestone and some of the
   * lifecycle points it awaits (`awaits`) have not happened yet (bumps the version); otherwise
   * answers the complaint as it was found, read in the same request.
   */
  storeWaitToken(id: string, milestone: string, awaits: readonly string[], token: string): Promise<WaitTokenResult>;
  /** The audit trail in order (H-37). */
  history(id: string): Promise<AuditEvent[]>;
  getEventMarker(id: string, eventId: string): Promise<EventMarker | undefined>;
  /** Retention of a closed complaint's other records (TTL), from its closing instant. */
  expirePartition(id: string, receivedAt: string, closedAt: string): Promise<void>;
}

/** Send-once markers of notifications. */
export interface NotificationMarkers {
  /**
   * 'claimed' if this caller may send now; a 'pending' marker older than `leaseMs` can be claimed
   * again. `link`: the link the email carries, stored with the claim (all or nothing).
   */
  claimNotification(
    id: string,
    key: string,
    nowMs: number,
    leaseMs: number,
    link?: { readonly tokenHash: string; readonly link: LinkRecord },
  ): Promise<'claimed' | NotificationMarker>;
  /**
   * Marks a claimed notification: 'mailed' (the email went out, what follows did not) or 'sent'
   * when no complaint save records it (a save marks it with a `notification-sent` extra write).
   */
  markNotification(id: string, key: string, status: 'mailed' | 'sent', at: string, messageIds: readonly string[]): Promise<void>;
  /** Gives up a claim whose send failed, so a retry sends (only while still pending). */
  releaseNotification(id: string, key: string): Promise<void>;
}

/** Single-use links, kept by the SHA-256 of their token. */
export interface LinkStore {
  /** Stores a new link; a second link with the same hash is refused. */
  putLink(tokenHash: string, link: LinkRecord): Promise<void>;
  getLink(tokenHash: string): Promise<LinkRecord | undefined>;
  /** The link and the complaint it names, read together (either may be absent). */
  getLinkWithComplaint(tokenHash: string, complaintId: string): Promise<{ link?: LinkRecord; stored?: StoredComplaint }>;
}

/** The queries behind the console, the sweep and H-25. */
export interface ComplaintQueries {
  /** Open complaints of `teams`, soonest due first within each team; at most `limit`. */
  listOpen(teams: readonly string[], limit?: number): Promise<ComplaintPage>;
  /** Ids of the open or failed complaints of `teams` whose next clock event is due at or before `nowIso`. */
  listDueIds(teams: readonly string[], nowIso: string): Promise<string[]>;
  /** Complaints archived in [fromIso, toIso); at most `limit`. */
  listClosed(fromIso: string, toIso: string, limit?: number): Promise<ComplaintPage>;
  /**
   * H-25: a customer's complaints received in [fromIso, toIso], other than `exceptId`; undefined
   * while the store cannot count them yet (its customer index is still being built).
   */
  countCustomerComplaints(customerId: string, fromIso: string, toIso: string, exceptId: string): Promise<number | undefined>;
  /** The quality data of the local days `fromDay`..`toDay` (inclusive, YYYY-MM-DD). */
  /** `teams`: count only these teams' aggregates and measures (a supervisor's view); all when absent. */
  readQuality(fromDay: string, toDay: string, teams?: readonly string[]): Promise<QualityData>;
}

/** The holiday calendar the sweep last recomputed open complaints for. */
export interface SweepState {
  getSweptCalendar(): Promise<string | undefined>;
  putSweptCalendar(fingerprint: string, at: string): Promise<void>;
}

export interface ComplaintRepository extends ComplaintRecords, NotificationMarkers, LinkStore, ComplaintQueries, SweepState {}

/** Reads a complaint out of a record of the repository's change stream (the analysis export). */
export interface ChangeStreamReader {
  /** The complaint of a changed record's new image; undefined when the record is not a complaint. */
  complaintOfImage(image: Readonly<Record<string, unknown>>): Complaint | undefined;
}

// ── Mail, events, the workflow, dead letters ────────────────────────────────────────────────

export interface Email {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailSender {
  /** Sends one email; answers its message id. A recipient refused for good throws an error named 'MessageRejected'. */
  send(email: Email): Promise<string>;
}

/** Events for subscribers (an SMS gateway...): ids and kinds only, never personal data (H-42). */
export interface EventSink {
  publish(detailType: string, detail: Readonly<Record<string, unknown>>, time?: string): Promise<void>;
}

/** 'stale': the task behind the token has ended; the waiting state re-armed or moved on and sees the milestone itself. */
export type TaskAnswer = 'sent' | 'stale';

/** The complaint's workflow execution: started once per complaint, answered at its waiting milestones. */
export interface WorkflowCallbacks {
  /** Starts the complaint's execution; 'already-exists' when a previous request started it. */
  start(complaintId: string): Promise<'started' | 'already-exists'>;
  succeed(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<TaskAnswer>;
  fail(taskToken: string, error: string, cause: string): Promise<TaskAnswer>;
}

/** What the API could not hand to the workflow, for an operator to redrive (ids only). */
export type DeadLetter =
  | { readonly op: 'start-execution'; readonly complaintId: string; readonly error?: string }
  | {
      readonly op: 'send-task-success' | 'send-task-failure';
      readonly complaintId: string;
      readonly milestone: string;
      readonly error?: string;
    };

export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}

// Console sign-in: the user pool's token endpoint and its ID tokens.

/** A verified session: who, and until when (epoch seconds). */
export interface Session {
  readonly viewer: Viewer;
  readonly expiresAt: number;
}

/** The token endpoint refused the code (expired, used, or issued for another verifier or client). */
export class SignInRejectedError extends Error {
  override readonly name = 'SignInRejectedError';
}

/** The user pool's token endpoint (port). Throws SignInRejectedError when it refuses the code. */
export interface TokenExchange {
  exchange(input: {
    readonly code: string;
    readonly codeVerifier: string;
    readonly redirectUri: string;
  }): Promise<{ readonly idToken: string }>;
}

/** Verifies an ID token's signature, issuer, audience and expiry (port). */
export interface IdTokenVerifier {
  verify(idToken: string): Promise<Session>;
}
