/** Workflow task: customer, management and failure notifications, each sent once. Answers { nextDueAt }. */

import { notify } from '../app/notify';
import { notifyDepsFromEnv } from '../app/notify-deps';
import { task } from '../app/task-handler';
import { notifyRequestSchema } from '../contract/tasks';

const deps = notifyDepsFromEnv();

export const handler = task('notify', notifyRequestSchema, (p) => notify(deps, p.complaintId, p.now, p.kinds, p.error));
