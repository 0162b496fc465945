/**
 * Stopping threads: an execution that is stopped or times out, or a Parallel/Map whose sibling
 * failed, aborts a scope; every wait in that scope (a timer, a task token) is woken with an
 * AbortSignalError and cancels what it was waiting on.
 */

/** Not a States error: an execution or a sibling branch was stopped; never caught by Catch. */
export class AbortSignalError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AbortSignalError';
  }
}

/** Something told when a scope is aborted. Objects with methods, not closures: parked executions stay small. */
export interface AbortListener {
  onAbort(e: AbortSignalError): void;
}

/** Counts runnable work, so Engine.settle knows when every thread is waiting. */
export interface WorkCounter {
  workStarted(): void;
  workEnded(): void;
}

export class AbortScope implements AbortListener {
  aborted?: AbortSignalError;
  private parent?: AbortScope;
  // Most scopes have at most one listener at a time: keep it in a field, a Set only beyond that.
  private one?: AbortListener;
  private listeners?: Set<AbortListener>;
  child(): AbortScope {
    const c = new AbortScope();
    if (this.aborted) c.aborted = this.aborted;
    else {
      c.parent = this;
      this.listen(c);
    }
    return c;
  }
  onAbort(e: AbortSignalError): void {
    this.abort(e);
  }
  detachFromParent(): void {
    this.parent?.unlisten(this);
    this.parent = undefined;
  }
  listen(l: AbortListener): void {
    if (!this.one && !this.listeners) this.one = l;
    else (this.listeners ??= new Set()).add(l);
  }
  unlisten(l: AbortListener): void {
    if (this.one === l) this.one = undefined;
    else this.listeners?.delete(l);
  }
  abort(e: AbortSignalError): void {
    if (this.aborted) return;
    this.aborted = e;
    const one = this.one;
    const ls = this.listeners;
    this.one = undefined;
    this.listeners = undefined;
    one?.onAbort(e);
    if (ls) for (const l of ls) l.onAbort(e);
  }
}

/**
 * One blocked wait: resolves, or rejects when its thread's scope is aborted (then runs `cancel`).
 * While pending, the thread does not count as runnable work (see Engine.settle).
 */
export class Waiter<T> implements AbortListener {
  /** What to cancel when aborted (a timer, a task token). */
  cancelable?: { cancel(): void };
  private settled = false;
  constructor(
    private readonly work: WorkCounter,
    private readonly scope: AbortScope,
    private readonly res: (v: T) => void,
    private readonly rej: (e: unknown) => void,
  ) {
    scope.listen(this);
    work.workEnded();
  }
  onAbort(e: AbortSignalError): void {
    if (this.settled) return;
    this.settled = true;
    this.work.workStarted();
    this.cancelable?.cancel();
    this.rej(e);
  }
  resolve(v: T): void {
    if (this.settled) return;
    this.settled = true;
    this.work.workStarted();
    this.scope.unlisten(this);
    this.res(v);
  }
}
