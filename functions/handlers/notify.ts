/** Workflow task: customer, management and failure notifications, each sent once. Answers { nextDueAt }. */
import { notifyHandler } from '../app/notify';
import { notifyDepsFromEnv } from '../app/notify-deps';

export const handler = notifyHandler(notifyDepsFromEnv());
