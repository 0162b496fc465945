import { describe, expect, it } from 'vitest';
import { athenaSource, compose, duckdbSource, loadQueries, relations } from '../../analysis/dialect';
import { ANALYSIS_CLOCK_COLUMNS, ANALYSIS_COLUMNS, duckdbType, hiveType } from '../../functions/domain/analysis-schema';

const source = athenaSource('db', 'complaint_records');

describe('the analysis SQL dialect layer', () => {
  it('puts the relations in front of a plain SELECT', () => {
    const sql = compose({ sql: '-- Count.\nSELECT COUNT(*) AS n FROM complaints;\n' }, 'athena', source);
    expect(sql.startsWith('-- Count.\nWITH complaints AS (')).toBe(true);
    expect(sql.endsWith('SELECT COUNT(*) AS n FROM complaints')).toBe(true);
  });

  it("merges them into a file's own WITH", () => {
    const sql = compose({ sql: '-- Two.\nWITH x AS (SELECT 1 AS one)\nSELECT * FROM x' }, 'duckdb', 'src');
    expect(sql).toMatch(/^-- Two\.\nWITH complaints AS \(/);
    expect(sql).toContain('complaint_escalations AS (');
    expect(sql).toContain(',\nx AS (SELECT 1 AS one)\nSELECT * FROM x');
    expect(sql.match(/\bWITH\b/g)).toHaveLength(1);
  });

  it('keeps the highest version of each complaint of the year, with the year as the only parameter', () => {
    const text = relations('athena', source);
    expect(text).toContain('row_number() OVER (PARTITION BY r.id ORDER BY r.version DESC)');
    expect(text).toContain('WHERE version_rank = 1 AND received_year = ?');
    expect(text.split('?')).toHaveLength(2);
  });

  it('unnests clocks as Trino wants (row fields as columns, in the Glue order) and as DuckDB wants (a struct)', () => {
    expect(relations('athena', source)).toContain(`CROSS JOIN UNNEST(c.clocks) AS u(${ANALYSIS_CLOCK_COLUMNS.map(([n]) => n).join(', ')})`);
    expect(relations('duckdb', 'src')).toContain('unnest(clocks) AS u FROM complaints');
  });

  it("types DuckDB's reader and the Glue table from the same column list", () => {
    const reader = duckdbSource('/data/out');
    expect(reader).toContain("read_json('/data/out/**/*.jsonl', format = 'newline_delimited'");
    for (const [name, type] of ANALYSIS_COLUMNS) expect(reader).toContain(`${name}: '${duckdbType(type)}'`);
    expect(hiveType({ map: ['string', 'int'] })).toBe('map<string,int>');
    expect(duckdbType({ map: ['string', 'int'] })).toBe('MAP(VARCHAR, INTEGER)');
  });

  it('loads every SQL file with its first comment as the description, none with a stray parameter', () => {
    const queries = loadQueries();
    expect(queries.map((q) => q.name)).toContain('yearly_report');
    for (const q of queries) {
      expect(q.description.length, q.name).toBeGreaterThan(10);
      expect(q.sql.includes('?'), q.name).toBe(false);
    }
  });
});
