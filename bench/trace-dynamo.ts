/**
 * Every DynamoDB request of one complaint, in order, with the capacity units it consumed: where a
 * scenario's write cost comes from (the cost benchmark gives the totals). A warm-up complaint runs
 * first so handler loading does not show.
 *
 *   npx tsx bench/trace-dynamo.ts [happy-path | first-response-breach | pause-resume | not-solved-reopen]
 */

import { parseFlagsOrExit } from '../local/flags';
import type { DynamoTraceLine } from './dynamo-meter';
import { startBenchStack } from './loop-stack';
import { runComplaints, SCENARIOS, type ScenarioName } from './scenarios';

async function main(): Promise<void> {
  const { positionals } = parseFlagsOrExit('bench/trace-dynamo.ts', process.argv.slice(2), {}, true);
  if (positionals.length > 1) throw new Error(`one scenario at most, got ${positionals.join(' ')}`);
  const scenario = (positionals[0] ?? 'happy-path') as ScenarioName;
  if (!SCENARIOS.includes(scenario)) throw new Error(`scenario: expected one of ${SCENARIOS.join(', ')}, got '${scenario}'`);
  const lines: DynamoTraceLine[] = [];
  let recording = false;
  const b = await startBenchStack({ traceDynamo: (l) => recording && lines.push(l) });
  try {
    await runComplaints(b, ['happy-path']);
    recording = true;
    await runComplaints(b, [scenario]);
    recording = false;
  } finally {
    await b.stop();
  }
  for (const l of lines) console.log(`${l.op.padEnd(20)} ${String(l.units).padStart(5)}  ${l.key}`);
  const total = (ops: string[]) => lines.filter((l) => ops.includes(l.op)).reduce((s, l) => s + l.units, 0);
  console.log(
    `${lines.length} requests; ${total(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'])} WRU, ${total(['GetItem', 'Query', 'BatchGetItem', 'Scan'])} RRU`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
