/**
 * The deadline preview (functions/domain/preview.ts): a timeline in, every clock out. Expected
 * instants are written out from the handbook's durations and the State Council calendar, not
 * computed by the code under test. Times: Asia/Shanghai is UTC+8.
 */
import { describe, expect, it } from 'vitest';
import { viewClocks } from '../../functions/domain/clocks';
import { answerSurvey, applyLifecycleEvent, close, markResultNotified, reopen } from '../../functions/domain/lifecycle';
import type { LifecycleEvent } from '../../functions/domain/lifecycle-events';
import { type Preview, PreviewInputError, previewTimeline, type TimelineInput } from '../../functions/domain/preview';
import { DEFAULT_SLA_POLICY as P, resolveSlaPolicy } from '../../functions/domain/sla-policy';
import type { Complaint } from '../../functions/domain/types';
import { intake, registered } from './domain-fixtures';

const clock = (p: Preview, id: string) => {
  const c = p.clocks.find((x) => x.id === id);
  if (!c) throw new Error(`no clock ${id} in the preview`);
  return c;
};

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof PreviewInputError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a PreviewInputError');
}

const network = { serviceType: 'network', channel: 'phone', description: '家里宽带断了' } as const;

describe('H-12 across National Day 2026', () => {
  // Registered Wednesday 30 September 09:00; 1-7 October are holidays, 8 and 9 October working
  // days, Saturday 10 October a make-up working day.
  const p = previewTimeline({ ...network, receivedAt: '2026-09-30T01:00:00Z', asOf: '2026-10-13T00:00:00Z' }, P);

  it('is due at 09:00 on the second working day after the holiday week (9 October)', () => {
    expect(clock(p, 'H-12')).toMatchObject({
      start: '2026-09-30T01:00:00.000Z',
      stop: null,
      deadline: '2026-10-09T01:00:00.000Z',
      status: 'breached',
    });
    expect(clock(p, 'H-12').explanation).toContain('H-12');
  });

  it('climbs its ladder in working days too, counting the make-up Saturday: level 2 on Monday 12 October', () => {
    expect(clock(p, 'H-12').escalations).toEqual([
      { level: 1, to: 'supervisor', at: '2026-10-09T01:00:00.000Z', reached: true },
      { level: 2, to: 'management', at: '2026-10-12T01:00:00.000Z', reached: true },
    ]);
  });

  it('H-06 does not start for a general complaint, and says why', () => {
    expect(p.clocks.some((c) => c.id === 'H-06')).toBe(false);
    expect(p.notStarted.find((n) => n.id === 'H-06')?.reason).toMatch(/major\/urgent severity only/);
  });
});

describe('H-14 closed loop (72 h, pausable) with a pause over a weekend', () => {
  // Registered Friday 5 June 10:00; paused Saturday 10:00 → Monday 10:00 (48 h); closed Thursday 11 June 10:00.
  const timeline: TimelineInput = {
    ...network,
    receivedAt: '2026-06-05T02:00:00Z',
    events: [
      { type: 'acknowledged', at: '2026-06-05T02:05:00Z' },
      { type: 'dispatched', at: '2026-06-05T02:10:00Z' },
      { type: 'paused', at: '2026-06-06T02:00:00Z', reason: 'the customer is away until Monday' },
      { type: 'resumed', at: '2026-06-08T02:00:00Z' },
      { type: 'investigated', at: '2026-06-08T03:00:00Z' },
      { type: 'responded', at: '2026-06-08T04:00:00Z' },
      { type: 'resolved', at: '2026-06-11T02:00:00Z' },
      { type: 'result-notified', at: '2026-06-11T02:00:00Z' },
      { type: 'survey-answered', at: '2026-06-11T02:00:00Z' },
      { type: 'closed', at: '2026-06-11T02:00:00Z' },
    ],
  };
  const p = previewTimeline(timeline, P);

  it('is due 72 h plus the 48 h paused after registration, and met late at close: met-late, not met', () => {
    expect(clock(p, 'H-14')).toMatchObject({
      start: '2026-06-05T02:00:00.000Z',
      deadline: '2026-06-10T02:00:00.000Z',
      stop: '2026-06-11T02:00:00.000Z',
      status: 'met-late',
    });
    expect(clock(p, 'H-14').warnings).toEqual(['2026-06-09T08:00:00.000Z']);
    expect(clock(p, 'H-14').escalations).toEqual([{ level: 1, to: 'supervisor', at: '2026-06-10T02:00:00.000Z', reached: true }]);
    expect(clock(p, 'H-14').explanation).toMatch(/paused/);
    expect(p.complaintStatus).toBe('closed');
  });

  it('H-01 and H-05 met in time; the never-pausing H-11 ignores the pause', () => {
    expect(clock(p, 'H-01')).toMatchObject({ status: 'met', stop: '2026-06-05T02:05:00.000Z', escalations: [] });
    expect(clock(p, 'H-05')).toMatchObject({ status: 'met', stop: '2026-06-05T02:10:00.000Z' });
    expect(clock(p, 'H-11')).toMatchObject({ status: 'met', deadline: '2026-06-06T02:00:00.000Z' });
  });
});

describe('MIIT 15 days (Order No. 35), never pauses', () => {
  const p = previewTimeline(
    {
      ...network,
      receivedAt: '2026-06-01T00:00:00Z',
      events: [{ type: 'paused', at: '2026-06-02T00:00:00Z', reason: 'waiting for the customer' }],
      asOf: '2026-06-10T00:00:00Z',
    },
    P,
  );

  it('runs through a pause, warns at 50 % and 80 %, and would reach management at 15 days and again a day later', () => {
    expect(clock(p, 'MIIT-15D')).toMatchObject({
      status: 'running',
      deadline: '2026-06-16T00:00:00.000Z',
      warnings: ['2026-06-08T12:00:00.000Z', '2026-06-13T00:00:00.000Z'],
      escalations: [
        { level: 1, to: 'management', at: '2026-06-16T00:00:00.000Z', reached: false },
        { level: 2, to: 'management', at: '2026-06-17T00:00:00.000Z', reached: false },
      ],
    });
  });

  it('leaves the pausable clocks paused, their deadlines not yet moved', () => {
    expect(clock(p, 'H-14')).toMatchObject({ status: 'paused', deadline: '2026-06-04T00:00:00.000Z' });
  });
});

describe('H-33: a survey left unanswered', () => {
  it('closes by itself after 3 days, as the workflow does, and closes the complaint', () => {
    const p = previewTimeline(
      {
        ...network,
        receivedAt: '2026-06-01T00:00:00Z',
        events: [
          { type: 'resolved', at: '2026-06-01T06:00:00Z' },
          { type: 'result-notified', at: '2026-06-01T07:00:00Z' },
        ],
        asOf: '2026-06-10T00:00:00Z',
      },
      P,
    );
    expect(p.notes).toEqual(['2026-06-04T07:00:00.000Z: the survey closed unanswered (H-33) and the complaint closed']);
    expect(p.complaintStatus).toBe('closed');
    expect(clock(p, 'H-33-survey')).toMatchObject({ stop: '2026-06-04T07:00:00.000Z', warnings: ['2026-06-02T07:00:00.000Z'] });
    expect(clock(p, 'H-08')).toMatchObject({ status: 'met', stop: '2026-06-01T07:00:00.000Z' });
  });
});

describe('a policy override', () => {
  it('H-01 at 30 minutes: the deadline follows the carrier policy', () => {
    const policy = resolveSlaPolicy({ version: 'carrier-1', clocks: { 'H-01': { duration: 'PT30M' } } });
    const p = previewTimeline({ ...network, receivedAt: '2026-06-01T00:00:00Z' }, policy);
    expect(p.policyVersion).toBe('carrier-1');
    expect(clock(p, 'H-01').deadline).toBe('2026-06-01T00:30:00.000Z');
  });
});

describe('bad timelines', () => {
  it('fails naming each bad field', () => {
    const issues = issuesOf(() =>
      previewTimeline(
        { serviceType: 'cable', channel: 'phone', receivedAt: 'yesterday', events: [{ type: 'fixed', at: '2026-06-01T00:00:00Z' }] },
        P,
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['serviceType', 'receivedAt', 'events.0.type']);
  });

  it('fails on events out of order, before receipt, or an asOf before the last event', () => {
    const issues = issuesOf(() =>
      previewTimeline(
        {
          ...network,
          receivedAt: '2026-06-01T00:00:00Z',
          events: [
            { type: 'acknowledged', at: '2026-06-01T01:00:00Z' },
            { type: 'dispatched', at: '2026-06-01T00:30:00Z' },
            { type: 'investigated', at: '2026-05-31T00:00:00Z' },
          ],
          asOf: '2026-06-01T00:10:00Z',
        },
        P,
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['events.1.at', 'events.2.at', 'events.2.at', 'asOf']);
  });

  it('fails on a lifecycle point while paused, a pause without a reason, and a resume that is not paused', () => {
    const at = (h: number) => `2026-06-01T0${h}:00:00Z`;
    const base = { ...network, receivedAt: at(0) };
    expect(
      issuesOf(() =>
        previewTimeline(
          {
            ...base,
            events: [
              { type: 'paused', at: at(1), reason: 'r' },
              { type: 'investigated', at: at(2) },
            ],
          },
          P,
        ),
      ),
    ).toEqual([{ path: 'events.1.type', message: "'investigated' while the complaint is paused (resume it first)" }]);
    expect(issuesOf(() => previewTimeline({ ...base, events: [{ type: 'paused', at: at(1) }] }, P))[0]!.path).toBe('events.0.reason');
    expect(issuesOf(() => previewTimeline({ ...base, events: [{ type: 'resumed', at: at(1) }] }, P))[0]!.path).toBe('events.0.type');
  });

  it('fails on an event after the complaint closed', () => {
    const issues = issuesOf(() =>
      previewTimeline(
        {
          ...network,
          receivedAt: '2026-06-01T00:00:00Z',
          events: [
            { type: 'closed', at: '2026-06-02T00:00:00Z' },
            { type: 'reopened', at: '2026-06-03T00:00:00Z' },
          ],
        },
        P,
      ),
    );
    expect(issues).toEqual([{ path: 'events.1.type', message: "'reopened' after the complaint closed" }]);
  });
});

describe('the preview agrees with the running lifecycle', () => {
  // One major complaint driven through the lifecycle functions the handlers call, with a pause and
  // a reopen, and the same timeline previewed: every clock must come out the same.
  const T0 = '2026-06-01T02:00:00.000Z';
  const at = (h: number, m = 0) => new Date(Date.parse(T0) + h * 3_600_000 + m * 60_000).toISOString();
  const attribution = { description: 'd', scope: 's', occurredAt: '2026-05-31T12:00:00.000Z', affectedParty: 'a', measures: 'm' };
  const resolution = { what: 'w', how: 'h', followUp: '' };
  let seq = 0;
  const event = (type: string, extra: Record<string, unknown> = {}) =>
    ({ eventId: `e-${++seq}`, actor: 'agent', type, ...extra }) as LifecycleEvent;

  function lifecycleRun(): Complaint {
    let c = registered(T0, { severity: 'major' });
    const steps: [LifecycleEvent, string][] = [
      [event('acknowledged'), at(0, 5)],
      [event('dispatched', { owner: 'li', team: 'network-operations' }), at(0, 10)],
      [event('paused', { reason: 'customer away' }), at(1)],
      [event('resumed'), at(3)],
      [event('investigated', { attribution }), at(20)],
      [event('responded', { opinion: 'o', followUpOwner: 'li' }), at(22)],
      [event('resolved', { resolution }), at(30)],
    ];
    for (const [e, when] of steps) c = applyLifecycleEvent(c, e, when, P).complaint;
    c = markResultNotified(c, at(30, 1), P).complaint;
    c = reopen(answerSurvey(c, { solved: false }, at(36), P).complaint, at(36), P).complaint;
    c = applyLifecycleEvent(c, event('responded', { opinion: 'again', followUpOwner: 'li' }), at(40), P).complaint;
    c = applyLifecycleEvent(c, event('resolved', { resolution }), at(44), P).complaint;
    c = markResultNotified(c, at(44), P).complaint;
    return close(answerSurvey(c, { solved: true, score: 5 }, at(60), P).complaint, at(60), P).complaint;
  }

  const timeline: TimelineInput = {
    serviceType: 'network',
    channel: 'phone',
    severity: 'major',
    description: intake().description,
    receivedAt: T0,
    events: [
      { type: 'acknowledged', at: at(0, 5) },
      { type: 'dispatched', at: at(0, 10) },
      { type: 'paused', at: at(1), reason: 'customer away' },
      { type: 'resumed', at: at(3) },
      { type: 'investigated', at: at(20) },
      { type: 'responded', at: at(22) },
      { type: 'resolved', at: at(30) },
      { type: 'result-notified', at: at(30, 1) },
      { type: 'survey-answered', at: at(36) },
      { type: 'reopened', at: at(36) },
      { type: 'responded', at: at(40) },
      { type: 'resolved', at: at(44) },
      { type: 'result-notified', at: at(44) },
      { type: 'survey-answered', at: at(60) },
      { type: 'closed', at: at(60) },
    ],
  };

  it('gives every clock the same start, deadline, stop and status as the lifecycle (H-06 met late included)', () => {
    const run = lifecycleRun();
    const preview = previewTimeline(timeline, P);
    const fromRun = viewClocks(run, at(60), P).map((v) => [v.id, v.startedAt, v.deadline, v.metAt ?? null, v.status]);
    const fromPreview = preview.clocks.map((c) => [c.id, c.start, c.deadline, c.stop, c.status]);
    expect(fromPreview).toEqual(fromRun);
    expect(clock(preview, 'H-06').status).toBe('met-late');
    expect(preview.clocks.map((c) => c.id)).toContain('H-34');
  });
});
