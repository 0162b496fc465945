import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DOCS } from '../../workflows/generated-docs';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const exists = (file: string) => fs.existsSync(path.join(root, file));
const docsPages = () =>
  fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);

/** The body of a `## heading` section, up to the next heading of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "## ${heading}"`);
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

interface Link {
  /** The linked file, relative to the repository root. */
  readonly file: string;
  readonly anchor?: string;
}

/** Relative links of a Markdown file (not web addresses, not anchors within the file itself). */
function relativeLinks(file: string): Link[] {
  const targets = [...read(file).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return targets
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'))
    .map((t) => {
      const [target, anchor] = t.split('#');
      return { file: path.posix.normalize(path.posix.join(path.posix.dirname(file), target!)), anchor };
    });
}

/** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchors(file: string): Set<string> {
  const headings = [...read(file).matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]!);
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

/** Links whose file is missing, or whose #anchor names no heading of a Markdown file. */
function brokenLinks(file: string): string[] {
  return relativeLinks(file)
    .filter((l) => !exists(l.file) || (l.anchor !== undefined && l.file.endsWith('.md') && !headingAnchors(l.file).has(l.anchor)))
    .map((l) => (l.anchor === undefined ? l.file : `${l.file}#${l.anchor}`));
}

describe('generated documentation', () => {
  it.each(GENERATED_DOCS.map((d) => [d.path, d] as const))('%s equals what its renderer draws', (file, doc) => {
    const committed = exists(file) ? read(file) : '';
    expect(committed === doc.render(committed), `${file} is out of date: run npm run docs:generate and commit the result`).toBe(true);
  });
});

describe('README', () => {
  const readme = read('README.md');

  it('names the commands CI runs: npm ci, then npm test', () => {
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toMatch(/^npm ci\b/m);
    expect(readme).toMatch(/^npm start\b/m);
    expect(readme).toMatch(/^npm test\b/m);
  });

  it('lays out paths that exist', () => {
    const paths = [...section(readme, 'Project layout').matchAll(/^\| ([^|]+) \|/gm)]
      .flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((p) => p[1]!))
      .filter((p) => !p.includes(' '));
    expect(paths.length).toBeGreaterThan(8);
    expect(paths.filter((p) => !exists(p))).toEqual([]);
  });

  it('links every docs page, and every link resolves', () => {
    const linked = relativeLinks('README.md').map((l) => l.file);
    expect(brokenLinks('README.md')).toEqual([]);
    expect(docsPages().filter((page) => !linked.includes(page))).toEqual([]);
  });
});

describe('docs pages', () => {
  it.each(docsPages())('%s links only to files and headings that exist', (page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it('traceability names tests by their full path, and each exists', () => {
    const table = read('docs/traceability.md');
    const testFiles = [...table.matchAll(/`([^`\s]*\.test\.ts)`/g)].map((m) => m[1]!);
    const testPaths = [...table.matchAll(/`(test\/[^`\s]*)`/g)].map((m) => m[1]!);
    expect(testFiles.length).toBeGreaterThan(20);
    expect(testFiles.filter((n) => !n.startsWith('test/'))).toEqual([]);
    expect(testPaths.filter((n) => !exists(n))).toEqual([]);
  });
});
