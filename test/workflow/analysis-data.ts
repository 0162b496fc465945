/**
 * Complaints for the analysis test, built with the domain functions the handlers call (classify,
 * register, lifecycle events, clock events, survey, reopen, close, fail) over a year of receipt
 * times, so the export has thousands of varied records without running every one through the
 * engine. A seeded generator keeps the data the same from run to run.
 */
import { classify } from '../../functions/domain/classify';
import { applyClockEvents, clockEventsAudit, dueClockEvents } from '../../functions/domain/clocks';
import {
  answerSurvey,
  applyLifecycleEvent,
  close,
  expireSurvey,
  type LifecycleResult,
  markFailed,
  markResultNotified,
  newComplaint,
  register,
  reopen,
} from '../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../functions/domain/lifecycle-events';
import { DEFAULT_SLA_POLICY as P } from '../../functions/domain/sla-policy';
import { type AuditEvent, CHANNELS, type Complaint, SERVICE_TYPES, SOURCES } from '../../functions/domain/types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface Generated {
  readonly complaint: Complaint;
  readonly auditCounts: Record<string, number>;
}

/** Mulberry32: small, seeded, good enough to spread test data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DESCRIPTIONS = [
  '家里宽带晚上经常断线 / broadband drops every evening',
  '手机信号很差 / weak mobile signal',
  '流量扣费异常 / data charged wrongly',
  '账号疑似被盗 / account seems stolen',
];
const attribution = {
  description: '板卡故障',
  scope: '小区',
  occurredAt: '2026-01-01T00:00:00.000Z',
  affectedParty: '宽带用户',
  measures: '更换板卡',
};
const resolution = { what: '宽带断线', how: '更换板卡', followUp: '' };

/** One life: the complaint, and every audit line its steps wrote, applied in time order. */
class Life {
  private audit: AuditEvent[] = [];
  private seq = 0;
  constructor(public c: Complaint) {}

  private take(r: LifecycleResult): void {
    this.c = r.complaint;
    this.audit.push(...r.audit);
  }

  /** The clocks' warnings and escalations due by `at` (what the sweep and timers do). */
  tick(at: string): void {
    const due = dueClockEvents(this.c, at, P);
    if (due.length === 0) return;
    this.c = applyClockEvents(this.c, due, at);
    this.audit.push(...clockEventsAudit(due, at));
  }

  event(type: string, at: string, fields: Record<string, unknown> = {}): void {
    this.tick(at);
    const e = { eventId: `${this.c.id}-${++this.seq}`, actor: 'agent-7', type, ...fields } as LifecycleEvent;
    this.take(applyLifecycleEvent(this.c, e, at, P));
  }

  step(at: string, fn: (c: Complaint) => LifecycleResult): void {
    this.tick(at);
    this.take(fn(this.c));
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const a of this.audit) counts[a.type] = (counts[a.type] ?? 0) + 1;
    return counts;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `count` complaints received from late 2025 to early 2027 (most in 2026), by `customers` customers. */
export function generateComplaints(count: number, opts: { seed?: number; customers?: number } = {}): Generated[] {
  const rnd = seeded(opts.seed ?? 18);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.parse('2025-12-20T00:00:00.000Z');
  const span = Date.parse('2027-01-10T00:00:00.000Z') - start;
  const out: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = start + Math.floor(rnd() * span);
    out.push(oneLife(i, t0, rnd, pick, opts.customers ?? Math.ceil(count * 0.7)));
  }
  return out;
}

function oneLife(i: number, t0: number, rnd: () => number, pick: <T>(xs: readonly T[]) => T, customers: number): Generated {
  const input = {
    requestId: `gen-${i}`,
    customerId: `gen-cust-${Math.floor(rnd() * customers)}`,
    contact: { phone: '13900139000', email: `gen${i}@example.net` },
    channel: pick(CHANNELS),
    source: pick(SOURCES),
    serviceType: pick(SERVICE_TYPES),
    description: pick(DESCRIPTIONS),
    occurredAt: iso(t0 - HOUR),
  };
  const life = new Life({
    ...newComplaint(input, { id: `c-gen${String(i).padStart(6, '0')}`, receivedAt: iso(t0), policyVersion: P.version }),
    classification: classify(input),
  });
  life.step(iso(t0), (c) => register(c, iso(t0), P));
  const at = (ms: number) => iso(t0 + ms);
  const ack = pick([2 * MIN, 8 * MIN, 15 * MIN, 19 * MIN, 35 * MIN, 3 * HOUR]);
  const fate = rnd();
  if (fate < 0.04) {
    life.step(at(ack), (c) => markFailed(c, at(ack), 'generated failure'));
    return { complaint: life.c, auditCounts: life.counts() };
  }
  const dispatch = ack + pick([-MIN, 5 * MIN, 30 * MIN, 2 * HOUR]);
  life.event('acknowledged', at(ack));
  life.event('dispatched', at(Math.max(ack, dispatch)), { owner: 'li.wei', team: pick(['network-operations', 'customer-service']) });
  if (fate < 0.08) return { complaint: life.c, auditCounts: life.counts() };
  let t = Math.max(ack, dispatch) + pick([2 * HOUR, 20 * HOUR, 60 * HOUR]);
  life.event('investigated', at(t), { attribution });
  t += pick([HOUR, 10 * HOUR, 40 * HOUR]);
  life.event('responded', at(t), { opinion: '更换板卡', followUpOwner: 'li.wei' });
  t += pick([HOUR, 5 * HOUR, 30 * HOUR]);
  life.event('resolved', at(t), { resolution });
  t = surveyRound(life, t, rnd, pick);
  return { complaint: life.c, auditCounts: life.counts() };
}

/** Result notice, then the survey: answered (maybe not solved, then handled again) or left unanswered. */
function surveyRound(life: Life, t: number, rnd: () => number, pick: <T>(xs: readonly T[]) => T): number {
  const at = (ms: number) => iso(Date.parse(life.c.receivedAt) + ms);
  t += MIN;
  life.step(at(t), (c) => markResultNotified(c, at(t), P));
  t += pick([HOUR, 20 * HOUR]);
  const r = rnd();
  if (r < 0.1) {
    t += 3 * DAY;
    life.step(at(t), (c) => expireSurvey(c, at(t)));
  } else if (r < 0.2 && life.c.reopenCount < 2) {
    life.step(at(t), (c) => answerSurvey(c, { solved: false, score: pick([1, 2]) }, at(t), P));
    life.step(at(t), (c) => reopen(c, at(t), P));
    t += pick([HOUR, 30 * HOUR]);
    life.event('responded', at(t), { opinion: '再次处理', followUpOwner: 'li.wei' });
    t += HOUR;
    life.event('resolved', at(t), { resolution });
    return surveyRound(life, t, rnd, pick);
  } else {
    life.step(at(t), (c) => answerSurvey(c, { solved: true, score: pick([5, 5, 5, 5, 4, 4, 3]) }, at(t), P));
  }
  life.step(at(t), (c) => close(c, at(t), P));
  return t;
}
