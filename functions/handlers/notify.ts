/** Workflow task: customer, management and failure notifications, each sent once. Answers { nextDueAt }. */
import { notifyHandler } from '../app/tasks/notify';
import { notifyDepsFromEnv } from '../app/tasks/notify-deps';

export const handler = notifyHandler(notifyDepsFromEnv());
