import { describe, expect, it } from 'vitest';
import { InputError, parseAnalysisArgs } from '../../../local/analysis';
import { type QueryResult, toCsv, toTextTable } from '../../../local/analysis-duckdb';

describe('npm run analysis: flags', () => {
  it('reads the year, the table source and the output directory', () => {
    expect(parseAnalysisArgs(['--year', '2026'])).toEqual({ year: 2026, out: 'analysis-out/2026' });
    expect(
      parseAnalysisArgs([
        '--year=2025',
        '--endpoint',
        'http://127.0.0.1:4002',
        '--table',
        't',
        '--out',
        '/tmp/a',
        '--only',
        'satisfaction, yearly_report',
      ]),
    ).toEqual({
      year: 2025,
      endpoint: 'http://127.0.0.1:4002',
      table: 't',
      out: '/tmp/a',
      only: ['satisfaction', 'yearly_report'],
    });
    expect(parseAnalysisArgs(['--year', '2026', '--data-dir', '.local-data'])).toMatchObject({ dataDir: '.local-data' });
    expect(parseAnalysisArgs(['--help'])).toBe('help');
  });

  it.each([
    [[], /--year expects a four-digit year/],
    [['--year', '26'], /--year expects a four-digit year, got '26'/],
    [['--year', '2026', '--endpoint', 'localhost:3002'], /--endpoint expects an http\(s\) URL/],
    [['--year', '2026', '--endpoint', 'http://x', '--data-dir', 'd'], /exclude each other/],
    [['--year', '2026', '--colour'], /colour/],
  ])('fails on %j naming the flag', (argv, message) => {
    expect(() => parseAnalysisArgs(argv)).toThrow(InputError);
    expect(() => parseAnalysisArgs(argv)).toThrow(message);
  });
});

const result: QueryResult = {
  name: 'q',
  description: 'd',
  columns: ['team', 'complaints', 'rate', 'note'],
  rows: [
    ['network-operations', 12, 0.875, null],
    ['customer-service', 3, 1, 'said "fine", then left'],
  ],
};

describe('npm run analysis: output', () => {
  it('writes RFC 4180 CSV: CRLF lines, quoted fields with commas or quotes, empty for NULL', () => {
    expect(toCsv(result)).toBe(
      'team,complaints,rate,note\r\nnetwork-operations,12,0.875,\r\ncustomer-service,3,1,"said ""fine"", then left"\r\n',
    );
  });

  it('prints a table with numbers right-aligned, and says when there are no rows', () => {
    expect(toTextTable(result).split('\n')).toEqual([
      'team                complaints   rate  note',
      '------------------  ----------  -----  ----------------------',
      'network-operations          12  0.875',
      'customer-service             3      1  said "fine", then left',
    ]);
    expect(toTextTable({ ...result, rows: [] })).toContain('(no rows)');
  });
});
