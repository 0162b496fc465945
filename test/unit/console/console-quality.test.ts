import { describe, expect, it } from 'vitest';
import { closedIndexKeys, monthsBetween } from '../../../functions/adapters/complaint-store';
import {
  computeQuality,
  InvalidPeriodError,
  isSatisfied,
  parsePeriod,
  qualityFromData,
} from '../../../functions/app/console/console-quality';
import { markFailed } from '../../../functions/domain/lifecycle';
import { addCounters, clockOutcome, handlingResponseMs, qualityBucket, qualityContribution } from '../../../functions/domain/quality';
import { DEFAULT_SLA_POLICY as policy } from '../../../functions/domain/sla-policy';
import type { ClockState, Complaint } from '../../../functions/domain/types';
import { after, MIN, registered } from '../domain-fixtures';

const T0 = '2026-06-01T01:00:00.000Z';

/** A closed complaint shaped as the close step leaves it (only what the quality view reads matters). */
function closedComplaint(
  id: string,
  opts: { ackAfterMs: number; breached?: string[]; survey?: Complaint['survey']; reopenCount?: number },
): Complaint {
  const c = registered(T0);
  const closedAt = after(T0, 2 * 24 * 60 * MIN);
  const clocks: Record<string, ClockState> = {};
  for (const [cid, s] of Object.entries(c.clocks)) {
    const metAt = cid === 'H-01' ? after(T0, opts.ackAfterMs) : closedAt;
    clocks[cid] = { ...s, status: 'met', metAt, ...(opts.breached?.includes(cid) ? { breachedAt: s.deadline } : {}) };
  }
  return {
    ...c,
    id,
    status: 'closed',
    points: { ...c.points, closed: closedAt },
    clocks,
    survey: opts.survey,
    reopenCount: opts.reopenCount ?? 0,
  };
}

describe('quality period', () => {
  it('reads local dates in the policy time zone as a half-open instant range', () => {
    // Asia/Shanghai is UTC+8 all year: local midnight of 1 March is 16:00 UTC the day before.
    const p = parsePeriod({ from: '2026-03-01', to: '2026-03-31' }, '2026-04-10T00:00:00.000Z', 'Asia/Shanghai');
    expect(p).toEqual({ from: '2026-03-01', to: '2026-03-31', fromIso: '2026-02-28T16:00:00.000Z', toIso: '2026-03-31T16:00:00.000Z' });
  });

  it('defaults to the 30 local days ending today', () => {
    // 2026-04-09T20:00Z is already 10 April in Shanghai.
    const p = parsePeriod(null, '2026-04-09T20:00:00.000Z', 'Asia/Shanghai');
    expect(p).toMatchObject({ from: '2026-03-12', to: '2026-04-10' });
  });

  it('fails on a reversed, malformed or too long period', () => {
    const now = '2026-04-10T00:00:00.000Z';
    expect(() => parsePeriod({ from: '2026-04-02', to: '2026-04-01' }, now, 'Asia/Shanghai')).toThrow(InvalidPeriodError);
    expect(() => parsePeriod({ from: '2026-02-30', to: '2026-04-01' }, now, 'Asia/Shanghai')).toThrow(/not a date/);
    expect(() => parsePeriod({ from: '2024-01-01', to: '2026-04-01' }, now, 'Asia/Shanghai')).toThrow(/at most 366/);
  });

  it('queries each UTC month the period touches', () => {
    expect(monthsBetween('2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z')).toEqual(['2026-02', '2026-03']);
    expect(monthsBetween('2025-12-31T16:00:00.000Z', '2026-01-01T00:00:00.000Z')).toEqual(['2025-12']);
    expect(monthsBetween('2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z')).toEqual([]);
  });

  it('indexes a complaint by closing month only once it is closed', () => {
    expect(closedIndexKeys({ status: 'closed', points: { closed: '2026-03-31T17:00:00.000Z' } })).toEqual({
      closedMonth: '2026-03',
      closedAt: '2026-03-31T17:00:00.000Z',
    });
    expect(closedIndexKeys({ status: 'open', points: {} })).toEqual({});
    // H-36: a failed complaint is archived too, at the instant it failed.
    expect(closedIndexKeys({ status: 'failed', points: {}, failedAt: '2026-04-01T02:00:00.000Z' })).toEqual({
      closedMonth: '2026-04',
      closedAt: '2026-04-01T02:00:00.000Z',
    });
  });
});

describe('quality measures', () => {
  const complaints = [
    closedComplaint('c-q1', { ackAfterMs: 10 * MIN, survey: { outcome: 'solved', solved: true, score: 5, answeredAt: T0 } }),
    closedComplaint('c-q2', {
      ackAfterMs: 30 * MIN,
      breached: ['H-01'],
      survey: { outcome: 'solved', solved: true, score: 3, answeredAt: T0 },
      reopenCount: 1,
    }),
    closedComplaint('c-q3', { ackAfterMs: 14 * MIN, survey: { outcome: 'no-answer', closedAt: T0 } }),
    closedComplaint('c-q4', { ackAfterMs: 6 * MIN, breached: ['H-02'], survey: { outcome: 'solved', solved: true, answeredAt: T0 } }),
  ];
  const q = computeQuality(complaints, policy);

  it('computes SLA compliance per clock in policy order', () => {
    expect(q.closed).toBe(4);
    const byId = Object.fromEntries(q.clocks.map((c) => [c.id, c]));
    expect(byId['H-01']).toMatchObject({ total: 4, onTime: 3, rate: 0.75, clause: '§1.2.2, §1.1' });
    expect(byId['H-02']).toMatchObject({ total: 4, onTime: 3 });
    expect(byId['H-05']).toMatchObject({ total: 4, onTime: 4, rate: 1 });
    const ids = q.clocks.map((c) => c.id);
    expect(ids.indexOf('H-11')).toBeLessThan(ids.indexOf('H-01'));
  });

  it('counts satisfaction over answered surveys (score 4-5, else solved) against 95 %', () => {
    expect(q.satisfaction).toEqual({ answered: 3, satisfied: 2, noAnswer: 1, rate: 2 / 3, target: 0.95 });
    expect(isSatisfied({ solved: false, score: 4 })).toBe(true);
    expect(isSatisfied({ solved: true, score: 2 })).toBe(false);
    expect(isSatisfied({ solved: false })).toBe(false);
  });

  it('averages first response from receipt against 20 minutes, and the reopen rate', () => {
    expect(q.firstResponse).toEqual({ count: 4, averageMs: 15 * MIN, withinTarget: 3, targetMs: 20 * MIN });
    expect(q.reopen).toEqual({ reopened: 1, rate: 0.25 });
  });

  it('H-40: a clock met late counts against compliance, shown apart from one never met', () => {
    const byId = Object.fromEntries(q.clocks.map((c) => [c.id, c]));
    expect(byId['H-01']).toMatchObject({ late: 1, breached: 0, pending: 0 });
  });

  it('reports no rate (not 0 %) for an empty period', () => {
    const empty = computeQuality([], policy);
    expect(empty.handlingResponse.averageMs).toBeNull();
    expect(empty.clocks).toEqual([]);
    expect(empty.satisfaction.rate).toBeNull();
    expect(empty.firstResponse.averageMs).toBeNull();
    expect(empty.reopen.rate).toBeNull();
  });
});

describe('H-06: average handling response (receipt → dispatched and acknowledged, the later of the two)', () => {
  const handled = (id: string, dispatchedMs: number, acknowledgedMs: number): Complaint => {
    const c = closedComplaint(id, { ackAfterMs: acknowledgedMs });
    return { ...c, points: { ...c.points, dispatched: after(T0, dispatchedMs), acknowledged: after(T0, acknowledgedMs) } };
  };

  it('averages the later of the two points against 45 minutes', () => {
    // 30 min (dispatched last), 50 min (acknowledged last), 40 min: average 40 min, two within 45.
    const q = computeQuality(
      [handled('c-h1', 30 * MIN, 5 * MIN), handled('c-h2', 10 * MIN, 50 * MIN), handled('c-h3', 40 * MIN, 40 * MIN)],
      policy,
    );
    expect(q.handlingResponse).toEqual({ count: 3, averageMs: 40 * MIN, withinTarget: 2, targetMs: 45 * MIN });
  });

  it('leaves out a complaint that never had both points', () => {
    const c = closedComplaint('c-h4', { ackAfterMs: 5 * MIN });
    expect(handlingResponseMs({ receivedAt: T0, points: { acknowledged: after(T0, 5 * MIN) } })).toBeUndefined();
    expect(computeQuality([c], policy).handlingResponse.count).toBe(0);
  });
});

describe('H-36: failed complaints in the archive', () => {
  const failedAt = after(T0, 30 * MIN);
  // Registered at T0, failed 30 min later: H-01 (20 min) breached, H-11 met at registration, the longer clocks not yet due.
  const failed: Complaint = { ...markFailed(registered(T0), failedAt, 'boom').complaint, id: 'c-f1' };

  it('is archived at the instant it failed, with its clocks as they stood then', () => {
    expect(failed).toMatchObject({ status: 'failed', failedAt });
    const n = qualityContribution(failed);
    expect(n).toMatchObject({ failed: 1, 'clock.H-01.breached': 1, 'clock.H-11.onTime': 1, 'clock.MIIT-15D.pending': 1 });
    expect(n.closed).toBeUndefined();
    expect(clockOutcome(failed.clocks['H-01']!, failedAt)).toBe('breached');
  });

  it('counts in the view as failed beside the closed ones; pending clocks stay out of the rate', () => {
    const q = computeQuality([failed, closedComplaint('c-f2', { ackAfterMs: 10 * MIN })], policy);
    expect(q).toMatchObject({ closed: 1, failed: 1 });
    const byId = Object.fromEntries(q.clocks.map((c) => [c.id, c]));
    expect(byId['H-01']).toMatchObject({ total: 2, onTime: 1, breached: 1, rate: 0.5 });
    expect(byId['MIIT-15D']).toMatchObject({ total: 1, onTime: 1, pending: 1, rate: 1 });
    expect(q.byTeam).toEqual({ 'network-operations': { closed: 1, failed: 1 } });
    expect(q.reopen.rate).toBe(0);
  });

  it('adds nothing for a complaint still open', () => {
    expect(qualityContribution(registered(T0))).toEqual({});
  });

  it('files the counters under the local day (policy time zone) and the team', () => {
    // 2026-06-01T17:00Z is already 2 June in Shanghai.
    const late = { ...failed, failedAt: '2026-06-01T17:00:00.000Z' };
    expect(qualityBucket(late, 'Asia/Shanghai')).toEqual({ day: '2026-06-02', team: 'network-operations' });
    expect(qualityBucket(registered(T0), 'Asia/Shanghai')).toBeUndefined();
  });

  it('sums counters across days exactly as one pass over the complaints', () => {
    const a = closedComplaint('c-s1', { ackAfterMs: 10 * MIN, breached: ['H-02'] });
    const b = closedComplaint('c-s2', { ackAfterMs: 25 * MIN, breached: ['H-01'] });
    const summed = addCounters(qualityContribution(a), qualityContribution(b));
    const q = qualityFromData({ counters: summed, byTeam: {}, improvements: [] }, policy);
    const direct = computeQuality([a, b], policy);
    expect(q.clocks).toEqual(direct.clocks);
    expect(q.firstResponse).toEqual(direct.firstResponse);
  });
});
