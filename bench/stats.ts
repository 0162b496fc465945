/**
 * Medians with their spread: every figure the benchmarks print is a median over repeated runs,
 * never a single sample, and carries min..max so a noisy machine shows as a wide range.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

export function fmtSpread(s: Spread, digits = 1, unit = ''): string {
  return `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}..${s.max.toFixed(digits)}, n=${s.n})`;
}

/** What else the machine was doing: the figures mean little without it. */
export interface MachineLoad {
  cpus: number;
  cpuModel: string;
  loadAverage: [number, number, number];
  totalMemoryMiB: number;
  node: string;
  at: string;
}

export function machineLoad(): MachineLoad {
  const [a, b, c] = os.loadavg();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: [round(a!, 2), round(b!, 2), round(c!, 2)],
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    at: new Date().toISOString(),
  };
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Pids of the DynamoDB Local JVMs whose parent is `ppid` (Linux /proc; none elsewhere). */
export function dynamoDbLocalPids(ppid: number): number[] {
  try {
    return fs
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
          const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          return parent === ppid && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('DynamoDBLocal');
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** User + system CPU milliseconds a process has used so far (Linux /proc, 100 ticks a second). */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
