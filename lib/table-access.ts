/**
 * What each function does with the table, read from the code it runs (functions/adapters/
 * complaint-store.ts), so its role allows that and nothing else. A `save` is a transaction:
 * IAM checks the action of each item in it (PutItem for the complaint, its audit events and its
 * event marker; UpdateItem for a used link). Nobody scans, batch-writes or checks conditions alone.
 */
import { CLOSED_BY_MONTH_INDEX, OPEN_BY_TEAM_INDEX, type TableAccess } from './constructs/complaint-data';
import type { HandlerName } from './paths';

/** A complaint's own items (META, audit events, markers): the keys every complaint function uses. */
const COMPLAINTS = ['C#'] as const;
/** Complaints and the link records of survey and acknowledgement tokens. */
const COMPLAINTS_AND_LINKS = ['C#', 'LINK#'] as const;

export const TABLE_ACCESS: Readonly<Record<HandlerName, TableAccess>> = {
  // createIfAbsent: conditional PutItem, GetItem of the existing complaint, PutItem of audit events.
  intake: { actions: ['GetItem', 'PutItem'], partitions: COMPLAINTS },
  // getEventMarker, get, save (PutItem), history (Query) for the answer.
  'complaint-events': { actions: ['GetItem', 'PutItem', 'Query'], partitions: COMPLAINTS },
  // get and history.
  'get-complaint': { actions: ['GetItem', 'Query'], partitions: COMPLAINTS },
  // getLink, get, save with the link marked used (PutItem + UpdateItem in one transaction).
  survey: { actions: ['GetItem', 'PutItem', 'UpdateItem'], partitions: COMPLAINTS_AND_LINKS },
  'escalation-ack': { actions: ['GetItem', 'PutItem', 'UpdateItem'], partitions: COMPLAINTS_AND_LINKS },
  // Read-only: open complaints by team and closed ones by month (index keys, then BatchGetItem), get, history.
  console: {
    actions: ['GetItem', 'BatchGetItem', 'Query'],
    partitions: COMPLAINTS,
    indexes: [OPEN_BY_TEAM_INDEX, CLOSED_BY_MONTH_INDEX],
  },
  // applyOnce: getEventMarker, get, save.
  classify: { actions: ['GetItem', 'PutItem'], partitions: COMPLAINTS },
  // applyOnce, then on close expirePartition: Query the partition, UpdateItem each item's ttl.
  lifecycle: { actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], partitions: COMPLAINTS },
  // get, storeWaitToken (UpdateItem).
  'await-milestone': { actions: ['GetItem', 'UpdateItem'], partitions: COMPLAINTS },
  // get, save; sendOnce claims (PutItem, GetItem), marks (UpdateItem) or releases (DeleteItem) a
  // notification marker; putLink for survey and acknowledgement links.
  'clock-tick': { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], partitions: COMPLAINTS_AND_LINKS },
  notify: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], partitions: COMPLAINTS_AND_LINKS },
};
