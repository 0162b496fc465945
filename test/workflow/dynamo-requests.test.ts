/**
 * DynamoDB requests per complaint (bench/results.md, part 1): each fixed scenario runs through the
 * real loop (the synthesized workflow on the local engine with a virtual clock, DynamoDB Local
 * behind the bench's counting proxy, local SES, the real handlers) and its request count must stay
 * within its ceiling. The counts are deterministic on the virtual clock; a failure prints the
 * requests of each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMO_REQUEST_CEILINGS, DYNAMO_REQUEST_TARGETS, requestsPerStep } from '../../bench/cost';
import { diffCounts } from '../../bench/dynamo-meter';
import { type BenchStack, startBenchStack } from '../../bench/loop-stack';
import { runComplaints, SCENARIOS, type ScenarioName } from '../../bench/scenarios';

let b: BenchStack;

beforeAll(async () => {
  b = await startBenchStack();
});

afterAll(async () => {
  await b?.stop();
});

const tally = (names: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
};

/** One complaint of the scenario: its DynamoDB requests in all, and per step as a table. */
async function measure(scenario: ScenarioName): Promise<{ requests: number; perStep: string }> {
  const before = b.dynamo.snapshot();
  b.takeTaskCalls();
  b.takeApiCalls();
  await runComplaints(b, [scenario]);
  const dynamo = diffCounts(b.dynamo.snapshot(), before);
  const lambdas = b.takeTaskCalls();
  const routes = b.takeApiCalls().map((c) => c.route);
  const steps = requestsPerStep({ dynamo, workflowLambdas: tally(lambdas), apiRequests: tally(routes) }, [...routes, ...lambdas]);
  const perStep = steps
    .map((s) => {
      const ops = Object.entries({ ...s.reads, ...s.writes }).map(([op, n]) => `${op} ${n}`);
      return `  ${s.step} ×${s.invocations}: ${s.requests} (${ops.join(', ')})`;
    })
    .join('\n');
  return { requests: dynamo.requests, perStep };
}

describe('DynamoDB requests per complaint', () => {
  it.each(SCENARIOS)('%s stays within its ceiling of DynamoDB requests', async (scenario) => {
    const { requests, perStep } = await measure(scenario);
    const ceiling = DYNAMO_REQUEST_CEILINGS[scenario];
    expect(
      requests,
      `${scenario}: ${requests} DynamoDB requests, ceiling ${ceiling} (target ${DYNAMO_REQUEST_TARGETS[scenario]}); per step:\n${perStep}`,
    ).toBeLessThanOrEqual(ceiling);
  });
});
