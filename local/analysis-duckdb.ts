/**
 * Runs the shared analysis SQL (analysis/sql) on DuckDB over a directory of exported JSON lines,
 * and renders the answers as a text table and as CSV.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { type AnalysisQuery, compose, duckdbSource, loadQueries } from '../analysis/dialect';

export type Cell = string | number | boolean | null;

export interface QueryResult {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** Every query (or those named) for `year` over the records under `dir`, in file-name order. */
export async function runAnalysisQueries(dir: string, year: number, names?: readonly string[]): Promise<QueryResult[]> {
  const queries = loadQueries().filter((q) => !names || names.includes(q.name));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const results: QueryResult[] = [];
    for (const query of queries) results.push(await runOne(connection, query, dir, year));
    return results;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function runOne(
  connection: Awaited<ReturnType<DuckDBInstance['connect']>>,
  query: AnalysisQuery,
  dir: string,
  year: number,
): Promise<QueryResult> {
  const prepared = await connection.prepare(compose(query, 'duckdb', duckdbSource(dir)));
  prepared.bind([year]);
  const reader = await prepared.runAndReadAll();
  const columns = reader.columnNames();
  const rows = reader.getRowObjectsJson().map((row) => columns.map((c) => toCell(row[c])));
  return { name: query.name, description: query.description, columns, rows };
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  // BIGINT, HUGEINT and DECIMAL arrive as strings in the JSON form: small counts read better as numbers.
  if (typeof value === 'string' && /^-?\d{1,15}(\.\d+)?$/.test(value)) return Number(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** RFC 4180 CSV: header line, then one line per row; empty for SQL NULL. */
export function toCsv(result: QueryResult): string {
  const field = (v: Cell) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [result.columns, ...result.rows].map((row) => row.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A plain text table for the terminal, numbers right-aligned. */
export function toTextTable(result: QueryResult): string {
  const text = (v: Cell) => (v === null ? '' : String(v));
  const widths = result.columns.map((c, i) => Math.max(c.length, ...result.rows.map((r) => text(r[i] ?? null).length)));
  // A column of numbers is right-aligned, its header too.
  const numeric = result.columns.map((_, i) => result.rows.some((r) => typeof r[i] === 'number'));
  const line = (cells: readonly Cell[]) =>
    cells
      .map((v, i) => (numeric[i] ? text(v).padStart(widths[i]!) : text(v).padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(result.columns), rule, ...result.rows.map(line), result.rows.length === 0 ? '(no rows)' : '']
    .filter((l) => l !== '')
    .join('\n');
}
