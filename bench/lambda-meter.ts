/**
 * Real handler durations for the workflow's Lambda tasks. History timestamps come from the
 * virtual clock and are zero-length, so the engine's in-process Lambda call is timed instead
 * (wrapping DefaultTaskInvoker's call on its prototype; the engine itself is not changed). The
 * time includes the handler's round trips to the local DynamoDB and SES, as on AWS it would include
 * the real services'.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DefaultTaskInvoker } from '../local/engine';

/** The workflow function being called, for whatever the handler does in its async context. */
export const workflowStep = new AsyncLocalStorage<string>();

export interface LambdaCall {
  /** Function name as the ARN carries it. */
  name: string;
  ms: number;
}

type CallLambda = (this: unknown, fn: string, payload: unknown) => Promise<unknown>;

let calls: LambdaCall[] = [];
let installed = false;

/** Starts recording (idempotent). */
export function installLambdaMeter(): void {
  if (installed) return;
  const proto = DefaultTaskInvoker.prototype as unknown as { callLambda: CallLambda };
  const original = proto.callLambda;
  if (typeof original !== 'function') throw new Error('DefaultTaskInvoker has no callLambda: the lambda meter needs updating');
  proto.callLambda = async function (this: unknown, fn: string, payload: unknown) {
    const t = process.hrtime.bigint();
    const name = fn.includes(':function:') ? fn.split(':function:')[1]!.split(':')[0]! : fn;
    try {
      return await workflowStep.run(name, () => original.call(this, fn, payload));
    } finally {
      calls.push({ name, ms: Number(process.hrtime.bigint() - t) / 1e6 });
    }
  };
  installed = true;
}

/** The calls recorded since the last take. */
export function takeLambdaCalls(): LambdaCall[] {
  const out = calls;
  calls = [];
  return out;
}
