import { describe, expect, it } from 'vitest';
import { customerKeyOf } from '../../functions/contract/table';
import { analysisClockStatus, countAuditTypes, toAnalysisRecord, toJsonLine } from '../../functions/domain/analysis';
import { SURVEY_CLOCK_ID } from '../../functions/domain/clocks';
import { answerSurvey, applyLifecycleEvent, close, markFailed, markResultNotified } from '../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../functions/domain/lifecycle-events';
import { containsPersonalData } from '../../functions/domain/masking';
import { DEFAULT_SLA_POLICY as P } from '../../functions/domain/sla-policy';
import type { ClockState, Complaint } from '../../functions/domain/types';
import { after, HOUR, MIN, registered } from './domain-fixtures';

const T0 = '2026-06-01T02:00:00.000Z'; // Monday 10:00 Asia/Shanghai
let seq = 0;
const ev = (type: string, extra: Record<string, unknown> = {}) =>
  ({ eventId: `e-${++seq}`, actor: 'agent-7', type, ...extra }) as LifecycleEvent;
const apply = (c: Complaint, type: string, at: string, extra: Record<string, unknown> = {}) =>
  applyLifecycleEvent(c, ev(type, extra), at, P).complaint;

const attribution = {
  description: '基站故障',
  scope: '3 号楼',
  occurredAt: '2026-05-31T12:00:00.000Z',
  affectedParty: '本用户',
  measures: '更换板卡',
};

/** Acknowledged at 5 min, dispatched at 30 min, resolved, notified, answered solved with `score`, closed. */
function closedComplaint(score: number): Complaint {
  let c = registered(T0, { input: { contact: { phone: '13812345678', email: 'zhang.san@example.com' }, customerId: '13812345678' } });
  c = apply(c, 'acknowledged', after(T0, 5 * MIN));
  c = apply(c, 'dispatched', after(T0, 30 * MIN), { owner: 'li.si', team: 'network-operations' });
  c = apply(c, 'investigated', after(T0, 2 * HOUR), { attribution });
  c = apply(c, 'responded', after(T0, 3 * HOUR), { opinion: '更换板卡', followUpOwner: 'li.si' });
  c = apply(c, 'resolved', after(T0, 4 * HOUR), { resolution: { what: '恢复', how: '换板卡', followUp: '' } });
  c = markResultNotified(c, after(T0, 4 * HOUR + MIN), P).complaint;
  c = answerSurvey(c, { solved: true, score }, after(T0, 5 * HOUR), P).complaint;
  return close(c, after(T0, 5 * HOUR), P).complaint;
}

describe('toAnalysisRecord (H-36 archive into quality-analysis data)', () => {
  it('flattens a closed complaint: classification, times, survey, first and handling response', () => {
    const c = closedComplaint(5);
    const r = toAnalysisRecord(c, { registered: 1, 'milestone-met': 4, closed: 1 });
    expect(r).toMatchObject({
      id: c.id,
      version: c.version,
      team: 'network-operations',
      channel: 'phone',
      service_type: 'network',
      source: 'external',
      received_at: T0,
      received_year: 2026,
      received_month: '2026-06',
      status: 'closed',
      closed_at: after(T0, 5 * HOUR),
      archived_at: after(T0, 5 * HOUR),
      failed_at: null,
      reopen_count: 0,
      escalation_level: 0,
      survey_answered: true,
      survey_no_answer: false,
      survey_solved: true,
      survey_score: 5,
      survey_satisfied: true,
      first_response_ms: 5 * MIN,
      handling_response_ms: 30 * MIN,
      audit_events: 6,
      audit_counts: { registered: 1, 'milestone-met': 4, closed: 1 },
    });
    expect(r.severity).toBe(c.classification!.severity);
    expect(r.type).toBe(c.classification!.type);
    expect(r.classification_reasons).toEqual(c.classification!.reasons);
  });

  it('keeps every handling clock with its status, deadline and explanation, and leaves out the survey window', () => {
    const c = closedComplaint(5);
    const r = toAnalysisRecord(c, {});
    const ids = Object.keys(c.clocks)
      .filter((id) => id !== SURVEY_CLOCK_ID)
      .sort();
    expect(r.clocks.map((k) => k.clock_id)).toEqual(ids);
    const h01 = r.clocks.find((k) => k.clock_id === 'H-01')!;
    expect(h01).toEqual({
      clock_id: 'H-01',
      status: 'met',
      started_at: c.clocks['H-01']!.startedAt,
      deadline: c.clocks['H-01']!.deadline,
      met_at: after(T0, 5 * MIN),
      breached_at: null,
      paused_ms: 0,
      explanation: c.clocks['H-01']!.explanation,
    });
    expect(h01.explanation.length).toBeGreaterThan(0);
  });

  it('carries no contact details: the customer is a hash, equal to the table index key', () => {
    const c = closedComplaint(5);
    const line = toJsonLine(toAnalysisRecord(c, {}));
    expect(line).not.toContain('13812345678');
    expect(line).not.toContain('zhang.san');
    expect(containsPersonalData(line)).toBe(false);
    expect(JSON.parse(line).customer_key).toBe(customerKeyOf('13812345678'));
    expect(line.endsWith('}\n')).toBe(true);
  });

  it('a low score counts as answered and not satisfied, even when solved', () => {
    const r = toAnalysisRecord(closedComplaint(3), {});
    expect(r).toMatchObject({ survey_answered: true, survey_solved: true, survey_score: 3, survey_satisfied: false });
  });

  it('a failed complaint is archived at its failure, with its clocks still running and no survey', () => {
    const c = markFailed(registered(T0), after(T0, 2 * MIN), 'workflow error').complaint;
    const r = toAnalysisRecord(c, countAuditTypes(['registered', 'failed', 'failed']));
    expect(r).toMatchObject({
      status: 'failed',
      failed_at: after(T0, 2 * MIN),
      archived_at: after(T0, 2 * MIN),
      closed_at: null,
      survey_answered: false,
      survey_solved: null,
      survey_satisfied: null,
      first_response_ms: null,
      handling_response_ms: null,
      audit_events: 3,
      audit_counts: { registered: 1, failed: 2 },
    });
    expect(r.clocks.find((k) => k.clock_id === 'H-01')).toMatchObject({ status: 'running', met_at: null });
  });

  it('an open complaint has no archive instant and the local receipt month of the policy time zone', () => {
    // 2026-06-30 17:00 UTC is 1 July 01:00 in Shanghai.
    const r = toAnalysisRecord(registered('2026-06-30T17:00:00.000Z'), {});
    expect(r).toMatchObject({ status: 'open', archived_at: null, received_month: '2026-07', received_year: 2026 });
  });
});

describe('analysisClockStatus', () => {
  const base: ClockState = {
    id: 'H-01',
    startedAt: T0,
    deadline: after(T0, 20 * MIN),
    warnAt: [],
    warningsSent: [],
    status: 'running',
    pausedMs: 0,
    escalations: [],
    explanation: '',
  };
  it.each([
    [{ status: 'met' }, 'met'],
    [{ status: 'met', breachedAt: after(T0, 20 * MIN) }, 'met-late'],
    [{ status: 'met-late', breachedAt: after(T0, 20 * MIN) }, 'met-late'],
    [{ status: 'breached', breachedAt: after(T0, 20 * MIN) }, 'breached'],
    [{ status: 'running', breachedAt: after(T0, 20 * MIN) }, 'breached'],
    [{ status: 'paused' }, 'running'],
    [{ status: 'running' }, 'running'],
  ] as const)('%o → %s', (over, expected) => {
    expect(analysisClockStatus({ ...base, ...over })).toBe(expected);
  });
});
