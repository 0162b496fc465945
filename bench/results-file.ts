/**
 * Each part writes its own JSON next to this file (bench/results/<part>.json) so it can run alone;
 * run.ts gathers them into bench/results.json and bench/results.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const RESULTS_DIR = path.join(__dirname, 'results');

export function writePartResult(part: string, result: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${part}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

export function readPartResult<T>(part: string): T | undefined {
  const file = path.join(RESULTS_DIR, `${part}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
}

/** True when this module is the process's entry point (each part runs alone with tsx). */
export function isMain(mod: NodeModule): boolean {
  return require.main === mod;
}
