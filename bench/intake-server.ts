/**
 * The local stack in its own process for the throughput run (as `npm start` runs it, real-time
 * clock), so the load generator does not share its event loop. `--in-memory` as `npm start`
 * takes it; otherwise a fresh data dir on disk, the default. Reports its API URL over IPC and
 * stops on 'stop' or when the parent goes away.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFlagsOrExit } from '../local/flags';
import { startLocalStack, useLocalPowertoolsDefaults } from '../local/local-stack';
import { cpuMsOf, dynamoDbLocalPids } from './stats';

async function main(): Promise<void> {
  const { values } = parseFlagsOrExit('bench/intake-server.ts', process.argv.slice(2), { 'in-memory': { type: 'boolean' } });
  const inMemory = values['in-memory'] ?? false;
  useLocalPowertoolsDefaults();
  const dataDir = inMemory ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-intake-'));
  const stack = await startLocalStack({ port: 0, dataDir, fresh: !inMemory, inMemory, log: () => undefined });
  const stop = async () => {
    await stack.stop().catch(() => undefined);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'stop') void stop();
    // CPU used so far by this process and by DynamoDB Local's JVM (its child).
    if (m === 'cpu') {
      const own = process.cpuUsage();
      const jvm = dynamoDbLocalPids(process.pid)
        .map(cpuMsOf)
        .find((x) => x !== undefined);
      process.send!({ cpu: { stackMs: (own.user + own.system) / 1000, dynamoDbLocalMs: jvm } });
    }
  });
  process.on('disconnect', () => void stop());
  process.send!({ api: stack.urls.api, credentials: stack.credentials });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
