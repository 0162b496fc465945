import { describe, expect, it } from 'vitest';
import { CALENDAR_COVERAGE } from '../../functions/domain/calendar';
import { SlaPolicyError } from '../../functions/domain/errors';
import { clockDurationFor, clockStopsAt, DEFAULT_SLA_POLICY, findClockPolicy, resolveSlaPolicy } from '../../functions/domain/sla-policy';
import { registered } from './domain-fixtures';

/** The default clocks as the handbook defines them (H-IDs from the handbook README). */
const EXPECTED = [
  { id: 'H-11', starts: 'registered', stops: ['registered'], duration: 'PT24H', calendar: 'wall-clock', pausable: false },
  { id: 'H-05', starts: 'registered', stops: ['dispatched'], from: 'received', duration: 'PT15M', calendar: 'wall-clock', pausable: false },
  {
    id: 'H-01',
    starts: 'registered',
    stops: ['acknowledged'],
    from: 'received',
    duration: 'PT20M',
    calendar: 'wall-clock',
    pausable: false,
  },
  { id: 'H-10-investigation', starts: 'registered', stops: ['investigated'], duration: 'PT72H', calendar: 'wall-clock', pausable: true },
  { id: 'H-12', starts: 'registered', stops: ['investigated'], duration: { workingDays: 2 }, calendar: 'cn-working-days', pausable: true },
  { id: 'H-13', starts: 'registered', stops: ['response-notified'], duration: 'PT24H', calendar: 'wall-clock', pausable: true },
  { id: 'H-10-handling-opinion', starts: 'registered', stops: ['responded'], duration: 'PT48H', calendar: 'wall-clock', pausable: true },
  { id: 'H-06', starts: 'registered', stops: ['service-restored', 'resolved'], duration: 'PT2H', calendar: 'wall-clock', pausable: false },
  { id: 'H-02', starts: 'registered', stops: ['resolved'], duration: 'PT48H', calendar: 'wall-clock', pausable: true },
  { id: 'H-14', starts: 'registered', stops: ['result-notified'], duration: 'PT72H', calendar: 'wall-clock', pausable: true },
  { id: 'H-08', starts: 'resolved', stops: ['result-notified'], duration: 'PT24H', calendar: 'wall-clock', pausable: false },
  { id: 'H-34', starts: 'reopened', stops: ['responded'], duration: 'PT48H', calendar: 'wall-clock', pausable: true },
  { id: 'H-34-resolution', starts: 'reopened', stops: ['resolved'], duration: 'PT48H', calendar: 'wall-clock', pausable: true },
  { id: 'MIIT-15D', starts: 'registered', stops: ['response-notified'], duration: 'P15D', calendar: 'wall-clock', pausable: false },
] as const;

describe('H-25 repeat complaints policy', () => {
  it('merges a carrier override field by field', () => {
    expect(resolveSlaPolicy({ repeatComplaints: { majorAt: null } }).repeatComplaints).toEqual({
      window: 'P30D',
      complexAt: 2,
      majorAt: null,
    });
    expect(resolveSlaPolicy({ repeatComplaints: { window: 'P60D' } }).repeatComplaints).toEqual({
      window: 'P60D',
      complexAt: 2,
      majorAt: 3,
    });
  });
});

describe('DEFAULT_SLA_POLICY', () => {
  it('has exactly the handbook clocks', () => {
    expect(DEFAULT_SLA_POLICY.clocks.map((c) => c.id).sort()).toEqual(EXPECTED.map((c) => c.id).sort());
    expect(DEFAULT_SLA_POLICY.timeZone).toBe('Asia/Shanghai');
    expect(DEFAULT_SLA_POLICY.survey).toEqual({ reminderAfter: 'P1D', closesAfter: 'P3D' });
    expect(DEFAULT_SLA_POLICY.repeatComplaints).toEqual({ window: 'P30D', complexAt: 2, majorAt: 3 });
    expect(DEFAULT_SLA_POLICY.version).toMatch(/\S/);
  });

  it.each(EXPECTED)('$id: starts $starts, stops $stops, $duration, $calendar', (e) => {
    const c = findClockPolicy(DEFAULT_SLA_POLICY, e.id)!;
    expect(c).toMatchObject(e);
    expect(c.clause).toMatch(/§|MIIT/);
    expect(c.title.zh).toMatch(/\S/);
    expect(c.title.en).toMatch(/\S/);
    expect(c.note.length).toBeGreaterThan(20);
    expect(c.escalation[0]!.level).toBe(1);
    expect(c.enabled).toBe(true);
  });

  it('H-06 (2 h) applies only to major and urgent complaints', () => {
    expect(findClockPolicy(DEFAULT_SLA_POLICY, 'H-06')!.appliesTo).toEqual(['major', 'urgent']);
    expect(DEFAULT_SLA_POLICY.clocks.filter((c) => c.appliesTo).map((c) => c.id)).toEqual(['H-06']);
  });

  it("the regulator's 15-day clock never pauses and runs on the wall clock", () => {
    expect(findClockPolicy(DEFAULT_SLA_POLICY, 'MIIT-15D')).toMatchObject({ pausable: false, calendar: 'wall-clock' });
  });

  it("MIIT-15D stops when the operator's reply reaches the complainant (Order No. 35 art. 10(4)), not at close", () => {
    expect(findClockPolicy(DEFAULT_SLA_POLICY, 'MIIT-15D')!.stops).toEqual(['response-notified']);
  });

  it("H-14 / H-03: the 72 h closed loop is the operator's time, met when the written result reaches the customer", () => {
    expect(findClockPolicy(DEFAULT_SLA_POLICY, 'H-14')!.stops).toEqual(['result-notified']);
  });

  it('the regulatory and closed-loop clocks keep escalating when the execution fails; the others do not', () => {
    expect(DEFAULT_SLA_POLICY.clocks.filter((c) => c.continuesOnFailure).map((c) => c.id)).toEqual(['H-14', 'MIIT-15D']);
  });

  it('H-01 and H-05 run from receipt; H-11 measures receipt to registration', () => {
    expect(DEFAULT_SLA_POLICY.clocks.filter((c) => c.from === 'received').map((c) => c.id)).toEqual(['H-11', 'H-05', 'H-01']);
  });

  it('H-01 ladder: warning at 75%, supervisor at the deadline, management when unacknowledged for another 20 min', () => {
    const h01 = findClockPolicy(DEFAULT_SLA_POLICY, 'H-01')!;
    expect(h01.warnAt).toEqual([0.75]);
    expect(h01.escalation).toEqual([
      { level: 1, to: 'supervisor' },
      { level: 2, to: 'management' }, // after defaults to the clock's own duration
    ]);
  });

  it('documents the H-13 / H-10 24 h overlap with H-01', () => {
    expect(findClockPolicy(DEFAULT_SLA_POLICY, 'H-13')!.note).toMatch(/H-01/);
    expect(findClockPolicy(DEFAULT_SLA_POLICY, 'H-01')!.note).toMatch(/H-10/);
  });
});

describe('resolveSlaPolicy', () => {
  it('returns the default for no overrides, {} and "{}"', () => {
    expect(resolveSlaPolicy()).toBe(DEFAULT_SLA_POLICY);
    expect(resolveSlaPolicy({})).toBe(DEFAULT_SLA_POLICY);
    expect(resolveSlaPolicy('{}')).toBe(DEFAULT_SLA_POLICY);
  });

  it('merges by clock id: duration, warnings, ladder; keeps everything else', () => {
    const p = resolveSlaPolicy({
      clocks: {
        'H-01': { duration: 'PT30M', warnAt: [0.5, 0.9], escalation: [{ level: 1, to: 'management' }] },
      },
    });
    const h01 = findClockPolicy(p, 'H-01')!;
    expect(h01).toMatchObject({
      duration: 'PT30M',
      warnAt: [0.5, 0.9],
      escalation: [{ level: 1, to: 'management' }],
      stops: ['acknowledged'],
    });
    expect(findClockPolicy(p, 'H-05')).toEqual(findClockPolicy(DEFAULT_SLA_POLICY, 'H-05'));
    expect(p.version).not.toBe(DEFAULT_SLA_POLICY.version);
    expect(p.version).toBe(
      resolveSlaPolicy({ clocks: { 'H-01': { duration: 'PT30M', warnAt: [0.5, 0.9], escalation: [{ level: 1, to: 'management' }] } } })
        .version,
    );
  });

  it("§4.1: sets a clock's duration per channel; the default policy keeps one duration for every channel", () => {
    expect(DEFAULT_SLA_POLICY.clocks.filter((c) => c.byChannel)).toEqual([]);
    const p = resolveSlaPolicy({ clocks: { 'H-01': { byChannel: { online: 'PT2H', 'on-site': 'PT1H' } } } });
    const h01 = findClockPolicy(p, 'H-01')!;
    expect(clockDurationFor(h01, 'online')).toBe('PT2H');
    expect(clockDurationFor(h01, 'on-site')).toBe('PT1H');
    expect(clockDurationFor(h01, 'phone')).toBe('PT20M');
  });

  it('fails on a per-channel duration that does not fit the calendar or names no channel', () => {
    expect(() => resolveSlaPolicy({ clocks: { 'H-12': { byChannel: { phone: 'PT2H' } } } })).toThrow(/clocks\.H-12\.byChannel\.phone/);
    expect(() => resolveSlaPolicy({ clocks: { 'H-01': { byChannel: { fax: 'PT2H' } } } })).toThrow(/byChannel/);
  });

  it('a clock may stop at the first of several points (H-06: service restored or resolved)', () => {
    const h06 = findClockPolicy(DEFAULT_SLA_POLICY, 'H-06')!;
    expect(clockStopsAt(h06, 'service-restored')).toBe(true);
    expect(clockStopsAt(h06, 'resolved')).toBe(true);
    expect(clockStopsAt(h06, 'responded')).toBe(false);
  });

  it('disables a clock, adds a new one, sets version, time zone and survey from a JSON string', () => {
    const p = resolveSlaPolicy(
      JSON.stringify({
        version: 'carrier-7',
        timeZone: 'Asia/Urumqi',
        survey: { closesAfter: 'P5D' },
        clocks: {
          'H-06': { enabled: false },
          'H-07': {
            clause: '§2.2',
            title: { zh: '服务报告', en: 'Service report' },
            starts: 'resolved',
            stops: 'closed',
            duration: 'PT24H',
            calendar: 'wall-clock',
            pausable: false,
            escalation: [{ level: 1, to: 'supervisor' }],
          },
        },
      }),
    );
    expect(p.version).toBe('carrier-7');
    expect(p.timeZone).toBe('Asia/Urumqi');
    expect(p.survey).toEqual({ reminderAfter: 'P1D', closesAfter: 'P5D' });
    expect(findClockPolicy(p, 'H-06')!.enabled).toBe(false);
    expect(findClockPolicy(p, 'H-07')).toMatchObject({ id: 'H-07', warnAt: [0.75], enabled: true });
  });

  const failing: [string, unknown, string][] = [
    ['a bad duration', { clocks: { 'H-01': { duration: '20 minutes' } } }, 'clocks.H-01.duration'],
    ['an ISO duration on a working-day clock', { clocks: { 'H-12': { duration: 'PT48H' } } }, 'clocks.H-12.duration'],
    ['a warning threshold of 1', { clocks: { 'H-01': { warnAt: [1] } } }, 'clocks.H-01.warnAt.0'],
    [
      'an escalation target that is not a contact key',
      { clocks: { 'H-01': { escalation: [{ level: 1, to: 'ceo' }] } } },
      'clocks.H-01.escalation.0.to',
    ],
    [
      'ladder levels out of order',
      { clocks: { 'H-01': { escalation: [{ level: 2, to: 'management' }] } } },
      'clocks.H-01.escalation.0.level',
    ],
    ['a new clock missing fields', { clocks: { 'H-09': { duration: 'PT15M' } } }, 'clocks.H-09.starts'],
    ['an unknown field on a clock', { clocks: { 'H-01': { colour: 'red' } } }, 'clocks.H-01'],
    ['an unknown top-level field', { clock: {} }, '(root)'],
    ['a bad time zone', { timeZone: 'Asia/Atlantis' }, 'timeZone'],
    ['a bad survey duration', { survey: { closesAfter: '3 days' } }, 'survey.closesAfter'],
    ['a repeat window that is not a duration (H-25)', { repeatComplaints: { window: '30 days' } }, 'repeatComplaints.window'],
    ['a repeat threshold of 0 (H-25)', { repeatComplaints: { complexAt: 0 } }, 'repeatComplaints.complexAt'],
  ];
  it.each(failing)('fails on %s, naming %s', (_what, overrides, path) => {
    let err: unknown;
    try {
      resolveSlaPolicy(overrides);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SlaPolicyError);
    const e = err as SlaPolicyError;
    expect(e.name).toBe('SlaPolicyError');
    expect(e.issues.map((i) => i.path)).toContain(path);
    expect(e.message).toContain(path);
  });

  it('fails on text that is not JSON', () => {
    expect(() => resolveSlaPolicy('{not json')).toThrow(SlaPolicyError);
  });
});

describe('calendarSupplement in the policy', () => {
  it('is used by the working-day clocks', () => {
    const policy = resolveSlaPolicy({
      calendarSupplement: { '2027': { source: '国务院办公厅通知', holidays: ['2027-01-01'], workdays: [] } },
    });
    const c = registered('2026-12-31T07:00:00.000Z', { policy });
    // Thursday 31 Dec 15:00: 1 Jan holiday, weekend, Monday 4 (1), Tuesday 5 (2).
    expect(c.clocks['H-12']!.deadline).toBe('2027-01-05T07:00:00.000Z');
  });

  it('fails when a supplied date is not in its year, naming the field', () => {
    let err: unknown;
    try {
      resolveSlaPolicy({ calendarSupplement: { '2027': { source: 'x', holidays: ['2028-01-01'], workdays: [] } } });
    } catch (e) {
      err = e;
    }
    expect((err as SlaPolicyError).issues.map((i) => i.path)).toContain('calendarSupplement.2027.holidays.0');
  });

  it('registers with a provisional working-day deadline when the year is covered by neither', () => {
    const last = CALENDAR_COVERAGE.to;
    const c = registered(`${last}-12-31T07:00:00.000Z`);
    expect(c.clocks['H-12']!.explanation).toContain(`no official holiday schedule for ${last + 1}`);
  });
});
