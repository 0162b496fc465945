/**
 * Child threads of a Parallel (one per branch) or a Map (one per item): each runs its own block of
 * states in its own variable scope, at most `limit` at once, and the first failure that is not
 * tolerated aborts the others.
 */
import { type AbortScope, AbortSignalError } from './abort';
import { StatesError } from './errors';
import { type StepRuntime, type Thread, visibleVars } from './step';

/** How runChildren runs the child threads of a Parallel or Map. */
export interface ChildRun {
  count: number;
  /** At most this many at once; 0 = all. */
  limit: number;
  makeThread(i: number): Thread;
  body(i: number, child: Thread): Promise<unknown>;
  /** Decides, per failed child, whether to tolerate it (returning its output slot value). */
  onFailure?(i: number, e: StatesError, child: Thread): { tolerated: boolean; value?: unknown; error?: StatesError };
  onStart?(i: number, child: Thread): void;
  onSuccess?(i: number, child: Thread): void;
}

/** A child of `th` whose journal keys start with `path`, in a scope that reads `th`'s variables. */
export function childThread(th: Thread, path: string, group: AbortScope, mapItem?: Thread['mapItem']): Thread {
  return {
    path,
    step: 0,
    state: '',
    attempt: 0,
    t: th.t,
    last: th.last,
    scope: { outer: visibleVars(th.scope), vars: {} },
    abort: group.child(),
    mapItem,
  };
}

/** Run the child threads of `spec`, each counted as its own unit of work; resolves with their outputs in order. */
export function runChildren(rt: StepRuntime, th: Thread, group: AbortScope, spec: ChildRun): Promise<unknown[]> {
  const { count: n, limit } = spec;
  const results = new Array<unknown>(n);
  if (n === 0) return Promise.resolve(results);
  const host = rt.host;
  return host.block(
    new Promise<unknown[]>((resolve, reject) => {
      let next = 0;
      let running = 0;
      let finished = 0;
      let failed = false;
      const fail = (i: number, e: unknown, cth: Thread) => {
        if (failed) return;
        if (e instanceof StatesError && spec.onFailure) {
          const r = spec.onFailure(i, e, cth);
          if (r.tolerated) {
            results[i] = r.value;
            return;
          }
          e = r.error ?? e;
        }
        failed = true;
        group.abort(new AbortSignalError('sibling failed'));
        reject(e);
      };
      const ended = (cth: Thread) => {
        cth.abort.detachFromParent();
        host.workEnded();
        running--;
        finished++;
        if (failed) return;
        th.last = Math.max(th.last, cth.last);
        if (finished === n) resolve(results);
        else launch();
      };
      const launch = () => {
        while (!failed && next < n && (limit <= 0 || running < limit)) {
          const i = next++;
          running++;
          const cth = spec.makeThread(i);
          spec.onStart?.(i, cth);
          host.workStarted();
          spec
            .body(i, cth)
            .then(
              (v) => {
                results[i] = v;
                spec.onSuccess?.(i, cth);
              },
              (e) => fail(i, e, cth),
            )
            .finally(() => ended(cth));
        }
      };
      launch();
    }),
  );
}
