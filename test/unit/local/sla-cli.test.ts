/** `npm run sla` (local/sla-cli.ts) as a function: arguments, policy file, exit codes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSlaCli } from '../../../local/sla-cli';

const timeline = JSON.stringify({ serviceType: 'network', channel: 'phone', receivedAt: '2026-06-01T00:00:00Z' });
const dir = mkdtempSync(join(tmpdir(), 'sla-cli-'));

describe('sla CLI', () => {
  it('previews a timeline from stdin as JSON (exit 0)', () => {
    const r = runSlaCli(['preview'], () => timeline);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.clocks.find((c: { id: string }) => c.id === 'H-01')).toMatchObject({
      deadline: '2026-06-01T00:20:00.000Z',
      status: 'running',
    });
  });

  it('H-01 under --policy overrides: the carrier policy decides the deadline', () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ version: 'carrier-2', clocks: { 'H-01': { duration: 'PT10M' } } }));
    const out = JSON.parse(runSlaCli(['preview', '--policy', file], () => timeline).stdout);
    expect(out.policyVersion).toBe('carrier-2');
    expect(out.clocks.find((c: { id: string }) => c.id === 'H-01').deadline).toBe('2026-06-01T00:10:00.000Z');
  });

  it('fails with exit 2 naming the field of a bad timeline, a non-JSON stdin, a bad policy, an unknown command', () => {
    const bad = runSlaCli(['preview'], () => JSON.stringify({ serviceType: 'network', receivedAt: '2026-06-01T00:00:00Z' }));
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('channel:');
    expect(runSlaCli(['preview'], () => '{')).toMatchObject({ code: 2 });
    const policy = join(dir, 'bad-policy.json');
    writeFileSync(policy, JSON.stringify({ clocks: { 'H-01': { duration: 'soon' } } }));
    const p = runSlaCli(['preview', '--policy', policy], () => timeline);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('clocks.H-01');
    expect(runSlaCli(['preview', '--policy', join(dir, 'missing.json')], () => timeline)).toMatchObject({ code: 2 });
    expect(runSlaCli(['deploy'], () => timeline).code).toBe(2);
    expect(runSlaCli(['preview', '--frob'], () => timeline).code).toBe(2);
  });

  it('answers --help with the usage (exit 0)', () => {
    expect(runSlaCli(['--help'], () => '')).toMatchObject({ code: 0, stdout: expect.stringContaining('npm run sla -- preview') });
  });
});
