import { describe, expect, it } from 'vitest';
import { dueClockEvents } from '../../functions/domain/clocks';
import { EventNotAllowedError, InvalidEventError } from '../../functions/domain/errors';
import { answerSurvey, applyLifecycleEvent, close, markFailed, markResultNotified } from '../../functions/domain/lifecycle';
import { type LifecycleEvent, lifecycleEventSchema } from '../../functions/domain/lifecycle-events';
import { DEFAULT_SLA_POLICY as P, resolveSlaPolicy, type SlaPolicy } from '../../functions/domain/sla-policy';
import type { Complaint } from '../../functions/domain/types';
import { after, deepFreeze, HOUR, MIN, registered } from './domain-fixtures';

const T0 = '2026-06-01T02:00:00.000Z'; // Monday 10:00 Asia/Shanghai
let seq = 0;
const ev = <T extends LifecycleEvent['type']>(type: T, extra: Record<string, unknown> = {}) =>
  ({ eventId: `e-${++seq}`, actor: 'agent-7', type, ...extra }) as Extract<LifecycleEvent, { type: T }>;
const reclassified = (extra: Record<string, unknown>) => ev('reclassified', { actor: 'lead.zhao', reason: '回访发现整栋楼断网', ...extra });
const apply = (c: Complaint, e: LifecycleEvent, at: string, policy: SlaPolicy = P) => applyLifecycleEvent(c, e, at, policy);

const attribution = { description: 'd', scope: 's', occurredAt: T0, affectedParty: 'a', measures: 'm' };
const resolution = { what: '恢复', how: '更换板卡', followUp: '' };

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** A general complaint that got through first contact and investigation. */
function investigatedGeneral(policy: SlaPolicy = P): Complaint {
  let c = registered(T0, { severity: 'general', policy });
  c = apply(c, ev('acknowledged'), after(T0, 5 * MIN), policy).complaint;
  c = apply(c, ev('dispatched', { owner: 'li.si', team: 'network-operations' }), after(T0, 10 * MIN), policy).complaint;
  return apply(c, ev('investigated', { attribution }), after(T0, HOUR), policy).complaint;
}

describe('reclassified (H-21, H-23): a person corrects the classification', () => {
  it('H-06: found major 3 h after registration, the 2 h clock starts from registration and is already due for escalation', () => {
    const c = deepFreeze(investigatedGeneral());
    expect(c.clocks['H-06']).toBeUndefined();
    const r = apply(c, reclassified({ severity: 'major' }), after(T0, 3 * HOUR));
    expect(r).toMatchObject({ clocksChanged: true, milestoneMet: false });
    expect(r.complaint.classification).toMatchObject({ severity: 'major', type: 'major', management: true, complexity: 'complex' });
    expect(r.complaint.clocks['H-06']).toMatchObject({ status: 'running', startedAt: T0, deadline: after(T0, 2 * HOUR) });
    const due = dueClockEvents(r.complaint, after(T0, 3 * HOUR), P);
    expect(due).toContainEqual({ clockId: 'H-06', kind: 'escalation', level: 1, to: 'supervisor', dueAt: after(T0, 2 * HOUR) });
    expect(r.audit.map((a) => a.type)).toEqual(['reclassified', 'clock-started']);
    expect(r.audit[0]).toMatchObject({
      actor: 'lead.zhao',
      detail: {
        reason: '回访发现整栋楼断网',
        before: { severity: 'general', type: 'general', management: false, complexity: 'simple' },
        after: { severity: 'major', type: 'major', management: true, complexity: 'complex' },
      },
    });
    expect(r.complaint.classification!.reasons[0]).toMatch(/reclassified by lead\.zhao at .* \(was network, general\)/);
    expect(r.complaint.classification!.reasons.join(' ')).not.toContain('回访发现整栋楼断网');
  });

  it('H-06: found major after service was restored, the clock is recorded as met late', () => {
    let c = investigatedGeneral();
    c = apply(c, ev('service-restored'), after(T0, 5 * HOUR)).complaint;
    const r = apply(c, reclassified({ complaintType: 'major' }), after(T0, 6 * HOUR));
    expect(r.complaint.classification!.severity).toBe('major');
    expect(r.complaint.clocks['H-06']).toMatchObject({ status: 'met-late', metAt: after(T0, 5 * HOUR), breachedAt: after(T0, 2 * HOUR) });
    expect(r.audit.map((a) => a.type)).toEqual(['reclassified', 'clock-started', 'clock-met-late']);
  });

  it('H-06: major found general withdraws the running 2 h clock, and management and complexity follow', () => {
    const c = registered(T0, { severity: 'major', complexity: 'complex' });
    expect(c.clocks['H-06']!.status).toBe('running');
    const r = apply(c, reclassified({ severity: 'general', reason: '仅一户受影响' }), after(T0, 30 * MIN));
    expect(r.complaint.clocks['H-06']).toBeUndefined();
    expect(r.complaint.classification).toMatchObject({ severity: 'general', type: 'general', management: false, complexity: 'simple' });
    expect(r.audit[1]).toMatchObject({
      type: 'clock-withdrawn',
      detail: { clockId: 'H-06', deadline: after(T0, 2 * HOUR), status: 'running' },
    });
    expect(dueClockEvents(r.complaint, after(T0, 3 * HOUR), P).some((e) => e.clockId === 'H-06')).toBe(false);
  });

  it('keeps a met H-06 when a major complaint is found general after it was handled', () => {
    let c = registered(T0, { severity: 'major', complexity: 'complex' });
    c = apply(c, ev('acknowledged'), after(T0, 5 * MIN)).complaint;
    c = apply(c, ev('dispatched', { owner: 'li.si', team: 'network-operations' }), after(T0, 10 * MIN)).complaint;
    c = apply(c, ev('investigated', { attribution }), after(T0, 30 * MIN)).complaint;
    c = apply(c, ev('service-restored'), after(T0, HOUR)).complaint;
    const r = apply(c, reclassified({ severity: 'minor' }), after(T0, 2 * HOUR));
    expect(r.complaint.clocks['H-06']).toEqual(c.clocks['H-06']);
    expect(r.audit.map((a) => a.type)).toEqual(['reclassified']);
  });

  it('H-24: a corrected service type moves the team before dispatch, not after', () => {
    const fresh = registered(T0, { input: { serviceType: 'device', description: '光猫坏了' } });
    expect(fresh.team ?? fresh.classification!.team).toBe('customer-service');
    const before = apply(fresh, reclassified({ serviceType: 'network' }), after(T0, 2 * MIN)).complaint;
    expect(before.team).toBe('network-operations');
    expect(before.classification).toMatchObject({ serviceType: 'network', team: 'network-operations' });
    expect(before.serviceType).toBe('device'); // what the caller sent stays on record

    const dispatched = apply(fresh, ev('dispatched', { owner: 'wang', team: 'customer-service' }), after(T0, 3 * MIN)).complaint;
    const after_ = apply(dispatched, reclassified({ serviceType: 'data' }), after(T0, 4 * MIN)).complaint;
    expect(after_.team).toBe('customer-service');
    expect(after_.classification!.team).toBe('network-operations');
  });

  it('a pausable severity-bound clock started late moves by the pauses before it, and is frozen while paused', () => {
    const policy = resolveSlaPolicy({ clocks: { 'H-13': { appliesTo: ['major', 'urgent'] } } });
    let c = registered(T0, { severity: 'general', policy });
    expect(c.clocks['H-13']).toBeUndefined();
    c = apply(c, ev('paused', { reason: '客户出差' }), after(T0, HOUR), policy).complaint;
    c = apply(c, ev('resumed'), after(T0, 3 * HOUR), policy).complaint;
    c = apply(c, ev('paused', { reason: '等待客户' }), after(T0, 4 * HOUR), policy).complaint;
    const r = apply(c, reclassified({ severity: 'urgent' }), after(T0, 5 * HOUR), policy);
    expect(r.complaint.clocks['H-13']).toMatchObject({
      status: 'paused',
      startedAt: T0,
      deadline: after(T0, 26 * HOUR),
      pausedMs: 2 * HOUR,
    });
    const resumed = apply(r.complaint, ev('resumed'), after(T0, 6 * HOUR), policy).complaint;
    expect(resumed.clocks['H-13']).toMatchObject({ status: 'running', deadline: after(T0, 28 * HOUR) });
  });

  it('is accepted while paused and while the survey is open', () => {
    const paused = apply(registered(T0), ev('paused', { reason: 'x' }), after(T0, HOUR)).complaint;
    expect(apply(paused, reclassified({ severity: 'urgent' }), after(T0, 2 * HOUR)).complaint.classification!.severity).toBe('urgent');
    let c = investigatedGeneral();
    c = apply(c, ev('responded', { opinion: 'o' }), after(T0, 2 * HOUR)).complaint;
    c = apply(c, ev('resolved', { resolution }), after(T0, 3 * HOUR)).complaint;
    c = markResultNotified(c, after(T0, 3 * HOUR), P).complaint;
    expect(c.status).toBe('surveying');
    expect(apply(c, reclassified({ severity: 'minor' }), after(T0, 4 * HOUR)).complaint.classification!.severity).toBe('minor');
  });

  it('fails on a closed or failed complaint, expecting only an improvement measure (H-36)', () => {
    let c = investigatedGeneral();
    c = apply(c, ev('responded', { opinion: 'o' }), after(T0, 2 * HOUR)).complaint;
    c = apply(c, ev('resolved', { resolution }), after(T0, 3 * HOUR)).complaint;
    c = markResultNotified(c, after(T0, 3 * HOUR), P).complaint;
    const closed = close(answerSurvey(c, { solved: true }, after(T0, 4 * HOUR), P).complaint, after(T0, 4 * HOUR), P).complaint;
    const failed = markFailed(registered(T0), after(T0, HOUR), 'States.TaskFailed').complaint;
    for (const x of [closed, failed]) {
      const e = caught(() => apply(x, reclassified({ severity: 'major' }), after(T0, 5 * HOUR))) as EventNotAllowedError;
      expect(e).toBeInstanceOf(EventNotAllowedError);
      expect(e.expected).toEqual(['improvement']);
    }
  });

  it('fails when nothing changes, and when severity and type disagree', () => {
    const c = registered(T0, { severity: 'general' });
    const same = caught(() => apply(c, reclassified({ severity: 'general' }), after(T0, MIN))) as InvalidEventError;
    expect(same).toBeInstanceOf(InvalidEventError);
    expect(same.message).toMatch(/nothing to correct/);
    const clash = caught(() => apply(c, reclassified({ severity: 'urgent', complaintType: 'major' }), after(T0, MIN))) as InvalidEventError;
    expect(clash.issues).toEqual([{ path: 'complaintType', message: expect.stringContaining('expected urgent') }]);
  });

  it('fails validation without a correction or without a reason', () => {
    const none = lifecycleEventSchema.safeParse({ eventId: 'e', actor: 'a', type: 'reclassified', reason: 'r' });
    expect(none.success).toBe(false);
    expect(none.error!.issues[0]).toMatchObject({ path: ['severity'], message: expect.stringMatching(/at least one/) });
    const noReason = lifecycleEventSchema.safeParse({ eventId: 'e', actor: 'a', type: 'reclassified', severity: 'major' });
    expect(noReason.success).toBe(false);
    expect(noReason.error!.issues.map((i) => i.path.join('.'))).toContain('reason');
    expect(
      lifecycleEventSchema.safeParse({ eventId: 'e', actor: 'a', type: 'reclassified', complaintType: 'urgent', reason: 'r' }).success,
    ).toBe(true);
  });
});
