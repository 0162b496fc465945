/**
 * In-memory implementations of the app's ports (functions/app/ports.ts) for hermetic tests.
 * They keep the contracts the app relies on: a save is conditional on the version read and
 * all-or-nothing with its event marker and link use; a link is used once; notification claims
 * lease; records carry their expiry (seconds since the epoch) as data. Reads and writes copy, so
 * a test cannot change what is stored by mutating what it got. The DynamoDB layout behind the
 * real adapter is tested against DynamoDB Local (test/workflow/complaint-store.test.ts).
 *
 * Faults: `calls` lists the methods called; `failNext(method, error)` makes the next call of a method throw; `beforeNext(method, fn)`
 * runs `fn` (another writer) once before the next call proceeds.
 */
import type {
  ComplaintPage,
  ComplaintRepository,
  CreateResult,
  DeadLetter,
  DeadLetterSink,
  Email,
  EventMarker,
  EventSink,
  Improvement,
  LinkRecord,
  MailSender,
  NotificationMarker,
  QualityData,
  SaveOptions,
  SaveResult,
  StoredComplaint,
  TaskAnswer,
  WaitTokenResult,
  WorkflowCallbacks,
} from '../../../functions/app/ports';
import { storedAfterSave } from '../../../functions/app/ports';
import { addCounters, archivedAt, type Counters, localDay, qualityBucket, qualityContribution } from '../../../functions/domain/quality';
import type { AuditEvent, Complaint } from '../../../functions/domain/types';

const DAY_S = 86_400;
/** Records other than the complaint expire this long after receipt plus retention (as the table does). */
export const OPEN_HORIZON_DAYS = 60;
const copy = <T>(value: T): T => structuredClone(value);
const toSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Shared fault injection: a queue of errors and interleavings per method name. */
class Faults<M extends string> {
  /** Every call, in order (a test can check that nothing was read or written). */
  readonly calls: M[] = [];
  private readonly errors: { method: M; error: Error }[] = [];
  private readonly hooks: { method: M; run: () => Promise<void> | void }[] = [];

  failNext(method: M, error: Error): void {
    this.errors.push({ method, error });
  }

  beforeNext(method: M, run: () => Promise<void> | void): void {
    this.hooks.push({ method, run });
  }

  async enter(method: M): Promise<void> {
    this.calls.push(method);
    const hook = this.hooks.findIndex((h) => h.method === method);
    if (hook >= 0) await this.hooks.splice(hook, 1)[0]!.run();
    const fault = this.errors.findIndex((f) => f.method === method);
    if (fault >= 0) throw this.errors.splice(fault, 1)[0]!.error;
  }
}

export function namedError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

type RepositoryMethod = keyof ComplaintRepository;

interface AuditLine {
  readonly event: AuditEvent;
  readonly sortKey: string;
  ttl?: number;
}

export interface InMemoryRepositoryOptions {
  /** The policy time zone: quality data is kept per local day. */
  readonly timeZone?: string;
  /** Days archived complaints are kept; 0 keeps them. */
  readonly retentionDays?: number;
}

export class InMemoryComplaintRepository implements ComplaintRepository {
  private readonly complaints = new Map<string, StoredComplaint>();
  private readonly audit = new Map<string, AuditLine[]>();
  private readonly markers = new Map<string, EventMarker & { ttl?: number }>();
  private readonly notifications = new Map<string, NotificationMarker & { ttl?: number }>();
  private readonly links = new Map<string, LinkRecord & { ttl: number }>();
  private readonly dayCounters = new Map<string, { day: string; team: string; counters: Counters }>();
  private readonly improvementsByKey = new Map<string, Improvement & { day: string; team: string }>();
  private sweptCalendar: { fingerprint: string; at: string } | undefined;
  /** While true, customer complaints cannot be counted yet (as while the table's index is being built). */
  customerIndexBuilding = false;
  private readonly faults = new Faults<RepositoryMethod>();
  private readonly timeZone: string;
  private readonly retentionDays: number;

  constructor(options: InMemoryRepositoryOptions = {}) {
    this.timeZone = options.timeZone ?? 'Asia/Shanghai';
    this.retentionDays = options.retentionDays ?? 0;
  }

  /** The repository methods called so far, in order. */
  get calls(): readonly RepositoryMethod[] {
    return this.faults.calls;
  }

  failNext(method: RepositoryMethod, error: Error): this {
    this.faults.failNext(method, error);
    return this;
  }

  beforeNext(method: RepositoryMethod, run: () => Promise<void> | void): this {
    this.faults.beforeNext(method, run);
    return this;
  }

  /** Puts a complaint as if it had been saved (test set-up). */
  seed(complaint: Complaint, extra: Omit<StoredComplaint, 'complaint'> = {}): this {
    this.complaints.set(complaint.id, copy({ nextDueAt: null, ...extra, complaint }));
    return this;
  }

  /** The stored complaint (test inspection), without a fault or a copy check. */
  peek(id: string): StoredComplaint | undefined {
    return copy(this.complaints.get(id));
  }

  /** Every stored complaint (test inspection). */
  all(): StoredComplaint[] {
    return [...this.complaints.values()].map(copy);
  }

  /** The send-once marker of a notification (test inspection). */
  notification(id: string, key: string): (NotificationMarker & { ttl?: number }) | undefined {
    return copy(this.notifications.get(`${id}|${key}`));
  }

  /** The notification keys recorded for a complaint, sorted (test inspection). */
  notificationKeys(id: string): string[] {
    return [...this.notifications.keys()]
      .filter((k) => k.startsWith(`${id}|`))
      .map((k) => k.slice(id.length + 1))
      .sort();
  }

  /** Every link, by token hash (test inspection). */
  allLinks(): Map<string, LinkRecord & { ttl: number }> {
    return copy(this.links);
  }

  /** The expiry (epoch seconds) of each record of a complaint other than the complaint itself (test inspection). */
  expiries(id: string): (number | undefined)[] {
    const lines = (this.audit.get(id) ?? []).map((l) => l.ttl);
    const owned = <V extends { ttl?: number }>(map: Map<string, V>) =>
      [...map.entries()].filter(([k]) => k.startsWith(`${id}|`)).map(([, v]) => v.ttl);
    return [...lines, ...owned(this.markers), ...owned(this.notifications)];
  }

  async get(id: string): Promise<StoredComplaint | undefined> {
    await this.faults.enter('get');
    return copy(this.complaints.get(id));
  }

  async createIfAbsent(complaint: Complaint, bodyHash: string, audit: readonly AuditEvent[]): Promise<CreateResult> {
    await this.faults.enter('createIfAbsent');
    const existing = this.complaints.get(complaint.id);
    if (existing) return { created: false, existing: copy(existing) };
    this.complaints.set(complaint.id, copy({ complaint, bodyHash, nextDueAt: null }));
    this.appendAudit(complaint, audit);
    return { created: true };
  }

  async save(current: StoredComplaint, complaint: Complaint, options: SaveOptions): Promise<SaveResult> {
    await this.faults.enter('save');
    if (complaint.version !== options.expectedVersion + 1) {
      throw new Error(`save: version must be ${options.expectedVersion + 1}, got ${complaint.version}`);
    }
    const refused = this.refusal(complaint.id, options);
    if (refused) return { ok: false, reason: refused };
    const stored = storedAfterSave(current, complaint, options);
    this.complaints.set(complaint.id, copy(stored));
    for (const extra of options.extra ?? []) {
      if (extra.kind === 'event-marker') {
        this.markers.set(`${complaint.id}|${extra.marker.eventId}`, { ...copy(extra.marker), ...this.recordTtl(complaint.receivedAt) });
      } else if (extra.kind === 'notification-sent') {
        const key = `${complaint.id}|${extra.sent.key}`;
        const marker = this.notifications.get(key) ?? { key: extra.sent.key, status: 'sent', claimedAtMs: 0 };
        this.notifications.set(key, { ...marker, status: 'sent', sentAt: extra.sent.at, messageIds: [...extra.sent.messageIds] });
      } else {
        const link = this.links.get(extra.tokenHash)!;
        this.links.set(extra.tokenHash, { ...link, usedAt: extra.usedAt });
      }
    }
    this.appendAudit(complaint, options.audit ?? []);
    this.recordQuality(current.complaint, complaint, options.audit ?? []);
    return { ok: true, stored: copy(stored) };
  }

  /** What would refuse the save (checked before anything is written: all or nothing). */
  private refusal(id: string, options: SaveOptions): 'version' | 'event-marker' | 'link-used' | undefined {
    if (this.complaints.get(id)?.complaint.version !== options.expectedVersion) return 'version';
    for (const extra of options.extra ?? []) {
      if (extra.kind === 'event-marker' && this.markers.has(`${id}|${extra.marker.eventId}`)) return 'event-marker';
      if (extra.kind === 'link-used') {
        const link = this.links.get(extra.tokenHash);
        if (!link || link.usedAt !== undefined) return 'link-used';
      }
    }
    return undefined;
  }

  async storeWaitToken(id: string, milestone: string, awaits: readonly string[], token: string): Promise<WaitTokenResult> {
    await this.faults.enter('storeWaitToken');
    const current = this.complaints.get(id);
    const points = current?.complaint.points as Record<string, string | undefined> | undefined;
    const waiting = current?.complaint.milestone === milestone && (awaits.length === 0 || awaits.some((p) => points?.[p] === undefined));
    if (!current || !waiting) return { stored: false, current: copy(current) };
    const complaint = { ...current.complaint, version: current.complaint.version + 1 };
    this.complaints.set(id, { ...current, complaint, waitMilestone: milestone, waitToken: token });
    return { stored: true };
  }

  async history(id: string): Promise<AuditEvent[]> {
    await this.faults.enter('history');
    const lines = [...(this.audit.get(id) ?? [])].sort((a, b) => a.sortKey.localeCompare(b.sortKey));
    return lines.map((l) => copy(l.event));
  }

  async getEventMarker(id: string, eventId: string): Promise<EventMarker | undefined> {
    await this.faults.enter('getEventMarker');
    const marker = this.markers.get(`${id}|${eventId}`);
    if (!marker) return undefined;
    const { ttl: _ttl, ...rest } = copy(marker);
    return rest;
  }

  async expirePartition(id: string, receivedAt: string, closedAt: string): Promise<void> {
    await this.faults.enter('expirePartition');
    if (this.retentionDays <= 0) return;
    if (Date.parse(closedAt) <= Date.parse(receivedAt) + OPEN_HORIZON_DAYS * DAY_S * 1000) return;
    const ttl = toSeconds(closedAt) + this.retentionDays * DAY_S;
    for (const line of this.audit.get(id) ?? []) line.ttl = ttl;
    for (const map of [this.markers, this.notifications] as Map<string, { ttl?: number }>[]) {
      for (const [key, value] of map) if (key.startsWith(`${id}|`)) map.set(key, { ...value, ttl });
    }
  }

  async claimNotification(
    id: string,
    key: string,
    nowMs: number,
    leaseMs: number,
    link?: { readonly tokenHash: string; readonly link: LinkRecord },
  ): Promise<'claimed' | NotificationMarker> {
    await this.faults.enter('claimNotification');
    const current = this.notifications.get(`${id}|${key}`);
    if (current && !(current.status === 'pending' && current.claimedAtMs < nowMs - leaseMs)) {
      const { ttl: _ttl, ...marker } = copy(current);
      return marker;
    }
    // The link is stored with the claim, all or nothing.
    if (link) {
      if (this.links.has(link.tokenHash)) throw new Error(`a link with hash ${link.tokenHash} exists`);
      this.links.set(link.tokenHash, { ...copy(link.link), ttl: toSeconds(link.link.expiresAt) + 30 * DAY_S });
    }
    this.notifications.set(`${id}|${key}`, {
      key,
      status: 'pending',
      claimedAtMs: nowMs,
      ...this.recordTtl(new Date(nowMs).toISOString()),
    });
    return 'claimed';
  }

  async markNotification(id: string, key: string, status: 'mailed' | 'sent', at: string, messageIds: readonly string[]): Promise<void> {
    await this.faults.enter('markNotification');
    const current = this.notifications.get(`${id}|${key}`) ?? { key, status, claimedAtMs: 0 };
    this.notifications.set(`${id}|${key}`, { ...current, status, sentAt: at, messageIds: [...messageIds] });
  }

  async releaseNotification(id: string, key: string): Promise<void> {
    await this.faults.enter('releaseNotification');
    if (this.notifications.get(`${id}|${key}`)?.status === 'pending') this.notifications.delete(`${id}|${key}`);
  }

  async putLink(tokenHash: string, link: LinkRecord): Promise<void> {
    await this.faults.enter('putLink');
    if (this.links.has(tokenHash)) throw new Error(`a link with hash ${tokenHash} exists`);
    // Kept 30 days past its expiry so a late click still gets "expired", not "unknown".
    this.links.set(tokenHash, { ...copy(link), ttl: toSeconds(link.expiresAt) + 30 * DAY_S });
  }

  async getLink(tokenHash: string): Promise<LinkRecord | undefined> {
    await this.faults.enter('getLink');
    const link = this.links.get(tokenHash);
    if (!link) return undefined;
    const { ttl: _ttl, ...rest } = copy(link);
    return rest;
  }

  async getLinkWithComplaint(tokenHash: string, complaintId: string): Promise<{ link?: LinkRecord; stored?: StoredComplaint }> {
    await this.faults.enter('getLinkWithComplaint');
    const found = this.links.get(tokenHash);
    const stored = this.complaints.get(complaintId);
    const link = found ? (({ ttl: _ttl, ...rest }) => rest)(copy(found)) : undefined;
    return { ...(link ? { link } : {}), ...(stored ? { stored: copy(stored) } : {}) };
  }

  async listOpen(teams: readonly string[], limit = 1000): Promise<ComplaintPage> {
    await this.faults.enter('listOpen');
    const items = teams.flatMap((team) => this.openOf(team)).filter((s) => s.complaint.status !== 'closed');
    return { items: items.slice(0, limit).map(copy), truncated: items.length > limit };
  }

  async listDueIds(teams: readonly string[], nowIso: string): Promise<string[]> {
    await this.faults.enter('listDueIds');
    return teams.flatMap((team) => this.openOf(team).filter((s) => s.nextDueAt && s.nextDueAt <= nowIso)).map((s) => s.complaint.id);
  }

  /** The open (or failed) complaints of a team with something pending, soonest due first (failed ones with nothing due last). */
  private openOf(team: string): StoredComplaint[] {
    const dueKey = (s: StoredComplaint) => s.nextDueAt ?? '\uffff';
    return [...this.complaints.values()]
      .filter((s) => s.complaint.status !== 'closed' && (s.complaint.team ?? s.complaint.classification?.team) === team)
      .filter((s) => s.nextDueAt || s.complaint.status === 'failed')
      .sort((a, b) => dueKey(a).localeCompare(dueKey(b)));
  }

  async listClosed(fromIso: string, toIso: string, limit = 5000): Promise<ComplaintPage> {
    await this.faults.enter('listClosed');
    const at = (s: StoredComplaint) => archivedAt(s.complaint) ?? '';
    const items = [...this.complaints.values()]
      .filter((s) => at(s) !== '' && at(s) >= fromIso && at(s) < toIso)
      .sort((a, b) => at(a).localeCompare(at(b)));
    return { items: items.slice(0, limit).map(copy), truncated: items.length > limit };
  }

  async countCustomerComplaints(customerId: string, fromIso: string, toIso: string, exceptId: string): Promise<number | undefined> {
    await this.faults.enter('countCustomerComplaints');
    if (this.customerIndexBuilding) return undefined;
    return [...this.complaints.values()].filter(
      ({ complaint: c }) => c.customer.id === customerId && c.id !== exceptId && c.receivedAt >= fromIso && c.receivedAt <= toIso,
    ).length;
  }

  async readQuality(fromDay: string, toDay: string, teams?: readonly string[]): Promise<QualityData> {
    await this.faults.enter('readQuality');
    const inPeriod = (day: string) => day >= fromDay && day <= toDay;
    const counted = (team: string) => !teams || teams.includes(team);
    let counters: Counters = {};
    const byTeam: Record<string, { closed: number; failed: number }> = {};
    for (const aggregate of this.dayCounters.values()) {
      if (!inPeriod(aggregate.day) || !counted(aggregate.team)) continue;
      counters = addCounters(counters, aggregate.counters);
      const team = (byTeam[aggregate.team] ??= { closed: 0, failed: 0 });
      team.closed += aggregate.counters.closed ?? 0;
      team.failed += aggregate.counters.failed ?? 0;
    }
    const improvements = [...this.improvementsByKey.values()]
      .filter((i) => inPeriod(i.day) && counted(i.team))
      .map(({ day: _day, team: _team, ...i }) => i)
      .sort((a, b) => a.at.localeCompare(b.at) || a.complaintId.localeCompare(b.complaintId));
    return { counters, byTeam, improvements };
  }

  async getSweptCalendar(): Promise<string | undefined> {
    await this.faults.enter('getSweptCalendar');
    return this.sweptCalendar?.fingerprint;
  }

  async putSweptCalendar(fingerprint: string, at: string): Promise<void> {
    await this.faults.enter('putSweptCalendar');
    this.sweptCalendar = { fingerprint, at };
  }

  private appendAudit(complaint: Complaint, events: readonly AuditEvent[]): void {
    const lines = this.audit.get(complaint.id) ?? [];
    for (const [i, event] of events.entries()) {
      const sortKey = `${event.at}#${String(complaint.version).padStart(8, '0')}-${String(i).padStart(3, '0')}`;
      lines.push({ event: copy(event), sortKey, ...this.recordTtl(complaint.receivedAt) });
    }
    this.audit.set(complaint.id, lines);
  }

  /** H-36: the save that archives a complaint adds its counters to its day; each improvement measure is kept. */
  private recordQuality(before: Complaint, after: Complaint, audit: readonly AuditEvent[]): void {
    const bucket = qualityBucket(after, this.timeZone);
    if (bucket && before.status !== 'closed' && before.status !== 'failed') {
      const key = `${bucket.day}|${bucket.team}`;
      const previous = this.dayCounters.get(key)?.counters ?? {};
      this.dayCounters.set(key, { ...bucket, counters: addCounters(previous, qualityContribution(after)) });
    }
    for (const event of audit) {
      if (event.type !== 'improvement') continue;
      const day = localDay(event.at, this.timeZone);
      const improvement: Improvement & { day: string; team: string } = {
        day,
        team: after.team ?? after.classification?.team ?? 'unassigned',
        at: event.at,
        complaintId: after.id,
        actor: event.actor,
        measure: String(event.detail.measure ?? ''),
        ...(typeof event.detail.category === 'string' ? { category: event.detail.category } : {}),
      };
      this.improvementsByKey.set(`${day}|${event.at}|${after.id}|${String(event.detail.eventId ?? '')}`, improvement);
    }
  }

  /** Expiry of a record other than the complaint, from its first write (none when retention is 0). */
  private recordTtl(from: string): { ttl?: number } {
    if (this.retentionDays <= 0) return {};
    return { ttl: toSeconds(from) + (this.retentionDays + OPEN_HORIZON_DAYS) * DAY_S };
  }
}

export interface SentEmail extends Email {
  readonly messageId: string;
}

/** Mail that was sent, in order. An address may be refused for good (SES MessageRejected). */
export class InMemoryMailbox implements MailSender {
  readonly sent: SentEmail[] = [];
  /** Every send asked for, sent or not. */
  readonly attempts: Email[] = [];
  private readonly refused = new Set<string>();
  private readonly faults = new Faults<'send'>();

  refuse(address: string): this {
    this.refused.add(address);
    return this;
  }

  failNext(error: Error): this {
    this.faults.failNext('send', error);
    return this;
  }

  async send(email: Email): Promise<string> {
    this.attempts.push(copy(email));
    await this.faults.enter('send');
    if (email.to.length === 0) throw new Error('no recipient');
    const refused = email.to.find((to) => this.refused.has(to));
    if (refused)
      throw namedError('MessageRejected', `Email address is not verified. The following identities failed the check: ${refused}`);
    const messageId = `msg-${this.sent.length + 1}`;
    this.sent.push({ ...copy(email), messageId });
    return messageId;
  }

  /** The mail sent to an address. */
  to(address: string): SentEmail[] {
    return this.sent.filter((e) => e.to.includes(address));
  }
}

export interface PublishedEvent {
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly time?: string;
}

export class RecordingEventSink implements EventSink {
  readonly published: PublishedEvent[] = [];
  private readonly faults = new Faults<'publish'>();

  failNext(error: Error): this {
    this.faults.failNext('publish', error);
    return this;
  }

  async publish(detailType: string, detail: Readonly<Record<string, unknown>>, time?: string): Promise<void> {
    await this.faults.enter('publish');
    this.published.push({ detailType, detail: copy(detail), ...(time ? { time } : {}) });
  }
}

/**
 * Executions by complaint id and the answers given to task tokens. A token is 'stale' once
 * answered or when the test says its task ended (`endTask`).
 */
export class InMemoryWorkflow implements WorkflowCallbacks {
  readonly started: string[] = [];
  readonly successes: { taskToken: string; output: Readonly<Record<string, unknown>> }[] = [];
  readonly failures: { taskToken: string; error: string; cause: string }[] = [];
  private readonly ended = new Set<string>();
  private readonly faults = new Faults<'start' | 'succeed' | 'fail'>();

  failNext(method: 'start' | 'succeed' | 'fail', error: Error): this {
    this.faults.failNext(method, error);
    return this;
  }

  endTask(taskToken: string): this {
    this.ended.add(taskToken);
    return this;
  }

  async start(complaintId: string): Promise<'started' | 'already-exists'> {
    await this.faults.enter('start');
    if (this.started.includes(complaintId)) return 'already-exists';
    this.started.push(complaintId);
    return 'started';
  }

  async succeed(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<TaskAnswer> {
    await this.faults.enter('succeed');
    if (this.ended.has(taskToken)) return 'stale';
    this.ended.add(taskToken);
    this.successes.push({ taskToken, output: copy(output) });
    return 'sent';
  }

  async fail(taskToken: string, error: string, cause: string): Promise<TaskAnswer> {
    await this.faults.enter('fail');
    if (this.ended.has(taskToken)) return 'stale';
    this.ended.add(taskToken);
    this.failures.push({ taskToken, error, cause });
    return 'sent';
  }
}

export class InMemoryDeadLetters implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  private readonly faults = new Faults<'send'>();

  failNext(error: Error): this {
    this.faults.failNext('send', error);
    return this;
  }

  async send(letter: DeadLetter): Promise<void> {
    await this.faults.enter('send');
    this.letters.push(copy(letter));
  }
}
