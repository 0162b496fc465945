import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as engine from '../../local/engine';

const ENGINE_DIR = path.join(__dirname, '..', '..', 'local', 'engine');
const pkg = JSON.parse(fs.readFileSync(path.join(ENGINE_DIR, 'package.json'), 'utf8'));
const rootPkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const sources = fs.readdirSync(ENGINE_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

/** Runtime module specifiers a source file imports (static and dynamic), type-only imports aside. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8');
  const statics = [...text.matchAll(/^import (?!type )[^;]*?from '([^']+)'/gms)].map((m) => m[1]);
  const table = [...text.matchAll(/pkg: '([^']+)'/g)].map((m) => m[1]); // lazily imported SDK clients
  return [...statics, ...table];
}

describe('engine package', () => {
  it('exports its public entry and nothing else', () => {
    expect(pkg.exports['.']).toBe('./index.ts');
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './package.json']);
  });

  it('exports from the entry what a user needs: engine, clocks, HTTP server, CLI, errors', () => {
    for (const name of [
      'Engine',
      'VirtualClock',
      'ScaledClock',
      'startSfnServer',
      'runCli',
      'parseCliArgs',
      'validateDefinition',
      'StatesError',
      'SfnApiError',
      'JOURNAL_FORMAT',
    ]) {
      expect(engine, name).toHaveProperty(name);
    }
  });

  it('declares every package it imports at run time, at the versions the project uses', () => {
    const declared = { ...pkg.dependencies, ...pkg.peerDependencies };
    const bare = new Set(
      sources.flatMap(specifiers).filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s)),
    );
    expect([...bare].filter((s) => !(s in declared))).toEqual([]);
    for (const dep of ['jsonata', 'asl-validator']) {
      expect(pkg.dependencies[dep]).toBe(rootPkg.dependencies[dep] ?? rootPkg.devDependencies[dep]);
    }
  });

  it('imports nothing from outside its folder (the SigV4 check it shares with the local API is its own)', () => {
    const outside = sources.flatMap((f) =>
      specifiers(f)
        .filter((s) => s.startsWith('../'))
        .map((s) => `${f}: ${s}`),
    );
    expect(outside).toEqual([]);
  });
});
