/**
 * Scheduled (EventBridge rule): the clock events of failed complaints, the holiday calendar's
 * coverage, provisional deadlines moved by a new calendar. "Now" is the schedule's own time, so a
 * late or retried invocation acts for the instant it was meant for.
 */
import * as z from 'zod';
import { workflowFromEnv } from '../app/environment';
import { notifyDepsFromEnv } from '../app/notify-deps';
import { sweep } from '../app/sweep';
import { task } from '../app/task-handler';

const deps = { ...notifyDepsFromEnv(), workflow: workflowFromEnv(false) };

const scheduledEventSchema = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = task('sweep', scheduledEventSchema, (event) => sweep(deps, new Date(event.time).toISOString()));
