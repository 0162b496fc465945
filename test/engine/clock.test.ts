import { describe, expect, it } from 'vitest';
import { Engine, ScaledClock, VirtualClock } from '../../local/engine';
import { createMachine, makeEngine, T0 } from './helpers';

describe('VirtualClock', () => {
  it('fires timers in due order with now() at each due time, and ends at start+ms', async () => {
    const c = new VirtualClock(1000);
    const seen: Array<[string, number]> = [];
    c.schedule(1300, () => seen.push(['c', c.now()]));
    c.schedule(1100, () => seen.push(['a', c.now()]));
    c.schedule(1200, () => seen.push(['b', c.now()]));
    const h = c.schedule(1150, () => seen.push(['cancelled', c.now()]));
    h.cancel();
    c.schedule(5000, () => seen.push(['late', c.now()]));
    await c.advance(300);
    expect(seen).toEqual([
      ['a', 1100],
      ['b', 1200],
      ['c', 1300],
    ]);
    expect(c.now()).toBe(1300);
    await c.advanceTo(5000);
    expect(seen.at(-1)).toEqual(['late', 5000]);
  });

  it('timers scheduled while firing are honoured in the same advance', async () => {
    const c = new VirtualClock(0);
    const seen: number[] = [];
    c.schedule(10, () => {
      seen.push(c.now());
      c.schedule(20, () => seen.push(c.now()));
    });
    await c.advance(25);
    expect(seen).toEqual([10, 20]);
  });

  it('fails: advance rejects a negative duration', () => {
    expect(() => new VirtualClock(0).advance(-1)).toThrow(RangeError);
  });

  it('advancing 72 hours over thousands of waiting executions fires every timer in order, fast', async () => {
    const { engine, clock } = makeEngine();
    const sm = await createMachine(engine, {
      StartAt: 'W',
      States: { W: { Type: 'Wait', SecondsPath: '$.s', Next: 'W2' }, W2: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const n = 3000;
    for (let i = 0; i < n; i++)
      await engine.startExecution({ stateMachineArn: sm, name: `e${i}`, input: JSON.stringify({ s: (i * 79) % (68 * 3600) }) });
    await engine.settle();
    const t = Date.now();
    await clock.advance(72 * 3600_000);
    const elapsed = Date.now() - t;
    const done = await engine.listExecutions({ stateMachineArn: sm, statusFilter: 'SUCCEEDED', maxResults: 1000 });
    expect(done.executions.length).toBe(1000);
    for (let i = 0; i < n; i += 397) {
      const d = await engine.describeExecution({ executionArn: `${sm.replace(':stateMachine:', ':execution:')}:e${i}` });
      expect(d.stopDate?.getTime()).toBe(T0 + (((i * 79) % (68 * 3600)) + 3600) * 1000);
    }
    expect(elapsed).toBeLessThan(15_000);
  });
});

describe('ScaledClock', () => {
  it('runs virtual time at the given scale', async () => {
    const c = new ScaledClock({ scale: 3600, startMs: T0 }); // one hour per second
    const fired = await new Promise<number>((resolve) => c.schedule(T0 + 360_000, () => resolve(c.now()))); // 6 virtual minutes = 100 ms
    expect(fired).toBeGreaterThanOrEqual(T0 + 360_000);
    expect(fired).toBeLessThan(T0 + 360_000 + 3600 * 200);
  });
  it('fails: a non-positive scale is rejected', () => {
    expect(() => new ScaledClock({ scale: 0 })).toThrow(RangeError);
  });
});

describe('Engine on a ScaledClock', () => {
  it('runs a Wait in scaled real time and stamps history with scaled time', async () => {
    const clock = new ScaledClock({ scale: 3600, startMs: T0 }); // one hour per real second
    const engine = new Engine({ clock });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'scaled',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 360, End: true } } }), // 6 min = 100 ms real
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{}' });
    const t = Date.now();
    const d = await engine.waitForExecution(executionArn);
    expect(d.status).toBe('SUCCEEDED');
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(Number(d.stopDate) - Number(d.startDate)).toBeGreaterThanOrEqual(360_000);
    await engine.close();
  });
});
