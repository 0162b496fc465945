import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { restoredStartMs, saveClock } from '../../../local/clock-state';
import { VirtualClock } from '../../../local/engine/index';

describe('virtual time across restarts (clock.json in the data dir)', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'clock-state-'));

  it('starts at host time when nothing was saved', () => {
    expect(restoredStartMs(dir(), 1_000)).toBe(1_000);
  });

  it('continues from a saved position ahead of host time, adding the downtime at the real rate', () => {
    const d = dir();
    const realAtSave = Date.UTC(2026, 0, 1);
    // A run at a high time scale left virtual time 30 days ahead of the host.
    saveClock(d, new VirtualClock(realAtSave + 30 * 86_400_000), realAtSave);
    expect(restoredStartMs(d, realAtSave + 60_000)).toBe(realAtSave + 30 * 86_400_000 + 60_000);
  });

  it('never goes back behind host time', () => {
    const d = dir();
    saveClock(d, new VirtualClock(5_000), 5_000);
    expect(restoredStartMs(d, 1_000_000)).toBe(1_000_000);
  });

  it('fails soft on a corrupt file: host time', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'clock.json'), '{not json');
    expect(restoredStartMs(d, 42)).toBe(42);
  });
});
