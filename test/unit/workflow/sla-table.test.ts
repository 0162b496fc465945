import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, resolveSlaPolicy } from '../../../functions/domain/sla-policy';
import { formatSpan, renderSlaTable, SLA_TABLE_END, SLA_TABLE_START, withGeneratedSection } from '../../../workflows/sla-table';

const rowOf = (table: string, id: string) => table.split('\n').find((line) => line.startsWith(`| \`${id}\``))!;

describe('renderSlaTable', () => {
  it('draws one row per clock of the policy, in its order', () => {
    const rows = renderSlaTable(DEFAULT_SLA_POLICY)
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)![1])).toEqual(DEFAULT_SLA_POLICY.clocks.map((c) => c.id));
  });

  it('H-01: from receipt, 20 min, warned at 75% (15 min), supervisor then management, never pauses', () => {
    const row = rowOf(renderSlaTable(DEFAULT_SLA_POLICY), 'H-01');
    expect(row).toContain('| H-01 | §1.2.2, §1.1 | First response / 首次响应 | received → acknowledged | 20 min | 75% (15 min) |');
    expect(row).toContain('L1 supervisor at the deadline; L2 management after 20 min unacknowledged | no | never pauses |');
  });

  it('H-12 counts working days, and H-06 names the severities it applies to and its own level 2 delay', () => {
    const table = renderSlaTable(DEFAULT_SLA_POLICY);
    expect(rowOf(table, 'H-12')).toContain('| 2 working days | 75% (1.5 working days) |');
    expect(rowOf(table, 'H-12')).toContain('pauses (moves by the working time paused)');
    expect(rowOf(table, 'H-06')).toContain('| registered → service-restored or resolved | 2 h, major and urgent only |');
    expect(rowOf(table, 'H-06')).toContain('L2 management after 30 min unacknowledged');
  });

  it('MIIT-15D has no H-ID, warns twice, goes to management first and continues on failure', () => {
    const row = rowOf(renderSlaTable(DEFAULT_SLA_POLICY), 'MIIT-15D');
    expect(row).toContain(
      '| 15 days | 50% (7 days 12 h), 80% (12 days) | L1 management at the deadline; L2 management after 24 h unacknowledged | yes |',
    );
    expect(row.split(' | ')[1]).toBe('—');
  });

  it("shows a carrier's overrides: a duration per channel, its warnings, a disabled clock", () => {
    const policy = resolveSlaPolicy({
      clocks: { 'H-01': { byChannel: { online: 'PT1H' }, warnAt: [0.8, 0.5] }, 'H-11': { enabled: false } },
    });
    const table = renderSlaTable(policy);
    expect(rowOf(table, 'H-01')).toContain('| 20 min (online: 1 h) | 50% (10 min), 80% (16 min) |');
    expect(rowOf(table, 'H-11')).toMatch(/^\| `H-11` \(disabled\) \|/);
    expect(table).toContain(`Policy \`${policy.version}\``);
  });

  it('keeps a pipe in a cell from splitting the table', () => {
    const policy = resolveSlaPolicy({ clocks: { 'H-01': { title: { en: 'a | b', zh: '甲' } } } });
    expect(rowOf(renderSlaTable(policy), 'H-01')).toContain('a \\| b / 甲');
  });
});

describe('formatSpan', () => {
  it.each([
    [15 * 60_000, '15 min'],
    [675_000, '11 min 15 s'],
    [90 * 60_000, '1 h 30 min'],
    [72 * 3_600_000, '72 h'],
    [180 * 3_600_000, '7 days 12 h'],
    [15 * 86_400_000, '15 days'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
});

describe('withGeneratedSection', () => {
  it('replaces only the text between the markers', () => {
    const doc = `# Title\n\nby hand\n${SLA_TABLE_START}\nold\n${SLA_TABLE_END}\n\nafter\n`;
    expect(withGeneratedSection(doc, 'new')).toBe(`# Title\n\nby hand\n${SLA_TABLE_START}\nnew\n${SLA_TABLE_END}\n\nafter\n`);
  });

  it('fails naming the markers when they are missing', () => {
    expect(() => withGeneratedSection('# no markers\n', 'new')).toThrow(/expected the markers/);
  });
});
