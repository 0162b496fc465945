import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE_DIR = path.join(__dirname, '..', '..', 'local', 'engine');
const sources = fs.readdirSync(ENGINE_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

function localImports(file: string): string[] {
  const text = fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8');
  // Type-only imports are erased at run time: they cannot form a cycle.
  return [...text.matchAll(/^import (?!type )[^;]*?from '\.\/([^']+)'/gms)].map((m) => `${m[1]}.ts`);
}

describe('engine modules', () => {
  it('import one another without a cycle', () => {
    const graph = new Map(sources.map((f) => [f, localImports(f)]));
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (trail.includes(f)) {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
        return;
      }
      for (const dep of graph.get(f) ?? []) visit(dep, [...trail, f]);
    };
    for (const f of sources) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('keep no module-level variables that engines would share', () => {
    const withLet = sources.filter((f) => /^(export )?(let|var) /m.test(fs.readFileSync(path.join(ENGINE_DIR, f), 'utf8')));
    expect(withLet).toEqual([]);
  });
});
