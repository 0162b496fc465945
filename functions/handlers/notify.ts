/** Workflow task: customer, management and failure notifications, each sent once. Answers { nextDueAt }. */
import { notifyRequestSchema } from '../../workflows/contracts';
import { notify } from '../app/notify';
import { notifyDepsFromEnv } from '../app/notify-deps';
import { task } from '../app/task-handler';

const deps = notifyDepsFromEnv();

export const handler = task('notify', notifyRequestSchema, (p) => notify(deps, p.complaintId, p.now, p.kinds, p.error));
