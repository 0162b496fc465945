/**
 * What each function does with the table, read from the code it runs (functions/adapters/
 * complaint-store.ts), so its role allows that and nothing else. A `save` is a transaction:
 * IAM checks the action of each item in it (PutItem for the complaint, its audit events and its
 * event marker; UpdateItem for a used link). Nobody scans, batch-writes or checks conditions alone.
 */
import { CLOSED_BY_MONTH_INDEX, CUSTOMER_INDEX, OPEN_BY_TEAM_INDEX, PARTITION_PREFIXES } from '../functions/contract/table';
import type { TableAccess } from './constructs/complaint-data';
import type { TableHandlerName } from './paths';

/** A complaint's own items (META, audit events, markers): the keys every complaint function uses. */
const { complaint, link, quality, sweep } = PARTITION_PREFIXES;
const COMPLAINTS = [complaint] as const;
/** Complaints and the link records of survey and acknowledgement tokens. */
const COMPLAINTS_AND_LINKS = [complaint, link] as const;
/** Complaints and the quality data (H-36): day counters added when a complaint closes or fails, improvement measures. */
const COMPLAINTS_AND_QUALITY = [complaint, quality] as const;

export const TABLE_ACCESS: Readonly<Record<TableHandlerName, TableAccess>> = {
  // createIfAbsent: one transaction (conditional PutItem of the complaint, PutItem of its first audit
  // line); a duplicate comes back with the refused transaction, GetItem only after a concurrent one.
  intake: { actions: ['GetItem', 'PutItem'], partitions: COMPLAINTS },
  // get, save (PutItem of the complaint, its audit lines and the event's marker if absent; an
  // improvement measure is a PutItem of a Q# item); getEventMarker when the save is refused.
  'complaint-events': { actions: ['GetItem', 'PutItem'], partitions: COMPLAINTS_AND_QUALITY },
  // get and history.
  'get-complaint': { actions: ['GetItem', 'Query'], partitions: COMPLAINTS },
  // getLinkWithComplaint (TransactGetItems: GetItem of each), save with the link marked used
  // (PutItem + UpdateItem in one transaction).
  survey: { actions: ['GetItem', 'PutItem', 'UpdateItem'], partitions: COMPLAINTS_AND_LINKS },
  'escalation-ack': { actions: ['GetItem', 'PutItem', 'UpdateItem'], partitions: COMPLAINTS_AND_LINKS },
  // Open complaints by team and closed ones by month (index keys, then BatchGetItem), get, history,
  // the quality view's day counters and improvement measures (Query of a Q# partition); acknowledging
  // an escalation from the console is a save (PutItem of the complaint and its audit line).
  console: {
    actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem'],
    partitions: COMPLAINTS_AND_QUALITY,
    indexes: [OPEN_BY_TEAM_INDEX, CLOSED_BY_MONTH_INDEX],
  },
  // get, save with the task's marker if absent (getEventMarker when refused); H-25: count the
  // customer's earlier complaints (index query).
  classify: { actions: ['GetItem', 'PutItem'], partitions: COMPLAINTS, indexes: [CUSTOMER_INDEX] },
  // get, save with the task's marker if absent (close adds the day's quality counters: UpdateItem of a Q# item), then on close
  // expirePartition: Query the partition, UpdateItem each item's ttl.
  lifecycle: { actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], partitions: COMPLAINTS_AND_QUALITY },
  // storeWaitToken: one UpdateItem conditional on the milestone, which returns the complaint when refused.
  'await-milestone': { actions: ['GetItem', 'UpdateItem'], partitions: COMPLAINTS },
  // get, save (which marks sent notifications: UpdateItem in its transaction); sendOnce claims a
  // notification marker (PutItem, with the email's link in one transaction), marks it mailed
  // (UpdateItem) or releases it (DeleteItem).
  'clock-tick': { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], partitions: COMPLAINTS_AND_LINKS },
  // As clock-tick; 'failure' also adds the failed complaint to the day's quality counters (H-36).
  notify: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], partitions: [complaint, link, quality] },
  // Failed complaints due now (open-by-team index), then what clock-tick does for each; when the
  // holiday calendar changed (its SWEEP# state item), every open complaint (index keys, then
  // BatchGetItem) is recomputed and saved.
  sweep: {
    actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    partitions: [complaint, link, sweep],
    indexes: [OPEN_BY_TEAM_INDEX],
  },
  // The analysis export: the archived complaint comes in the stream's new image; history (Query) counts its audit lines.
  'analysis-export': { actions: ['Query'], partitions: COMPLAINTS },
};
