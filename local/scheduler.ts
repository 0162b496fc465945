/**
 * EventBridge rate schedules on the engine's clock: each rule invokes its function with a
 * "Scheduled Event" whose `time` is the instant it was due, one run at a time (a run that takes
 * longer than the rate delays the next one instead of overlapping it), as long as the stack runs.
 */
import type { Clock, TimerHandle } from './engine/index';
import type { LocalSchedule } from './stack/template';

export interface RunningSchedules {
  stop(): void;
}

export function startSchedules(
  schedules: readonly LocalSchedule[],
  clock: Clock,
  invoke: (functionId: string, event: unknown) => Promise<unknown>,
  log: (line: string) => void,
): RunningSchedules {
  const timers = new Map<string, TimerHandle>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  // A virtual clock moves on only once the runs its timers started are done, as with executions.
  const detach = clock.attach?.(async () => {
    while (inFlight.size) await Promise.all([...inFlight]);
  });
  const arm = (s: LocalSchedule, atMs: number) => {
    timers.set(
      s.ruleId,
      clock.schedule(atMs, () => {
        const p = run(s, atMs).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }),
    );
  };
  const run = async (s: LocalSchedule, atMs: number) => {
    const time = new Date(atMs).toISOString();
    try {
      await invoke(s.functionId, {
        version: '0',
        id: `${s.ruleId}-${atMs}`,
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        time,
        region: 'local',
        resources: [s.ruleId],
        detail: {},
      });
    } catch (error) {
      log(`schedule ${s.ruleId} (${s.expression}) failed at ${time}: ${(error as Error).message}`);
    }
    if (!stopped) arm(s, Math.max(atMs + s.rateMs, clock.now()));
  };
  for (const s of schedules) arm(s, clock.now() + s.rateMs);
  return {
    stop() {
      stopped = true;
      for (const t of timers.values()) t.cancel();
      detach?.();
    },
  };
}
