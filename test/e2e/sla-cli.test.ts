/**
 * `npm run sla -- preview` as carriers and auditors run it: a child process reading a timeline on
 * stdin, JSON on stdout, exit code 2 with the field named on bad input. No stack is started.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function sla(args: string[], stdin: string) {
  // Node with tsx's loader, as the npm script runs it.
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'local/sla-cli.ts', ...args], {
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('sla preview (child process)', () => {
  it('H-12 across National Day: the timeline on stdin gives each clock as JSON on stdout', () => {
    const timeline = {
      serviceType: 'network',
      channel: 'phone',
      receivedAt: '2026-09-30T01:00:00Z',
      events: [
        { type: 'acknowledged', at: '2026-09-30T01:10:00Z' },
        { type: 'dispatched', at: '2026-09-30T01:12:00Z' },
        { type: 'investigated', at: '2026-10-08T03:00:00Z' },
      ],
    };
    const r = sla(['preview'], JSON.stringify(timeline));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.asOf).toBe('2026-10-08T03:00:00.000Z');
    expect(out.clocks.find((c: { id: string }) => c.id === 'H-12')).toMatchObject({
      deadline: '2026-10-09T01:00:00.000Z',
      stop: '2026-10-08T03:00:00.000Z',
      status: 'met',
    });
    expect(out.clocks.find((c: { id: string }) => c.id === 'H-01')).toMatchObject({ status: 'met' });
  });

  it('fails with exit code 2 and names the field', () => {
    const r = sla(['preview'], JSON.stringify({ serviceType: 'network', channel: 'fax', receivedAt: '2026-06-01T00:00:00Z' }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/channel: Invalid option/);
  });
});
