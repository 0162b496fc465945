/**
 * The one dialect layer between the shared SQL files (analysis/sql/*.sql) and the two engines.
 *
 * The files are plain SQL that Athena (Trino) and DuckDB both run. They read three relations
 * which this layer puts in front of each file as common table expressions:
 *   complaints             one row per complaint received in the analysis year (its highest
 *                          version: the export may carry a complaint more than once)
 *   complaint_clocks       one row per handling clock of those complaints
 *   complaint_escalations  one row per clock escalation of those complaints
 * The year is the query's single positional parameter (`?`): bound by the local command, asked
 * for by the Athena console when a named query runs. Only unnesting the arrays differs between
 * the engines: Trino expands an array of rows into columns, DuckDB unnests to a struct.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ANALYSIS_CLOCK_COLUMNS,
  ANALYSIS_COLUMNS,
  ANALYSIS_ESCALATION_COLUMNS,
  type Column,
  duckdbType,
} from '../functions/domain/analysis-schema';

export type Dialect = 'athena' | 'duckdb';

export interface AnalysisQuery {
  /** The file name without `.sql`, e.g. 'satisfaction'. */
  readonly name: string;
  /** The file's first comment line. */
  readonly description: string;
  readonly sql: string;
}

export const SQL_DIR = path.join(__dirname, 'sql');

/** The shared SQL files, by name. */
export function loadQueries(dir = SQL_DIR): AnalysisQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const sql = readFileSync(path.join(dir, f), 'utf8');
      const description = /^--\s*(.+)$/m.exec(sql)?.[1]?.trim() ?? f;
      return { name: f.slice(0, -'.sql'.length), description, sql };
    });
}

const CLOCK_FIELDS = ['clock_id', 'status', 'started_at', 'deadline', 'met_at', 'breached_at'];
const ESCALATION_FIELDS = ['clock_id', 'level', 'acked'];
const CARRIED = ['id', 'team', 'severity', 'received_month'];

/** `source`: a relation holding the export's records (a Glue table, or DuckDB's `read_json(...)`). */
export function relations(dialect: Dialect, source: string): string {
  const complaints = `complaints AS (
  SELECT * FROM (
    SELECT r.*, row_number() OVER (PARTITION BY r.id ORDER BY r.version DESC) AS version_rank FROM ${source} r
  ) ranked
  WHERE version_rank = 1 AND received_year = ?
)`;
  return [
    complaints,
    unnested(dialect, 'complaint_clocks', 'clocks', ANALYSIS_CLOCK_COLUMNS, CLOCK_FIELDS),
    unnested(dialect, 'complaint_escalations', 'escalations', ANALYSIS_ESCALATION_COLUMNS, ESCALATION_FIELDS),
  ].join(',\n');
}

function unnested(dialect: Dialect, name: string, array: string, columns: readonly Column[], fields: readonly string[]): string {
  const carried = CARRIED.map((c) => `c.${c}`).join(', ');
  const picked = fields.map((f) => `u.${f}`).join(', ');
  if (dialect === 'athena') {
    return `${name} AS (
  SELECT ${carried}, ${picked}
  FROM complaints c CROSS JOIN UNNEST(c.${array}) AS u(${columns.map(([n]) => n).join(', ')})
)`;
  }
  return `${name} AS (
  SELECT ${carried}, ${fields.map((f) => `u.${f} AS ${f}`).join(', ')}
  FROM (SELECT ${CARRIED.join(', ')}, unnest(${array}) AS u FROM complaints) c
)`;
}

/** The file's SQL with the relations in front: merged into its own WITH when it has one. */
export function compose(query: Pick<AnalysisQuery, 'sql'>, dialect: Dialect, source: string): string {
  const lines = query.sql.split('\n');
  const firstCode = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('--'));
  const header = lines.slice(0, firstCode).join('\n');
  const body = lines.slice(firstCode).join('\n').trim().replace(/;\s*$/, '');
  const withRelations = /^WITH\s/i.test(body)
    ? `WITH ${relations(dialect, source)},\n${body.replace(/^WITH\s+/i, '')}`
    : `WITH ${relations(dialect, source)}\n${body}`;
  return `${header}\n${withRelations}`;
}

/** DuckDB's reader of the export's JSON lines under `dir`, typed as the Glue table is. */
export function duckdbSource(dir: string): string {
  const glob = path.join(dir, '**', '*.jsonl').replaceAll("'", "''");
  const columns = ANALYSIS_COLUMNS.map(([n, t]) => `${n}: '${duckdbType(t)}'`).join(', ');
  return `read_json('${glob}', format = 'newline_delimited', columns = {${columns}})`;
}

/** Athena's name of the Glue table. */
export function athenaSource(database: string, table: string): string {
  return `"${database}"."${table}"`;
}
