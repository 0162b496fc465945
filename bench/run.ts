/**
 * `npm run bench`: every part in turn (each in its own process, so one part's heap, clients and
 * local services do not colour the next one's figures), then bench/results.json and
 * bench/results.md from the parts' results. The engine benchmark (bench/engine.ts) prints its
 * own figures and is run last. Not part of `npm test`.
 *
 *   npx tsx bench/run.ts [cost] [cold-start] [throughput] [volume] [engine]   (default: all)
 *   npx tsx bench/run.ts --render   (tables from the last results only)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlagsOrExit } from '../local/flags';
import { type AllResults, renderResults } from './render';
import { RESULTS_DIR, readPartResult } from './results-file';
import { machineLoad } from './stats';

const PARTS: Record<string, string> = {
  cost: 'cost.ts',
  'cold-start': 'cold-start.ts',
  throughput: 'throughput.ts',
  volume: 'volume.ts',
  engine: 'engine.ts',
};

function main(): void {
  // --render: only rebuild results.json/md from the parts' last results (bench/results/).
  const { values, positionals: asked } = parseFlagsOrExit('bench/run.ts', process.argv.slice(2), { render: { type: 'boolean' } }, true);
  const renderOnly = values.render ?? false;
  const unknown = asked.filter((a) => !(a in PARTS));
  if (unknown.length) {
    console.error(`unknown part(s) ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}`);
    process.exit(2);
  }
  const parts = renderOnly ? [] : asked.length ? asked : Object.keys(PARTS);
  const failed: string[] = [];
  const before = machineLoad();
  for (const part of parts) {
    console.log(`\n== ${part} ==`);
    const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, PARTS[part]!)], {
      stdio: part === 'engine' ? ['ignore', 'pipe', 'inherit'] : 'inherit',
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    if (part === 'engine' && res.stdout) {
      process.stdout.write(res.stdout);
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, 'engine.txt'), res.stdout);
    }
    if (res.status !== 0) failed.push(part);
  }
  const all: AllResults = {
    machineBefore: before,
    machineAfter: machineLoad(),
    cost: readPartResult('cost'),
    coldStart: readPartResult('cold-start'),
    throughput: readPartResult('throughput'),
    volume: readPartResult('volume'),
    engine: fs.existsSync(path.join(RESULTS_DIR, 'engine.txt')) ? fs.readFileSync(path.join(RESULTS_DIR, 'engine.txt'), 'utf8') : undefined,
  };
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(all, null, 2)}\n`);
  fs.writeFileSync(path.join(__dirname, 'results.md'), renderResults(all));
  console.log(`\nwritten bench/results.json and bench/results.md${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
  if (failed.length) process.exit(1);
}

main();
