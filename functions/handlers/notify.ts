/** Workflow task: customer, management and failure notifications, each sent once. Answers { nextDueAt }. */
import { notifyHandler } from '../app/tasks/notify';
import { notifyDepsFromEnv } from './compose/notify-deps';

export const handler = notifyHandler(notifyDepsFromEnv());
