/** Shared helpers for the engine tests: an engine on a virtual clock and a one-call runner. */

import type { LambdaHandler } from '../../local/engine';
import { Engine, type EngineOptions, VirtualClock } from '../../local/engine';

export const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
export const ROLE = 'arn:aws:iam::123456789012:role/sfn';

export function makeEngine(lambdas: Record<string, LambdaHandler> = {}, opts: Partial<EngineOptions> = {}) {
  const clock = new VirtualClock(T0);
  const engine = new Engine({
    clock,
    resolveLambda: (arnOrName) => {
      const name = arnOrName.includes(':function:') ? arnOrName.split(':function:')[1].split(':')[0] : arnOrName;
      return lambdas[name];
    },
    ...opts,
  });
  return { clock, engine };
}

let n = 0;
export async function createMachine(engine: Engine, definition: unknown, name = `m${++n}`): Promise<string> {
  const { stateMachineArn } = await engine.createStateMachine({ name, definition: JSON.stringify(definition), roleArn: ROLE });
  return stateMachineArn;
}

/** Start an execution and return its ARN once the engine has settled. */
export async function start(engine: Engine, smArn: string, input: unknown = {}, name?: string): Promise<string> {
  const { executionArn } = await engine.startExecution({ stateMachineArn: smArn, input: JSON.stringify(input), name });
  await engine.settle();
  return executionArn;
}

/** Run a definition to completion (advancing the clock up to `maxMs`) and return DescribeExecution. */
export async function run(definition: unknown, input: unknown = {}, lambdas: Record<string, LambdaHandler> = {}, maxMs = 0) {
  const { engine, clock } = makeEngine(lambdas);
  const sm = await createMachine(engine, definition);
  const arn = await start(engine, sm, input);
  if (maxMs > 0) await clock.advance(maxMs);
  const d = await engine.describeExecution({ executionArn: arn });
  const out = d.output === undefined ? undefined : JSON.parse(d.output);
  return { d, out, engine, clock, arn };
}

export async function historyTypes(engine: Engine, executionArn: string): Promise<string[]> {
  const h = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
  return h.events.map((e) => e.type as string);
}
