import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FORMAT, VirtualClock } from '../../local/engine';
import { FIXTURE_EXECUTION_ARN, FIXTURE_T0, fixtureEngine } from './fixtures/journal-fixture';

/** A copy of a committed fixture state directory, so replay can append to it. */
function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-journal-'));
  fs.cpSync(path.join(__dirname, 'fixtures', name), dir, { recursive: true });
  return dir;
}

describe('journal format', () => {
  it('writes the format version in the start record and names effects by state, not by position', async () => {
    const lines = fs
      .readFileSync(
        path.join(
          __dirname,
          'fixtures',
          'journal-v2',
          'executions',
          fs.readdirSync(path.join(__dirname, 'fixtures', 'journal-v2', 'executions'))[0],
        ),
        'utf8',
      )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].journalFormat).toBe(JOURNAL_FORMAT);
    const keys = lines.slice(1).map((l: [string, unknown]) => l[0]);
    expect(keys).toContain('1.Before:retry0.wait');
    expect(keys).toContain('2.Each:0.item1/1.Item:0.task');
  });

  it('replays the committed journal of the current format: recorded tasks do not run again', async () => {
    const dir = copyFixture('journal-v2');
    const calls: string[] = [];
    const warnings: string[] = [];
    // Restart two hours after the start: the one-hour Wait is overdue and fires at once.
    const clock = new VirtualClock(FIXTURE_T0 + 7_200_000);
    const engine = fixtureEngine(dir, clock, calls, (m) => warnings.push(m));
    await engine.settle();
    const d = await engine.describeExecution({ executionArn: FIXTURE_EXECUTION_ARN });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({
      items: ['a', 'b'],
      before: { done: 'before' },
      each: [{ done: 'a' }, { done: 'b' }],
      after: { done: 'after' },
    });
    expect(calls).toEqual(['after']);
    expect(warnings).toEqual([]);
    const h = await engine.getExecutionHistory({ executionArn: FIXTURE_EXECUTION_ARN, maxResults: 1000 });
    const types = h.events.map((e) => e.type);
    expect(types.filter((t) => t === 'LambdaFunctionFailed')).toHaveLength(1);
    expect(types.filter((t) => t === 'LambdaFunctionSucceeded')).toHaveLength(4);
    const waitExited = h.events.find((e) => e.type === 'WaitStateExited')!;
    expect(waitExited.timestamp.getTime()).toBe(FIXTURE_T0 + 7_200_000);
    await engine.close();
  });

  it('fails to resume a journal of the previous format, says so, and leaves the file untouched', async () => {
    const dir = copyFixture('journal-v1');
    const file = path.join(dir, 'executions', fs.readdirSync(path.join(dir, 'executions'))[0]);
    const before = fs.readFileSync(file, 'utf8');
    const calls: string[] = [];
    const warnings: string[] = [];
    const engine = fixtureEngine(dir, new VirtualClock(FIXTURE_T0 + 7_200_000), calls, (m) => warnings.push(m));
    await engine.settle();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(FIXTURE_EXECUTION_ARN);
    expect(warnings[0]).toContain(`journal format 1, this engine replays format ${JOURNAL_FORMAT}`);
    expect(engine.unreadableJournals).toEqual([expect.objectContaining({ executionArn: FIXTURE_EXECUTION_ARN, journalFormat: 1 })]);
    expect(calls).toEqual([]);
    await expect(engine.describeExecution({ executionArn: FIXTURE_EXECUTION_ARN })).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
    // The state machine itself is still there.
    expect((await engine.listStateMachines({})).stateMachines.map((m) => m.name)).toEqual(['journal-fixture']);
    await engine.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
