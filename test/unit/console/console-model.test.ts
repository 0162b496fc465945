import { describe, expect, it } from 'vitest';
import { barState, clockBars, InvalidFilterError, openRows, parseFilters, stateCounts } from '../../../functions/app/console/console-model';
import { applyClockEvents, dueClockEvents, recordPoint, viewClocks } from '../../../functions/domain/clocks';
import { DEFAULT_SLA_POLICY as policy } from '../../../functions/domain/sla-policy';
import type { Complaint } from '../../../functions/domain/types';
import { after, MIN, registered } from '../domain-fixtures';

const T0 = '2026-06-01T01:00:00.000Z';

/** Sends whatever the clocks have due at `now` (what clock-tick records). */
const tick = (c: Complaint, now: string) => applyClockEvents(c, dueClockEvents(c, now, policy), now);

const barOf = (c: Complaint, now: string, id: string) => clockBars(c, now, policy).find((b) => b.view.id === id)!;

describe('console bars', () => {
  it('shows H-01 (20 min) on time, then warned at 75 % once the warning went out, then breached', () => {
    const c = registered(T0);
    const early = barOf(c, after(T0, 5 * MIN), 'H-01');
    expect(early.state).toBe('on-time');
    expect(early.fill).toBeCloseTo(0.25, 5);

    const at16 = after(T0, 16 * MIN);
    // 75 % of 20 min = 15 min: the warning is due and, once sent, the bar turns amber.
    expect(barOf(c, at16, 'H-01').state).toBe('on-time');
    const warned = tick(c, at16);
    expect(barOf(warned, at16, 'H-01')).toMatchObject({ state: 'warned', fill: 0.8 });

    // Past the deadline the bar is full and red even before the escalation is recorded.
    const at21 = after(T0, 21 * MIN);
    expect(barOf(warned, at21, 'H-01')).toMatchObject({ state: 'breached', fill: 1 });
    expect(barOf(tick(warned, at21), at21, 'H-01').state).toBe('breached');
  });

  it('shows a clock met late as met-late (also one stored as met with a breach) and one met in time as met', () => {
    expect(barState({ status: 'met-late', remainingMs: null, warned: false, breachedAt: '2026-06-01T01:20:00.000Z' } as never)).toBe(
      'met-late',
    );
    expect(barState({ status: 'met', remainingMs: null, warned: false, breachedAt: '2026-06-01T01:20:00.000Z' } as never)).toBe('met-late');
    expect(barState({ status: 'breached', remainingMs: null, warned: true, breachedAt: '2026-06-01T01:20:00.000Z' } as never)).toBe(
      'breached',
    );
    expect(barState({ status: 'met', remainingMs: null, warned: true } as never)).toBe('met');
  });

  it('H-01 acknowledged at 22 min: met-late in the API view and the bar, and gone from the open list (finished)', () => {
    const at22 = after(T0, 22 * MIN);
    const late = recordPoint(tick(registered(T0), after(T0, 21 * MIN)), 'acknowledged', at22, policy);
    expect(viewClocks(late, at22, policy).find((v) => v.id === 'H-01')).toMatchObject({
      status: 'met-late',
      metAt: at22,
      remainingMs: null,
    });
    expect(barOf(late, at22, 'H-01').state).toBe('met-late');
    expect(openRows([late], {}, at22, policy)[0]!.bars.map((b) => b.view.id)).not.toContain('H-01');
  });
});

describe('console list', () => {
  it('lists a complaint whose loop failed, first: a person must take it over (MIIT Order No. 35 still runs)', () => {
    const open = registered(T0);
    const failed: Complaint = { ...registered(after(T0, MIN)), id: 'c-failed01', status: 'failed' };
    const closed: Complaint = { ...registered(T0), id: 'c-closed01', status: 'closed' };
    const rows = openRows([open, closed, failed], {}, after(T0, 30 * MIN), policy);
    expect(rows.map((r) => r.complaint.id)).toEqual(['c-failed01', open.id]);
  });

  const network = registered(T0, { input: { serviceType: 'network' } });
  const security = {
    ...registered(after(T0, -30 * MIN), { input: { serviceType: 'information-security', requestId: 'req-2' }, severity: 'major' }),
    id: 'c-test0002',
  };
  const closed: Complaint = { ...registered(T0), id: 'c-test0003', status: 'closed' };

  it('lists open complaints only, most urgent (breached) first, with the active clocks only', () => {
    const now = after(T0, 10 * MIN);
    const rows = openRows([network, security, closed], {}, now, policy);
    expect(rows.map((r) => r.complaint.id)).toEqual(['c-test0002', 'c-test0001']);
    expect(rows[0]!.worst).toBe('breached');
    // H-11 is met at registration: not an active clock.
    expect(rows[1]!.bars.map((b) => b.view.id)).not.toContain('H-11');
    expect(rows[1]!.bars.map((b) => b.view.id)).toContain('H-01');
    expect(stateCounts(rows)).toEqual({ 'on-time': 1, warned: 0, breached: 1 });
  });

  it('filters by team, severity and service type', () => {
    const now = after(T0, 10 * MIN);
    const team = network.classification!.team;
    expect(openRows([network, security], { severity: 'major' }, now, policy).map((r) => r.complaint.id)).toEqual(['c-test0002']);
    expect(openRows([network, security], { serviceType: 'network' }, now, policy).map((r) => r.complaint.id)).toEqual(['c-test0001']);
    expect(openRows([network, security], { team }, now, policy).map((r) => r.complaint.id)).toContain('c-test0001');
  });

  it('reads filters from the query, empty meaning all', () => {
    expect(parseFilters({ team: 'customer-service', severity: '', serviceType: 'data' })).toEqual({
      team: 'customer-service',
      severity: undefined,
      serviceType: 'data',
    });
    expect(parseFilters(null)).toEqual({ team: undefined, severity: undefined, serviceType: undefined });
  });

  it('fails on an unknown filter value, naming the field', () => {
    expect(() => parseFilters({ severity: 'catastrophic', team: 'x' })).toThrow(InvalidFilterError);
    try {
      parseFilters({ severity: 'catastrophic', team: 'x' });
    } catch (e) {
      expect((e as InvalidFilterError).fields).toEqual(['team', 'severity']);
    }
  });
});
