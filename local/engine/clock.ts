/**
 * Clocks for the engine. Every time the engine uses (context object times, Wait, timeouts,
 * heartbeats, retry delays, history timestamps, JSONata $now) comes from a Clock.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
  /** Run `fn` once the clock reaches `atMs` (epoch ms). A time in the past fires as soon as possible. */
  schedule(atMs: number, fn: () => void): TimerHandle;
  /**
   * Optional: let the clock wait for an engine to become idle (used by VirtualClock.advance so the
   * work a timer causes settles before the next timer fires). Returns a detach function.
   */
  attach?(settle: () => Promise<void>): () => void;
}

/** A pending timer; it is its own handle (no per-timer closure). */
class HeapEntry implements TimerHandle {
  cancelled = false;
  constructor(
    readonly due: number,
    readonly seq: number,
    readonly fn: () => void,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Binary min-heap on (due, seq): O(log n) per timer, so thousands of parked timers stay cheap. */
class TimerHeap {
  private items: HeapEntry[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): HeapEntry | undefined {
    return this.items[0];
  }
  push(e: HeapEntry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): HeapEntry | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(x: HeapEntry, y: HeapEntry): boolean {
  return x.due < y.due || (x.due === y.due && x.seq < y.seq);
}

/**
 * A clock that only moves when told to. Timers live in a priority queue (no setTimeout per timer).
 */
export class VirtualClock implements Clock {
  private current: number;
  private heap = new TimerHeap();
  private seq = 0;
  private settlers = new Set<() => Promise<void>>();
  private advancing: Promise<void> = Promise.resolve();

  constructor(startMs: number = Date.UTC(2025, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Number of timers not yet fired (cancelled ones may still be counted until they reach the top). */
  get pendingTimers(): number {
    return this.heap.size;
  }

  schedule(atMs: number, fn: () => void): TimerHandle {
    const e = new HeapEntry(atMs, this.seq++, fn);
    this.heap.push(e);
    return e;
  }

  attach(settle: () => Promise<void>): () => void {
    this.settlers.add(settle);
    return () => this.settlers.delete(settle);
  }

  /**
   * Fire every timer due in (now, now+ms] in time order. Timers sharing one due time fire as a
   * batch (same now()), then the clock waits for the attached engines to settle before moving on.
   */
  advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative number of ms, got ${ms}`);
    // Serialize concurrent advance() calls: each starts from where the previous one stopped.
    const run = this.advancing.then(() => this.run(this.current + ms));
    this.advancing = run.catch(() => undefined);
    return run;
  }

  advanceTo(epochMs: number): Promise<void> {
    const run = this.advancing.then(() => this.run(Math.max(epochMs, this.current)));
    this.advancing = run.catch(() => undefined);
    return run;
  }

  private async settleAll(): Promise<void> {
    for (const s of [...this.settlers]) await s();
  }

  private async run(target: number): Promise<void> {
    await this.settleAll();
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.due > target) break;
      const due = top.due;
      if (due > this.current) this.current = due;
      let fired = 0;
      while (this.heap.peek() && this.heap.peek()!.due <= due) {
        const e = this.heap.pop()!;
        if (e.cancelled) continue;
        fired++;
        e.fn();
      }
      if (fired > 0) await this.settleAll();
    }
    this.current = target;
    await this.settleAll();
  }
}

/** Real time, optionally sped up: `scale` virtual seconds pass per real second (1 = real time). */
export class ScaledClock implements Clock {
  readonly scale: number;
  private readonly startVirtual: number;
  private readonly startReal: number;

  constructor(opts: { scale: number; startMs?: number } = { scale: 1 }) {
    if (!(opts.scale > 0)) throw new RangeError(`scale must be > 0, got ${opts.scale}`);
    this.scale = opts.scale;
    this.startReal = Date.now();
    this.startVirtual = opts.startMs ?? this.startReal;
  }

  now(): number {
    return Math.floor(this.startVirtual + (Date.now() - this.startReal) * this.scale);
  }

  schedule(atMs: number, fn: () => void): TimerHandle {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    // setTimeout caps at ~24.8 days: re-arm until the virtual due time is reached.
    const arm = () => {
      if (cancelled) return;
      const realDelay = Math.max(0, (atMs - this.now()) / this.scale);
      if (realDelay <= 0) {
        handle = setTimeout(fn, 0);
        return;
      }
      handle = setTimeout(arm, Math.min(Math.ceil(realDelay), 2 ** 31 - 1));
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  }
}
