import { describe, expect, it } from 'vitest';
import { changes, type DemoRow, demoScenarios, renderTable, type View } from '../../../local/demo';

const T0 = Date.parse('2026-03-02T01:00:00.000Z');

function view(clocks: View['clocks']): View {
  return {
    id: 'c-lagged00001',
    status: 'open',
    milestone: 'first-contact',
    receivedAt: new Date(T0).toISOString(),
    points: { registered: new Date(T0).toISOString() },
    classification: { severity: 'general', team: 'network-operations' },
    escalationLevel: 1,
    reopenCount: 0,
    pause: null,
    clocks,
    asOf: new Date(T0 + 25 * 60_000).toISOString(),
  };
}

const h01 = (warningsSkipped: number): View['clocks'][number] => ({
  id: 'H-01',
  status: 'breached',
  deadline: new Date(T0 + 20 * 60_000).toISOString(),
  warned: false,
  warningsSkipped,
  escalationLevel: 1,
  escalations: [{ level: 1, to: 'supervisor', at: new Date(T0 + 20 * 60_000).toISOString() }],
});

describe('the demo under lag', () => {
  it('says in the table and the log when a warning was skipped because its deadline had passed', () => {
    const before = view([h01(0)]);
    const after = view([h01(1)]);
    const row: DemoRow = {
      scenario: demoScenarios(T0)[0]!,
      id: after.id,
      view: after,
      next: 0,
      failures: 0,
      emails: 1,
      usedLinks: new Set(),
    };
    expect(renderTable([row]).split('\n')[1]).toContain('H-01 (5m); H-01 warning skipped');
    expect(changes(before, after)).toContain(
      'H-01 warning skipped: its deadline had passed when the clock ran (the escalation speaks for it)',
    );
  });
});
