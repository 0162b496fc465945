/**
 * A bench part run on an earlier commit of the project, in a detached git worktree beside this
 * checkout (sharing its node_modules), so a figure can be read as a ratio to that commit's measured
 * in the same session on the same machine: absolute CPU times on a shared machine drift with its
 * load, a ratio of alternating runs much less.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../lib/paths';

export interface BaselineCheckout {
  /** The ref as given and the commit it names. */
  readonly ref: string;
  readonly commit: string;
  /** Runs `bench/<part>.ts` there with `env` added and answers its bench/results/<part>.json. */
  runPart<T>(part: string, env: Readonly<Record<string, string>>): T;
  remove(): void;
}

/**
 * Runs `bench/<part>.ts` of the checkout at `dir` in a fresh process (its handlers load their
 * adapters once per process, so each stack needs its own) and answers its bench/results/<part>.json.
 */
export function runPartIn<T>(dir: string, part: string, env: Readonly<Record<string, string>>): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, 'bench', `${part}.ts`)], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`bench/${part}.ts in ${dir} exited with ${run.status}`);
  return JSON.parse(fs.readFileSync(path.join(dir, 'bench', 'results', `${part}.json`), 'utf8')) as T;
}

export function checkoutBaseline(ref: string): BaselineCheckout {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-baseline-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: REPO_ROOT, stdio: 'ignore' });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return {
    ref,
    commit,
    runPart: <T>(part: string, env: Readonly<Record<string, string>>) => runPartIn<T>(dir, part, env),
    remove(): void {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: REPO_ROOT, stdio: 'ignore' });
    },
  };
}
