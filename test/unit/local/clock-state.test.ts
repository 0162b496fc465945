import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClockStateError, planClock, saveClock } from '../../../local/clock-state';
import { VirtualClock } from '../../../local/engine/index';

const DAY = 86_400_000;
const WALL = Date.UTC(2026, 11, 2, 1, 0, 0);

describe('the loop clock across runs (clock.json in the data dir)', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'clock-state-'));

  it('starts at the wall clock when nothing was saved, at any scale', () => {
    for (const timeScale of [1, 600]) {
      const plan = planClock({ dataDir: dir(), timeScale }, WALL);
      expect(plan.origin).toBe('wall clock');
      expect(plan.startMs(WALL + 20_000)).toBe(WALL + 20_000);
    }
  });

  it('uses the wall clock at scale 1 after downtime, so timers that fell due meanwhile fire at once', () => {
    const d = dir();
    saveClock(d, new VirtualClock(WALL), 1, WALL);
    const plan = planClock({ dataDir: d, timeScale: 1 }, WALL + 3 * 3_600_000);
    expect(plan.origin).toBe('wall clock');
    expect(plan.startMs(WALL + 3 * 3_600_000 + 15_000)).toBe(WALL + 3 * 3_600_000 + 15_000);
  });

  it('uses the wall clock at scale 1 when the saved clock is behind it (a past --start-at run)', () => {
    const d = dir();
    saveClock(d, new VirtualClock(WALL - 60 * DAY), 1, WALL);
    expect(planClock({ dataDir: d, timeScale: 1 }, WALL + 1_000).startMs(WALL + 2_000)).toBe(WALL + 2_000);
  });

  it('continues a scaled run from its saved clock, adding the downtime at the real rate', () => {
    const d = dir();
    // A run at a high time scale left its clock 30 days ahead of the wall clock.
    saveClock(d, new VirtualClock(WALL + 30 * DAY), 3600, WALL);
    const plan = planClock({ dataDir: d, timeScale: 3600 }, WALL + 60_000);
    expect(plan.origin).toBe('continued from the data dir');
    expect(plan.startMs(WALL + 80_000)).toBe(WALL + 30 * DAY + 80_000);
  });

  it('continues a scaled run whose clock is behind the wall clock without jumping forward', () => {
    const d = dir();
    const nationalDayEve = Date.parse('2026-09-30T16:00:00+08:00');
    saveClock(d, new VirtualClock(nationalDayEve), 60, WALL);
    expect(planClock({ dataDir: d, timeScale: 60 }, WALL).startMs(WALL + 1_000)).toBe(nationalDayEve + 1_000);
  });

  it('fails at scale 1 on a data dir whose clock is ahead of the wall clock, naming the scale to keep and --fresh', () => {
    const d = dir();
    saveClock(d, new VirtualClock(WALL + 39 * 3_600_000), 600, WALL);
    const start = () => planClock({ dataDir: d, timeScale: 1 }, WALL + 10_000);
    expect(start).toThrow(ClockStateError);
    expect(start).toThrow(/is at 2026-12-03T16:00:10Z, 39 h 0 min ahead of the wall clock/);
    expect(start).toThrow(/restart with --time-scale 600 to continue that run, or add --fresh/);
  });

  it('accepts a scale-1 clock a few seconds ahead (saved just before the stop)', () => {
    const d = dir();
    saveClock(d, new VirtualClock(WALL + 2_000), 1, WALL);
    expect(planClock({ dataDir: d, timeScale: 1 }, WALL).origin).toBe('wall clock');
  });

  it('starts a fresh run at --start-at, at any scale, and in memory', () => {
    const startAt = Date.parse('2026-09-30T16:00:00+08:00');
    for (const dataDir of [dir(), undefined]) {
      const plan = planClock({ dataDir, timeScale: 1, startAt }, WALL);
      expect(plan.origin).toBe('start-at');
      expect(plan.startMs(WALL + 30_000)).toBe(startAt);
    }
  });

  it('fails --start-at on a data dir that holds a run, naming --fresh', () => {
    const d = dir();
    saveClock(d, new VirtualClock(WALL), 1, WALL);
    expect(() => planClock({ dataDir: d, timeScale: 60, startAt: WALL - DAY }, WALL)).toThrow(
      /--start-at begins a fresh run, but .* already holds one \(its loop clock is at 2026-12-02T01:00:00Z\): add --fresh/,
    );
    const withTables = dir();
    fs.mkdirSync(path.join(withTables, 'dynamodb'));
    expect(() => planClock({ dataDir: withTables, timeScale: 60, startAt: WALL }, WALL)).toThrow(ClockStateError);
  });

  it('treats a corrupt clock file as none: the wall clock', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'clock.json'), '{not json');
    expect(planClock({ dataDir: d, timeScale: 1 }, 42).startMs(42)).toBe(42);
  });
});
