/**
 * Where the stack finds the handler sources. Computed from this file's location, never from the
 * working directory, so `cdk synth` and the local runtime resolve the same files from anywhere.
 */
import * as path from 'node:path';

/** The repository root (this file lives in `lib/`). */
export const REPO_ROOT = path.resolve(__dirname, '..');

export const WORKFLOW_HANDLERS = ['classify', 'lifecycle', 'await-milestone', 'clock-tick', 'notify'] as const;
export const API_HANDLERS = ['intake', 'complaint-events', 'get-complaint', 'survey', 'escalation-ack', 'console'] as const;
/** Console sign-in, when the stack has a user pool: the sign-in routes and the session authorizer. */
export const SIGN_IN_HANDLERS = ['console-sign-in', 'console-authorizer'] as const;
/** Invoked by an EventBridge schedule, outside any execution. */
export const SCHEDULED_HANDLERS = ['sweep'] as const;
/** Invoked by an EventBridge pipe on the table's stream (the analysis export). */
export const STREAM_HANDLERS = ['analysis-export'] as const;
export type WorkflowHandlerName = (typeof WORKFLOW_HANDLERS)[number];
export type ApiHandlerName = (typeof API_HANDLERS)[number];
export type ScheduledHandlerName = (typeof SCHEDULED_HANDLERS)[number];
export type StreamHandlerName = (typeof STREAM_HANDLERS)[number];
export type SignInHandlerName = (typeof SIGN_IN_HANDLERS)[number];
export type HandlerName = WorkflowHandlerName | ApiHandlerName | ScheduledHandlerName | StreamHandlerName | SignInHandlerName;
/** The functions that read or write the complaint table. */
export type TableHandlerName = Exclude<HandlerName, SignInHandlerName>;

/** The handler's entry file, relative to the repository root with '/' separators (template metadata). */
export function handlerEntryRelative(name: HandlerName): string {
  return `functions/handlers/${name}.ts`;
}

/** The handler's entry file as an absolute path (what esbuild bundles). */
export function handlerEntryAbsolute(name: HandlerName): string {
  return path.join(REPO_ROOT, ...handlerEntryRelative(name).split('/'));
}

/** 'await-milestone' → 'AwaitMilestone' (construct ids, hence logical ids, stay readable). */
export function constructIdOf(name: HandlerName): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase());
}
