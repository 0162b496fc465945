/**
 * ComplaintStore: the one DynamoDB table, laid out as functions/contract/table.ts describes.
 * META holds the Complaint + waitMilestone/waitToken (which never leave this module's callers' API).
 * META carries `customerKey` (a hash of the customer id, never the id itself) for the
 * `by-customer` index, sorted by `receivedAt` (H-25 repeat complaints).
 * Every change of META is conditional on `version`, so concurrent writers never lose an update.
 *
 * Write cost decides the price of a complaint (bench/results.md), so: META keeps its clocks
 * gzipped in `clocksZ` (about 5 KB of repetitive JSON becomes about 1 KB, and every save and
 * token write is billed by META's size); the indexes project keys only and readers fetch META by
 * key; every other item carries its expiry from its first write (see `itemTtl`).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  ChangeStreamReader,
  ComplaintPage,
  ComplaintRepository,
  CreateResult,
  EventMarker,
  ExtraWrite,
  LinkRecord,
  NotificationMarker,
  QualityData,
  SaveOptions,
  SaveResult,
  StoredComplaint,
  WaitTokenResult,
} from '../app/ports';
import { storedAfterSave } from '../app/ports';
import {
  AUDIT_SORT_PREFIX,
  auditSortKey,
  CLOSED_BY_MONTH_INDEX,
  CUSTOMER_INDEX,
  complaintIdOfPartition,
  complaintKey,
  complaintPartition,
  customerKeyOf,
  eventMarkerKey,
  improvementSortKey,
  linkKey,
  META_SORT_KEY,
  notificationMarkerKey,
  OPEN_BY_TEAM_INDEX,
  qualityCountersSortKey,
  qualityMonthPartition,
  qualityPartition,
  SWEPT_CALENDAR_KEY,
} from '../contract/table';
import { addCounters, archivedAt, type Counters, type Improvement, localDay, qualityBucket, qualityContribution } from '../domain/quality';
import type { AuditEvent, Complaint } from '../domain/types';
import { dynamo } from './clients';

export type { Improvement } from '../domain/quality';

const INTERNAL = [
  'pk',
  'sk',
  'waitMilestone',
  'waitToken',
  'bodyHash',
  'openTeam',
  'nextDueAt',
  'ttl',
  'closedMonth',
  'closedAt',
  'clocksZ',
  'customerKey',
] as const;

/**
 * Items other than META expire `retentionDays + OPEN_HORIZON_DAYS` after the complaint's receipt,
 * set when they are written: a complaint closed within the horizon keeps them at least
 * `retentionDays` after closing without a write at close. One closed later gets them all
 * re-stamped at close (`expirePartition`). META itself only gets a TTL when closed.
 */
export const OPEN_HORIZON_DAYS = 60;
const DAY_S = 86_400;

/**
 * `nextDueAt` of a failed complaint with nothing pending: it stays in `open-by-team` (the console
 * lists it, last) but never matches a "due by now" query. Read back as null.
 */
export const FAILED_NOTHING_DUE = '9999-12-31T23:59:59.999Z';

export interface ComplaintStoreOptions {
  readonly tableName: string;
  /** The policy time zone: quality aggregates are kept per local day (default Asia/Shanghai). */
  readonly timeZone?: string;
  /** Days closed complaints are kept (TTL); 0 keeps them. */
  readonly retentionDays?: number;
  readonly client?: DynamoDBDocumentClient;
}

export class ComplaintStore implements ComplaintRepository, ChangeStreamReader {
  private readonly table: string;
  private readonly retentionDays: number;
  private readonly client: DynamoDBDocumentClient;
  private readonly timeZone: string;

  constructor(options: ComplaintStoreOptions) {
    this.table = options.tableName;
    this.timeZone = options.timeZone ?? 'Asia/Shanghai';
    this.retentionDays = options.retentionDays ?? 0;
    this.client = options.client ?? dynamo();
  }

  async get(id: string): Promise<StoredComplaint | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: complaintKey(id), ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /** The complaint of a stream record's new image (DynamoDB JSON); undefined for items other than META. */
  complaintOfImage(image: Readonly<Record<string, unknown>>): Complaint | undefined {
    const item = unmarshall(image as Parameters<typeof unmarshall>[0]);
    return item.sk === META_SORT_KEY ? fromItem(item).complaint : undefined;
  }

  /**
   * Creates the META item and its first audit lines in one transaction unless META exists;
   * answers the existing one otherwise (intake idempotency). A concurrent duplicate in flight
   * cancels with a transaction conflict: it is asked again until one of them has won.
   */
  async createIfAbsent(complaint: Complaint, bodyHash: string, audit: readonly AuditEvent[]): Promise<CreateResult> {
    const items: TransactItems = [
      {
        Put: {
          TableName: this.table,
          Item: this.toItem({ complaint, bodyHash }),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...audit.map((event, i) => ({
        Put: { TableName: this.table, Item: this.auditItem(complaint.id, complaint.version, i, event, complaint) },
      })),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return { created: true };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const old = wireItem(reasons[0].Item);
          const existing = old ? fromItem(old) : await this.get(complaint.id);
          if (!existing) throw error; // cannot happen: the condition failed on an existing item
          return { created: false, existing };
        }
        if (attempt >= 8 || !reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt)));
      }
    }
  }

  /**
   * Saves `complaint` (whose `version` must be expectedVersion + 1) with its audit lines and any
   * extra writes in one transaction. A failed condition is an answer, not an exception.
   */
  async save(current: StoredComplaint, complaint: Complaint, options: SaveOptions): Promise<SaveResult> {
    if (complaint.version !== options.expectedVersion + 1) {
      throw new Error(`save: version must be ${options.expectedVersion + 1}, got ${complaint.version}`);
    }
    const stored = storedAfterSave(current, complaint, options);
    const extras = options.extra ?? [];
    const items: TransactItems = [
      {
        Put: {
          TableName: this.table,
          Item: this.toItem(stored),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': options.expectedVersion },
        },
      },
      ...extras.map((extra) => this.extraWrite(complaint, extra)),
      ...(options.audit ?? []).map((event, i) => ({
        Put: { TableName: this.table, Item: this.auditItem(complaint.id, complaint.version, i, event, complaint) },
      })),
      // Last, so the cancellation reasons of the writes above keep their positions.
      ...this.qualityWrites(current.complaint, complaint, options.audit ?? []),
    ];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true, stored };
    } catch (error) {
      return refusedSave(error, extras);
    }
  }

  /** One extra write of a save: an event marker (once), a sent mark, or a link marked used (once). */
  private extraWrite(complaint: Complaint, extra: ExtraWrite): TransactItems[number] {
    switch (extra.kind) {
      case 'event-marker':
        return {
          Put: {
            TableName: this.table,
            Item: { ...eventMarkerKey(complaint.id, extra.marker.eventId), ...extra.marker, ...this.itemTtl(complaint.receivedAt) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        };
      case 'notification-sent':
        // Unconditional: the claim is this caller's, and marking it sent twice changes nothing.
        return {
          Update: {
            TableName: this.table,
            Key: notificationMarkerKey(complaint.id, extra.sent.key),
            UpdateExpression: 'SET #s = :s, sentAt = :at, messageIds = :ids',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': 'sent', ':at': extra.sent.at, ':ids': [...extra.sent.messageIds] },
          },
        };
      case 'link-used':
        return {
          Update: {
            TableName: this.table,
            Key: linkKey(extra.tokenHash),
            UpdateExpression: 'SET usedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
            ExpressionAttributeValues: { ':at': extra.usedAt },
          },
        };
    }
  }

  /**
   * Stores the task token of the milestone being awaited, only if the complaint is at that
   * milestone and has not met it (some awaited point is missing), and bumps the version so a
   * concurrent event save retries and sees the token. One request: a refused write answers the
   * complaint as it was found (ReturnValuesOnConditionCheckFailure).
   */
  async storeWaitToken(id: string, milestone: string, awaits: readonly string[], token: string): Promise<WaitTokenResult> {
    const names: Record<string, string> = { '#v': 'version', '#m': 'milestone', '#points': 'points' };
    awaits.forEach((point, i) => {
      names[`#p${i}`] = point;
    });
    const notMet = awaits.map((_, i) => `attribute_not_exists(#points.#p${i})`).join(' OR ');
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: complaintKey(id),
          UpdateExpression: 'SET waitMilestone = :m, waitToken = :t, #v = #v + :one',
          ConditionExpression: `attribute_exists(pk) AND #m = :m${notMet ? ` AND (${notMet})` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':m': milestone, ':t': token, ':one': 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { stored: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = itemOfConditionFailure(error);
      return { stored: false, current: old ? fromItem(old) : await this.get(id) };
    }
  }

  /** The audit trail in order (H-37). */
  async history(id: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
          ExpressionAttributeValues: { ':pk': complaintPartition(id), ':ev': AUDIT_SORT_PREFIX },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of out.Items ?? []) {
        events.push({
          at: item.at as string,
          type: item.type as string,
          actor: item.actor as string,
          detail: (item.detail ?? {}) as Record<string, unknown>,
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return events;
  }

  /** The calendar the sweep last recomputed open complaints for (`SWEEP#calendar`), if any. */
  async getSweptCalendar(): Promise<string | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: SWEPT_CALENDAR_KEY, ConsistentRead: true }));
    return out.Item?.fingerprint as string | undefined;
  }

  async putSweptCalendar(fingerprint: string, at: string): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...SWEPT_CALENDAR_KEY, fingerprint, at } }));
  }

  async getEventMarker(id: string, eventId: string): Promise<EventMarker | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: eventMarkerKey(id, eventId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { eventId: e, type, appliedAt, result } = out.Item as EventMarker & Record<string, unknown>;
    return { eventId: e, type, appliedAt, result };
  }

  /**
   * Claims the right to send notification `key`: true if this caller may send now. A marker left
   * 'pending' longer than `leaseMs` (a crashed attempt) can be claimed again.
   */
  async claimNotification(
    id: string,
    key: string,
    nowMs: number,
    leaseMs: number,
    link?: { readonly tokenHash: string; readonly link: LinkRecord },
  ): Promise<'claimed' | NotificationMarker> {
    const claim = {
      TableName: this.table,
      // Claimed after receipt: expiring from now outlasts expiring from receipt.
      Item: {
        ...notificationMarkerKey(id, key),
        key,
        status: 'pending',
        claimedAtMs: nowMs,
        ...this.itemTtl(new Date(nowMs).toISOString()),
      },
      ConditionExpression: 'attribute_not_exists(pk) OR (#s = :pending AND claimedAtMs < :stale)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending', ':stale': nowMs - leaseMs },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    let old: Record<string, unknown> | undefined;
    try {
      if (link) await this.claimWithLink(claim, link);
      else await this.client.send(new PutCommand(claim));
      return 'claimed';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') old = wireItem(reasons[0].Item);
      else if (isConditionFailure(error)) old = itemOfConditionFailure(error);
      else throw error;
    }
    const item = old ??
      (await this.client.send(new GetCommand({ TableName: this.table, Key: notificationMarkerKey(id, key), ConsistentRead: true })))
        .Item ?? {
        key,
        status: 'pending',
        claimedAtMs: nowMs,
      };
    return {
      key,
      status: item.status as NotificationMarker['status'],
      claimedAtMs: item.claimedAtMs as number,
      sentAt: item.sentAt as string | undefined,
      messageIds: item.messageIds as string[] | undefined,
    };
  }

  /** The claim and the link its email carries in one transaction, asked again while another writer is in the middle. */
  private async claimWithLink(
    claim: NonNullable<TransactItems[number]['Put']>,
    link: { readonly tokenHash: string; readonly link: LinkRecord },
  ): Promise<void> {
    const items: TransactItems = [{ Put: claim }, { Put: this.linkPut(link.tokenHash, link.link) }];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (attempt >= 8 || !reasons?.some((r) => r.Code === 'TransactionConflict')) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt)));
      }
    }
  }

  async markNotification(id: string, key: string, status: 'mailed' | 'sent', at: string, messageIds: readonly string[]): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: notificationMarkerKey(id, key),
        UpdateExpression: 'SET #s = :s, sentAt = :at, messageIds = :ids',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':at': at, ':ids': [...messageIds] },
      }),
    );
  }

  /** Gives up a claim whose send failed, so the retry sends (only while still pending). */
  async releaseNotification(id: string, key: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: notificationMarkerKey(id, key),
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async putLink(tokenHash: string, link: LinkRecord): Promise<void> {
    await this.client.send(new PutCommand(this.linkPut(tokenHash, link)));
  }

  private linkPut(tokenHash: string, link: LinkRecord) {
    // Links outlive their expiry by 30 days so a late click still gets "expired", not "unknown".
    const ttl = Math.floor(Date.parse(link.expiresAt) / 1000) + 30 * 86_400;
    return {
      TableName: this.table,
      Item: { ...linkKey(tokenHash), ...link, ttl },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }

  async getLink(tokenHash: string): Promise<LinkRecord | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.table, Key: linkKey(tokenHash), ConsistentRead: true }));
    return out.Item ? linkOf(out.Item) : undefined;
  }

  /** One TransactGetItems (strongly consistent, and needs only GetItem on each item). */
  async getLinkWithComplaint(tokenHash: string, complaintId: string): Promise<{ link?: LinkRecord; stored?: StoredComplaint }> {
    const out = await this.client.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: this.table, Key: linkKey(tokenHash) } },
          { Get: { TableName: this.table, Key: complaintKey(complaintId) } },
        ],
      }),
    );
    const [link, meta] = (out.Responses ?? []).map((r) => r?.Item);
    return { ...(link ? { link: linkOf(link) } : {}), ...(meta ? { stored: fromItem(meta) } : {}) };
  }

  /**
   * Retention for a complaint closed at `closedAt`: its other items were stamped at write time to
   * last until receipt + retention + OPEN_HORIZON_DAYS (`itemTtl`); only a complaint closed later
   * than that horizon needs them re-stamped, one update per item.
   */
  async expirePartition(id: string, receivedAt: string, closedAt: string): Promise<void> {
    if (this.retentionDays <= 0) return;
    if (Date.parse(closedAt) <= Date.parse(receivedAt) + OPEN_HORIZON_DAYS * DAY_S * 1000) return;
    const ttl = Math.floor(Date.parse(closedAt) / 1000) + this.retentionDays * DAY_S;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': complaintPartition(id) },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) {
        if (item.sk === META_SORT_KEY) continue;
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET #ttl = :ttl',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':ttl': ttl },
          }),
        );
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  /**
   * H-36: the archive's writes in the save's own transaction. The save that closes or fails a
   * complaint ADDs its counters to the day's aggregate (the version condition makes it count
   * once, whatever retries), and each improvement measure in the audit gets its item.
   */
  private qualityWrites(before: Complaint, after: Complaint, audit: readonly AuditEvent[]): TransactItems {
    const out: TransactItems = [];
    const bucket = qualityBucket(after, this.timeZone);
    if (bucket && before.status !== 'closed' && before.status !== 'failed') {
      const counters = Object.entries(qualityContribution(after)).filter(([, n]) => n !== 0);
      const names: Record<string, string> = { '#day': 'day', '#team': 'team', '#kind': 'kind' };
      const values: Record<string, unknown> = { ':day': bucket.day, ':team': bucket.team, ':kind': 'quality-day' };
      const adds = counters.map(([name, n], i) => {
        names[`#n${i}`] = `${COUNTER_PREFIX}${name}`;
        values[`:n${i}`] = n;
        return `#n${i} :n${i}`;
      });
      out.push({
        Update: {
          TableName: this.table,
          Key: { pk: qualityPartition(bucket.day), sk: qualityCountersSortKey(bucket.day, bucket.team) },
          UpdateExpression: `SET #day = :day, #team = :team, #kind = :kind ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
    for (const event of audit) {
      if (event.type !== 'improvement') continue;
      const day = localDay(event.at, this.timeZone);
      const eventId = String(event.detail.eventId ?? '');
      const improvement: Improvement = {
        at: event.at,
        complaintId: after.id,
        actor: event.actor,
        measure: String(event.detail.measure ?? ''),
        ...(typeof event.detail.category === 'string' ? { category: event.detail.category } : {}),
      };
      out.push({
        Put: {
          TableName: this.table,
          Item: {
            pk: qualityPartition(day),
            sk: improvementSortKey(day, event.at, after.id, eventId),
            kind: 'improvement',
            // The console shows a supervisor their own teams' measures only.
            team: after.team ?? after.classification?.team ?? 'unassigned',
            ...improvement,
          },
        },
      });
    }
    return out;
  }

  /**
   * The quality data of the local days `fromDay`..`toDay` (inclusive, YYYY-MM-DD): one query per
   * local month, reading that month's day aggregates and improvement measures only.
   */
  async readQuality(fromDay: string, toDay: string, teams?: readonly string[]): Promise<QualityData> {
    const counted = (item: Record<string, unknown>) => !teams || teams.includes(item.team as string);
    let counters: Counters = {};
    const byTeam: Record<string, { closed: number; failed: number }> = {};
    const improvements: Improvement[] = [];
    for (const month of localMonths(fromDay, toDay)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': qualityMonthPartition(month), ':from': `${fromDay}#`, ':to': `${toDay}#\uffff` },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of (out.Items ?? []).filter(counted)) {
          if (item.kind === 'improvement') {
            const { at, complaintId, actor, measure, category } = item as Improvement & Record<string, unknown>;
            improvements.push({ at, complaintId, actor, measure, ...(category ? { category } : {}) });
            continue;
          }
          const day = countersOf(item);
          counters = addCounters(counters, day);
          const team = (byTeam[item.team as string] ??= { closed: 0, failed: 0 });
          team.closed += day.closed ?? 0;
          team.failed += day.failed ?? 0;
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
    improvements.sort((a, b) => a.at.localeCompare(b.at) || a.complaintId.localeCompare(b.complaintId));
    return { counters, byTeam, improvements };
  }

  /** Expiry of a non-META item of a complaint received at `receivedAt` (none when retention is 0). */
  private itemTtl(receivedAt: string): { ttl?: number } {
    if (this.retentionDays <= 0) return {};
    return { ttl: Math.floor(Date.parse(receivedAt) / 1000) + (this.retentionDays + OPEN_HORIZON_DAYS) * DAY_S };
  }

  private ttlFor(complaint: Complaint): { ttl?: number } {
    if (this.retentionDays <= 0 || complaint.status !== 'closed') return {};
    const closedAt = complaint.points.closed;
    if (!closedAt) return {};
    return { ttl: Math.floor(Date.parse(closedAt) / 1000) + this.retentionDays * DAY_S };
  }

  private auditItem(id: string, version: number, index: number, event: AuditEvent, complaint: Complaint): Record<string, unknown> {
    return { pk: complaintPartition(id), sk: auditSortKey(event.at, version, index), ...event, ...this.itemTtl(complaint.receivedAt) };
  }

  private toItem(stored: StoredComplaint): Record<string, unknown> {
    const c = stored.complaint;
    const team = c.team ?? c.classification?.team;
    const open = c.status !== 'closed';
    const { clocks, ...rest } = c;
    return {
      ...rest,
      clocksZ: gzipSync(JSON.stringify(clocks)),
      ...complaintKey(c.id),
      waitMilestone: stored.waitMilestone,
      waitToken: stored.waitToken,
      bodyHash: stored.bodyHash,
      // Sparse index `open-by-team`: only open complaints with a team and a pending clock are in it.
      openTeam: open && team ? team : undefined,
      nextDueAt: stored.nextDueAt ?? (c.status === 'failed' && team ? FAILED_NOTHING_DUE : undefined),
      // Sparse index `closed-by-month`: only closed complaints, so the quality view reads a period
      // without scanning the table.
      ...closedIndexKeys(c),
      customerKey: customerKeyOf(c.customer.id),
      ...this.ttlFor(c),
    };
  }

  /** Pages of one team's `open-by-team` index keys, soonest due first; only those due by `dueBy` when given. */
  private async *openByTeamPages(team: string, dueBy?: string): AsyncGenerator<Record<string, unknown>[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: OPEN_BY_TEAM_INDEX,
          KeyConditionExpression: dueBy ? 'openTeam = :t AND nextDueAt <= :now' : 'openTeam = :t',
          ExpressionAttributeValues: dueBy ? { ':t': team, ':now': dueBy } : { ':t': team },
          ExclusiveStartKey: startKey,
          Limit: 250,
        }),
      );
      yield out.Items ?? [];
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  /**
   * Open complaints from the `open-by-team` index (eventually consistent), soonest due first
   * within each team. Stops at `limit` complaints in all (the console says when it did).
   */
  async listOpen(teams: readonly string[], limit = 1000): Promise<ComplaintPage> {
    const items: StoredComplaint[] = [];
    for (const team of teams) {
      for await (const keys of this.openByTeamPages(team)) {
        // The index lags the table a little: a complaint closed meanwhile is not open any more.
        items.push(...(await this.getMany(keys)).filter((c) => c.complaint.status !== 'closed'));
        if (items.length > limit) return { items: items.slice(0, limit), truncated: true };
      }
    }
    return { items, truncated: false };
  }

  /**
   * Ids of the open (or failed) complaints of `teams` whose next clock event is due at or before
   * `nowIso`, from the `open-by-team` index (keys only: no META read).
   */
  async listDueIds(teams: readonly string[], nowIso: string): Promise<string[]> {
    const ids: string[] = [];
    for (const team of teams) {
      for await (const keys of this.openByTeamPages(team, nowIso)) ids.push(...keys.map((item) => complaintIdOfPartition(String(item.pk))));
    }
    return ids;
  }

  /**
   * Complaints closed in [fromIso, toIso) from the `closed-by-month` index: one query per UTC
   * month the period touches. Stops at `limit` complaints.
   */
  async listClosed(fromIso: string, toIso: string, limit = 5000): Promise<ComplaintPage> {
    const items: StoredComplaint[] = [];
    for (const month of monthsBetween(fromIso, toIso)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: CLOSED_BY_MONTH_INDEX,
            KeyConditionExpression: 'closedMonth = :m AND closedAt BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':m': month, ':from': fromIso, ':to': toIso },
            ExclusiveStartKey: startKey,
          }),
        );
        // BETWEEN includes its upper bound; the period is half-open.
        const keys = (out.Items ?? []).filter((item) => (item.closedAt as string) < toIso).slice(0, limit - items.length);
        items.push(...(await this.getMany(keys)));
        if (items.length >= limit) return { items, truncated: true };
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
    return { items, truncated: false };
  }

  /**
   * H-25: how many complaints of `customerId`, other than `exceptId`, were received in
   * [fromIso, toIso] (from the `by-customer` index: eventually consistent, so a complaint
   * accepted a moment ago may not be counted yet). Counts keys only; reads no META.
   */
  async countCustomerComplaints(customerId: string, fromIso: string, toIso: string, exceptId: string): Promise<number | undefined> {
    try {
      return await this.countByCustomerIndex(customerId, fromIso, toIso, exceptId);
    } catch (error) {
      // The index is still being built (after an upgrade) or absent (local data from before it).
      const e = error as { name?: string; message?: string };
      if (e?.name === 'ValidationException' && /index/i.test(e.message ?? '')) return undefined;
      throw error;
    }
  }

  private async countByCustomerIndex(customerId: string, fromIso: string, toIso: string, exceptId: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: CUSTOMER_INDEX,
          KeyConditionExpression: 'customerKey = :c AND receivedAt BETWEEN :from AND :to',
          FilterExpression: 'pk <> :self',
          ExpressionAttributeValues: {
            ':c': customerKeyOf(customerId),
            ':from': fromIso,
            ':to': toIso,
            ':self': complaintKey(exceptId).pk,
          },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  /**
   * META items for index entries (the indexes project keys only), in the entries' order; an
   * entry whose complaint vanished meanwhile is skipped. BatchGetItem reads 100 keys at a time
   * and may leave some unprocessed: those are asked again after a short back-off.
   */
  private async getMany(entries: readonly Record<string, unknown>[]): Promise<StoredComplaint[]> {
    const found = new Map<string, StoredComplaint>();
    for (let i = 0; i < entries.length; i += 100) {
      let keys: Record<string, unknown>[] = entries.slice(i, i + 100).map((e) => ({ pk: e.pk, sk: e.sk }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 8) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed after ${attempt} attempts`);
        const out = await this.client.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const item of out.Responses?.[this.table] ?? []) found.set(item.pk as string, fromItem(item));
        keys = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return entries.map((e) => found.get(e.pk as string)).filter((c): c is StoredComplaint => c !== undefined);
  }
}

/** `closedMonth`/`closedAt` for an archived complaint (closed, or failed: H-36), nothing otherwise. */
export function closedIndexKeys(c: Pick<Complaint, 'status' | 'points' | 'failedAt'>): { closedMonth?: string; closedAt?: string } {
  const closedAt = archivedAt(c);
  return closedAt ? { closedMonth: closedAt.slice(0, 7), closedAt } : {};
}

/**
 * A save's transaction was cancelled: the complaint's version moved, or an extra write's condition
 * (an event marker or a link already there) refused it. Another writer in the middle is answered
 * as a moved version, so the caller reloads and retries; anything else is thrown.
 */
function refusedSave(error: unknown, extras: readonly ExtraWrite[]): SaveResult {
  const reasons = cancellationCodes(error);
  if (!reasons) throw error;
  if (reasons[0] === 'ConditionalCheckFailed') return { ok: false, reason: 'version' };
  const failed = reasons.findIndex((code, i) => i > 0 && code === 'ConditionalCheckFailed');
  if (failed > 0 && failed <= extras.length) {
    const kind = extras[failed - 1]!.kind;
    if (kind === 'event-marker' || kind === 'link-used') return { ok: false, reason: kind };
  }
  if (reasons.some((code) => code === 'TransactionConflict')) return { ok: false, reason: 'version' };
  throw error;
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Counter attributes carry this prefix on the aggregate items. */
const COUNTER_PREFIX = 'n:';

function countersOf(item: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item))
    if (k.startsWith(COUNTER_PREFIX) && typeof v === 'number') out[k.slice(COUNTER_PREFIX.length)] = v;
  return out;
}

/** The months ('YYYY-MM') from the local day `fromDay` to `toDay`, both included. */
export function localMonths(fromDay: string, toDay: string): string[] {
  const months: string[] = [];
  let [y, m] = fromDay.slice(0, 7).split('-').map(Number) as [number, number];
  const last = toDay.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) return months;
    months.push(month);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
}

/** The UTC months ('YYYY-MM') that [fromIso, toIso) touches, oldest first. */
export function monthsBetween(fromIso: string, toIso: string): string[] {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  if (!(from.getTime() < to.getTime())) return [];
  const months: string[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  const last = new Date(to.getTime() - 1);
  while (y < last.getUTCFullYear() || (y === last.getUTCFullYear() && m <= last.getUTCMonth())) {
    months.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  return months;
}

/** A stored META item as the store's callers see it (clocks decompressed, internal keys apart). */
export function fromItem(item: Record<string, unknown>): StoredComplaint {
  const complaint: Record<string, unknown> = { ...item };
  for (const key of INTERNAL) delete complaint[key];
  // Items written before clocks were compressed still carry them as a map.
  if (item.clocksZ instanceof Uint8Array) complaint.clocks = JSON.parse(gunzipSync(item.clocksZ).toString('utf8'));
  // Answers stored before the survey result carried its outcome tag get it from `solved`.
  const survey = item.survey as { outcome?: string; solved?: boolean } | undefined;
  if (survey && survey.outcome === undefined) complaint.survey = { outcome: survey.solved ? 'solved' : 'not-solved', ...survey };
  return {
    complaint: complaint as unknown as Complaint,
    waitMilestone: item.waitMilestone as string | undefined,
    waitToken: item.waitToken as string | undefined,
    bodyHash: item.bodyHash as string | undefined,
    nextDueAt: item.nextDueAt === FAILED_NOTHING_DUE ? null : ((item.nextDueAt as string | undefined) ?? null),
  };
}

function linkOf(item: Record<string, unknown>): LinkRecord {
  const { pk: _pk, sk: _sk, ttl: _ttl, ...link } = item;
  return link as unknown as LinkRecord;
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/**
 * The item a failed conditional write found (ReturnValuesOnConditionCheckFailure ALL_OLD), so the
 * caller needs no second read. The document client leaves it in the wire format; undefined when
 * the service sent none.
 */
function itemOfConditionFailure(error: unknown): Record<string, unknown> | undefined {
  return wireItem((error as { Item?: Record<string, unknown> }).Item);
}

/** An item the service returned beside an error (left in the wire format by the document client); undefined when empty. */
function wireItem(item: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!item || Object.keys(item).length === 0) return undefined;
  const wireFormat = Object.values(item).every((v) => typeof v === 'object' && v !== null && Object.keys(v).length === 1);
  return wireFormat ? unmarshall(item as Parameters<typeof unmarshall>[0]) : item;
}

interface CancellationReason {
  readonly Code: string;
  readonly Item?: Record<string, unknown>;
}

/** Cancellation reasons of a cancelled transaction, in TransactItems order; undefined otherwise. */
function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] } | null;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  if (e.CancellationReasons) return e.CancellationReasons.map((r) => ({ Code: r.Code ?? 'None', Item: r.Item }));
  // Some emulators put the reasons only in the message: "... [ConditionalCheckFailed, None]".
  const match = /\[([^\]]*)\]/.exec((error as Error).message);
  return match ? match[1]!.split(',').map((s) => ({ Code: s.trim() })) : undefined;
}

/** Cancellation reason codes of a cancelled transaction, in TransactItems order; undefined otherwise. */
function cancellationCodes(error: unknown): string[] | undefined {
  return cancellationReasons(error)?.map((r) => r.Code);
}
