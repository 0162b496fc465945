/** Workflow task: register (H-11), reopen (H-34), close and archive (H-36). Answers { nextDueAt, management }. */

import { policyFromEnv, storeFromEnv } from '../app/environment';
import { task } from '../app/task-handler';
import { lifecycleTask } from '../app/tasks';
import { lifecycleRequestSchema } from '../contract/tasks';

const deps = { store: storeFromEnv(), policy: policyFromEnv() };

export const handler = task('lifecycle', lifecycleRequestSchema, (p) =>
  lifecycleTask(deps, p.complaintId, p.now, p.action, async (stored) => {
    // Retention: re-stamps the TTL of a complaint's items only when it closed past the horizon.
    const closedAt = stored.complaint.points.closed;
    if (closedAt) await deps.store.expirePartition(stored.complaint.id, stored.complaint.receivedAt, closedAt);
  }),
);
