/**
 * The layout of the one complaint table, shared by the stack (lib/constructs/complaint-data.ts
 * creates the table and its indexes; lib/table-access.ts scopes each role to its partitions) and the
 * store (functions/adapters/complaint-store.ts reads and writes the items):
 *   C#<id> / META            the complaint
 *   C#<id> / EV#<at>#<seq>   audit trail, append-only (H-37)
 *   C#<id> / EVID#<eventId>  a lifecycle event already applied
 *   C#<id> / NOTIF#<key>     a notification sent or being sent
 *   LINK#<sha256(token)> / LINK   survey and acknowledgement links
 *   SWEEP#calendar / STATE   the holiday calendar the sweep last recomputed open complaints for
 *   Q#<YYYY-MM> / <day>#AGG#<team>                          quality counters of a local day (H-36)
 *   Q#<YYYY-MM> / <day>#IMP#<at>#<complaintId>#<eventId>    an improvement measure of a local day (H-36)
 */
import { createHash } from 'node:crypto';

/** The table's primary key attributes (both strings). */
export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;
/** The TTL attribute (epoch seconds): DynamoDB removes an item some time after it. */
export const TTL_ATTRIBUTE = 'ttl';

/** Partition key prefixes: IAM scopes each function to the ones it uses (`dynamodb:LeadingKeys`). */
export const PARTITION_PREFIXES = {
  /** A complaint's own items: META, audit trail, event and notification markers. */
  complaint: 'C#',
  /** Survey and acknowledgement link records, by the hash of the token. */
  link: 'LINK#',
  /** Quality data by local month (H-36): day counters and improvement measures. */
  quality: 'Q#',
  /** The sweep's own state. */
  sweep: 'SWEEP#',
} as const;
export type PartitionPrefix = (typeof PARTITION_PREFIXES)[keyof typeof PARTITION_PREFIXES];

/** The sort key of the complaint item itself. */
export const META_SORT_KEY = 'META';
/** The sort keys of a complaint's audit lines start with this. */
export const AUDIT_SORT_PREFIX = 'EV#';

export const complaintPartition = (complaintId: string) => `${PARTITION_PREFIXES.complaint}${complaintId}`;
/** The complaint id in a complaint partition key (`C#<id>` → `<id>`). */
export const complaintIdOfPartition = (pk: string) => pk.slice(PARTITION_PREFIXES.complaint.length);

export const complaintKey = (complaintId: string) => ({ pk: complaintPartition(complaintId), sk: META_SORT_KEY });
export const eventMarkerKey = (complaintId: string, eventId: string) => ({
  pk: complaintPartition(complaintId),
  sk: `EVID#${eventId}`,
});
export const notificationMarkerKey = (complaintId: string, key: string) => ({
  pk: complaintPartition(complaintId),
  sk: `NOTIF#${key}`,
});

/** The sort key of audit line `index` written by the save that produced `version`: unique and in order. */
export function auditSortKey(at: string, version: number, index: number): string {
  return `${AUDIT_SORT_PREFIX}${at}#${String(version).padStart(8, '0')}-${String(index).padStart(3, '0')}`;
}

export const linkKey = (tokenHash: string) => ({ pk: `${PARTITION_PREFIXES.link}${tokenHash}`, sk: 'LINK' });

export const SWEPT_CALENDAR_KEY = { pk: `${PARTITION_PREFIXES.sweep}calendar`, sk: 'STATE' } as const;

/** The quality partition of a local month ('YYYY-MM'). */
export const qualityMonthPartition = (month: string) => `${PARTITION_PREFIXES.quality}${month}`;
/** The quality partition of a local day ('YYYY-MM-DD'): its month's. */
export const qualityPartition = (day: string) => qualityMonthPartition(day.slice(0, 7));
export const qualityCountersSortKey = (day: string, team: string) => `${day}#AGG#${team}`;
export const improvementSortKey = (day: string, at: string, complaintId: string, eventId: string) =>
  `${day}#IMP#${at}#${complaintId}#${eventId}`;

/** Open complaints of a team by next due instant (console, sweeps); `openTeam` is set only while open. */
export const OPEN_BY_TEAM_INDEX = 'open-by-team';
/**
 * Closed complaints by UTC month of closing (`closedMonth` 'YYYY-MM', sort `closedAt`): the console's
 * quality view reads a period with one query per month. Sparse: both are written only on close.
 */
export const CLOSED_BY_MONTH_INDEX = 'closed-by-month';
/**
 * H-25: a customer's complaints by receipt (`customerKey`, see `customerKeyOf`; sort `receivedAt`):
 * classification counts the earlier ones. Every complaint item is in it.
 */
export const CUSTOMER_INDEX = 'by-customer';

export type TableIndexName = typeof OPEN_BY_TEAM_INDEX | typeof CLOSED_BY_MONTH_INDEX | typeof CUSTOMER_INDEX;

/** The key attributes of an index (strings); every index projects keys only. */
export interface TableIndexKeys {
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const TABLE_INDEXES: Readonly<Record<TableIndexName, TableIndexKeys>> = {
  [OPEN_BY_TEAM_INDEX]: { partitionKey: 'openTeam', sortKey: 'nextDueAt' },
  [CLOSED_BY_MONTH_INDEX]: { partitionKey: 'closedMonth', sortKey: 'closedAt' },
  [CUSTOMER_INDEX]: { partitionKey: 'customerKey', sortKey: 'receivedAt' },
};

/**
 * The `by-customer` index key of a customer: SHA-256 of the carrier's customer id (with a fixed
 * prefix), hex. Carriers often use the phone number as the customer id, so the id never appears in
 * clear in an index key (H-42); equal ids still meet.
 */
export function customerKeyOf(customerId: string): string {
  return createHash('sha256').update(`complaint-loop/customer/${customerId}`, 'utf8').digest('hex');
}
