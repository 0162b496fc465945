import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ENGINE_DIR = path.join(__dirname, '..', '..', 'local', 'engine');
const sources = fs.readdirSync(ENGINE_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Whether an import or re-export is erased at run time (type-only), and so cannot form a cycle. */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** The engine modules a file loads at run time, read from its syntax tree by the TypeScript compiler. */
function runtimeImports(file: string): string[] {
  const deps: string[] = [];
  for (const node of parse(file).statements) {
    if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) continue;
    const spec = node.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('./') || typeOnly(node)) continue;
    deps.push(`${spec.text.slice(2)}.ts`);
  }
  return deps;
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (f: string, trail: string[]) => {
    if (trail.includes(f)) {
      found.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
      return;
    }
    if (done.has(f)) return;
    for (const dep of graph.get(f) ?? []) visit(dep, [...trail, f]);
    done.add(f);
  };
  for (const f of graph.keys()) visit(f, []);
  return found;
}

describe('engine modules', () => {
  it('import one another without a cycle', () => {
    const graph = new Map(sources.map((f) => [f, runtimeImports(f)]));
    expect(cycles(graph)).toEqual([]);
  });

  it('jsonpath.ts loads no other engine module that could lead back to intrinsics.ts', () => {
    const graph = new Map(sources.map((f) => [f, runtimeImports(f)]));
    const reached = new Set<string>();
    const walk = (f: string) => {
      for (const dep of graph.get(f) ?? []) {
        if (reached.has(dep)) continue;
        reached.add(dep);
        walk(dep);
      }
    };
    walk('jsonpath.ts');
    expect([...reached]).toEqual(['errors.ts']);
    expect(runtimeImports('intrinsics.ts')).toContain('jsonpath.ts');
  });

  it('fails the cycle check for two modules that load each other', () => {
    expect(
      cycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['a.ts']],
        ]),
      ),
    ).toEqual(['a.ts -> b.ts -> a.ts']);
  });

  it('keep no module-level variables that engines would share', () => {
    const withLet = sources.filter((f) => /^(export )?(let|var) /m.test(fs.readFileSync(path.join(ENGINE_DIR, f), 'utf8')));
    expect(withLet).toEqual([]);
  });
});
