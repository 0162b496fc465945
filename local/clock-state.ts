/**
 * Where the loop's clock starts when `npm start` starts, and how it is kept in the data dir.
 *
 * - At time scale 1 the loop's clock is the wall clock, always: timers that fell due while the stack
 *   was down fire at once. A data dir whose saved clock is ahead of the wall clock (a scaled run)
 *   is refused rather than moved back in time, which would strand its timers.
 * - A scaled run saves its virtual clock in the data dir (clock.json, every second and at stop) and
 *   continues from it on restart, plus the time it was down counted at the real rate.
 * - `--start-at` begins a fresh virtual run at a chosen instant; it refuses a data dir that holds a run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from './engine/index';

interface SavedClock {
  virtualMs: number;
  realMs: number;
  /** Absent in files written before the scale was saved. */
  scale?: number;
}

const FILE = 'clock.json';
/** A scale-1 run saves wall-clock time every second: this much ahead still counts as the wall clock. */
const WALL_CLOCK_TOLERANCE_MS = 5_000;

export class ClockStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClockStateError';
  }
}

export type ClockOrigin = 'wall clock' | 'continued from the data dir' | 'start-at';

export interface ClockPlan {
  origin: ClockOrigin;
  /** The loop time to start at when the clock is created at real time `realNow`. */
  startMs(realNow: number): number;
}

export interface ClockPlanOptions {
  /** The data dir, or undefined when nothing is kept on disk. */
  dataDir: string | undefined;
  timeScale: number;
  /** Epoch ms: begin a fresh virtual run at this instant. */
  startAt?: number;
}

/**
 * Decides where the loop's clock starts, checked before anything starts. Throws ClockStateError
 * for a data dir that cannot run as asked (ahead of the wall clock at scale 1, or --start-at on an
 * existing run), with what to do instead.
 */
export function planClock(opts: ClockPlanOptions, realNow = Date.now()): ClockPlan {
  const saved = opts.dataDir ? readSaved(opts.dataDir) : undefined;
  if (opts.startAt !== undefined) {
    if (opts.dataDir && fs.existsSync(opts.dataDir) && fs.readdirSync(opts.dataDir).length > 0) {
      const at = saved ? ` (its loop clock is at ${iso(resumedMs(saved, realNow))})` : '';
      throw new ClockStateError(
        `--start-at begins a fresh run, but ${opts.dataDir} already holds one${at}: add --fresh to wipe it, or choose another --data-dir`,
      );
    }
    const startAt = opts.startAt;
    return { origin: 'start-at', startMs: () => startAt };
  }
  if (!saved) return { origin: 'wall clock', startMs: (now) => now };
  if (opts.timeScale === 1) {
    const ahead = resumedMs(saved, realNow) - realNow;
    if (ahead > WALL_CLOCK_TOLERANCE_MS) {
      const scale = saved.scale && saved.scale !== 1 ? `--time-scale ${saved.scale}` : '--time-scale N';
      throw new ClockStateError(
        `the loop clock in ${opts.dataDir} is at ${iso(resumedMs(saved, realNow))}, ${formatDuration(ahead)} ahead of the wall clock (a scaled or --start-at run). ` +
          `At time scale 1 the loop's clock is the wall clock: restart with ${scale} to continue that run, or add --fresh to start over at the wall clock.`,
      );
    }
    return { origin: 'wall clock', startMs: (now) => now };
  }
  return { origin: 'continued from the data dir', startMs: (now) => resumedMs(saved, now) };
}

export function saveClock(dataDir: string, clock: Clock, scale: number, realNow = Date.now()): void {
  const file = path.join(dataDir, FILE);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ virtualMs: clock.now(), realMs: realNow, scale } satisfies SavedClock));
  fs.renameSync(tmp, file);
}

/** The saved clock, or undefined when there is none or it cannot be read (a fresh clock then). */
function readSaved(dataDir: string): SavedClock | undefined {
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedClock;
    return typeof saved.virtualMs === 'number' && typeof saved.realMs === 'number' ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** The saved loop time plus the time since it was saved, at the real rate. */
function resumedMs(saved: SavedClock, realNow: number): number {
  return saved.virtualMs + Math.max(0, realNow - saved.realMs);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
