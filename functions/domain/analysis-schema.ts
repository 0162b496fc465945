/**
 * The columns of the analysis record (analysis.ts), once, in a neutral notation: the Glue table
 * on AWS and DuckDB's JSON reader locally are both written from it, so the two engines see the
 * same names, types and struct field order.
 */

export type ColumnType =
  | 'string'
  | 'bigint'
  | 'int'
  | 'boolean'
  | { readonly array: ColumnType }
  | { readonly struct: readonly Column[] }
  | { readonly map: readonly ['string', ColumnType] };

export type Column = readonly [name: string, type: ColumnType];

export const ANALYSIS_CLOCK_COLUMNS: readonly Column[] = [
  ['clock_id', 'string'],
  ['status', 'string'],
  ['started_at', 'string'],
  ['deadline', 'string'],
  ['met_at', 'string'],
  ['breached_at', 'string'],
  ['paused_ms', 'bigint'],
  ['explanation', 'string'],
];

export const ANALYSIS_ESCALATION_COLUMNS: readonly Column[] = [
  ['clock_id', 'string'],
  ['level', 'int'],
  ['escalated_at', 'string'],
  ['acked', 'boolean'],
];

export const ANALYSIS_COLUMNS: readonly Column[] = [
  ['id', 'string'],
  ['version', 'bigint'],
  ['customer_key', 'string'],
  ['team', 'string'],
  ['channel', 'string'],
  ['service_type', 'string'],
  ['type', 'string'],
  ['severity', 'string'],
  ['source', 'string'],
  ['complexity', 'string'],
  ['management', 'boolean'],
  ['received_at', 'string'],
  ['received_year', 'int'],
  ['received_month', 'string'],
  ['archived_at', 'string'],
  ['closed_at', 'string'],
  ['failed_at', 'string'],
  ['status', 'string'],
  ['reopen_count', 'int'],
  ['escalation_level', 'int'],
  ['prior_complaints', 'int'],
  ['survey_answered', 'boolean'],
  ['survey_no_answer', 'boolean'],
  ['survey_solved', 'boolean'],
  ['survey_score', 'int'],
  ['survey_satisfied', 'boolean'],
  ['first_response_ms', 'bigint'],
  ['handling_response_ms', 'bigint'],
  ['classification_reasons', { array: 'string' }],
  ['clocks', { array: { struct: ANALYSIS_CLOCK_COLUMNS } }],
  ['escalations', { array: { struct: ANALYSIS_ESCALATION_COLUMNS } }],
  ['audit_events', 'int'],
  ['audit_counts', { map: ['string', 'int'] }],
];

/** Hive type names, as the Glue Data Catalog and Athena's JSON SerDe want them. */
export function hiveType(t: ColumnType): string {
  if (typeof t === 'string') return t;
  if ('array' in t) return `array<${hiveType(t.array)}>`;
  if ('map' in t) return `map<string,${hiveType(t.map[1])}>`;
  return `struct<${t.struct.map(([n, s]) => `${n}:${hiveType(s)}`).join(',')}>`;
}

const DUCKDB_SCALARS = { string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER', boolean: 'BOOLEAN' } as const;

/** DuckDB type names, for `read_json(..., columns = {...})`. */
export function duckdbType(t: ColumnType): string {
  if (typeof t === 'string') return DUCKDB_SCALARS[t];
  if ('array' in t) return `${duckdbType(t.array)}[]`;
  if ('map' in t) return `MAP(VARCHAR, ${duckdbType(t.map[1])})`;
  return `STRUCT(${t.struct.map(([n, s]) => `${n} ${duckdbType(s)}`).join(', ')})`;
}
