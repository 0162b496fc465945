/**
 * Keeps the engine's virtual time across restarts of `npm start`. With --time-scale N the virtual
 * clock runs ahead of the host clock; restarting from the host clock would move time backwards and
 * strand every timer. So the position is saved in the data dir and, on restart, time continues from
 * it, plus the time the stack was down counted at the real rate (at scale 1 this is plain host time).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from './engine/index';

interface SavedClock {
  virtualMs: number;
  realMs: number;
}

const FILE = 'clock.json';

/** The virtual start time for a new clock: host now, or later if a saved position is ahead. */
export function restoredStartMs(dataDir: string, realNow = Date.now()): number {
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) return realNow;
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedClock;
    if (typeof saved.virtualMs !== 'number' || typeof saved.realMs !== 'number') return realNow;
    return Math.max(realNow, saved.virtualMs + Math.max(0, realNow - saved.realMs));
  } catch {
    return realNow;
  }
}

export function saveClock(dataDir: string, clock: Clock, realNow = Date.now()): void {
  const file = path.join(dataDir, FILE);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ virtualMs: clock.now(), realMs: realNow } satisfies SavedClock));
  fs.renameSync(tmp, file);
}
