/** Properties of the clocks over generated timelines (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, chinaDay, parseIsoDurationMs, toLocal } from '../../functions/domain/calendar';
import { applyClockEvents, dueClockEvents, nextDueAt, pauseClocks, recordPoint, resumeClocks } from '../../functions/domain/clocks';
import { containsPersonalData, redactPersonalData } from '../../functions/domain/masking';
import { DEFAULT_SLA_POLICY as P } from '../../functions/domain/sla-policy';
import type { Complaint } from '../../functions/domain/types';
import { after, DAY, MIN, registered } from './domain-fixtures';

const T0 = '2026-03-02T01:00:00.000Z';
const pad = (n: number) => String(n).padStart(2, '0');

describe('pause/resume properties', () => {
  it('a pausable wall-clock deadline = start + duration + paused time; a never-pausing one never moves', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 3000 })), { maxLength: 6 }), (gaps) => {
        let c = registered(T0);
        let t = T0;
        let paused = 0;
        for (const [runMin, pauseMin] of gaps) {
          t = after(t, runMin * MIN);
          c = pauseClocks(c, t, 'waiting', P);
          t = after(t, pauseMin * MIN);
          c = resumeClocks(c, t, P);
          paused += pauseMin * MIN;
        }
        for (const def of P.clocks) {
          const s = c.clocks[def.id];
          if (!s || def.calendar !== 'wall-clock' || def.starts !== 'registered' || s.status === 'met' || s.status === 'met-late') continue;
          const expected = Date.parse(s.startedAt) + parseIsoDurationMs(def.duration as string) + (def.pausable ? paused : 0);
          expect(Date.parse(s.deadline), def.id).toBe(expected);
          expect(s.pausedMs).toBe(def.pausable ? paused : 0);
        }
        expect(c.pauses).toHaveLength(gaps.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('clock loop properties', () => {
  it('waking at nextDueAt sends each event once, in time order, and leaves nothing due', () => {
    fc.assert(
      fc.property(
        fc.record({
          ack: fc.option(fc.integer({ min: 1, max: 90 })),
          dispatch: fc.option(fc.integer({ min: 1, max: 90 })),
          ackLevel1At: fc.option(fc.integer({ min: 0, max: 60 })),
          severity: fc.constantFrom('minor', 'general', 'major', 'urgent' as const),
          horizonDays: fc.integer({ min: 1, max: 20 }),
        }),
        ({ ack, dispatch, ackLevel1At, severity, horizonDays }) => {
          let c: Complaint = registered(T0, { severity });
          const points: [number, 'acknowledged' | 'dispatched'][] = [];
          if (ack !== null) points.push([ack, 'acknowledged']);
          if (dispatch !== null) points.push([dispatch, 'dispatched']);
          points.sort((a, b) => a[0] - b[0]);
          const end = after(T0, horizonDays * DAY);
          const seen = new Set<string>();
          let last = T0;
          for (let i = 0; i < 500; i++) {
            const next = nextDueAt(c, P);
            const nextPoint = points[0] ? after(T0, points[0][0] * MIN) : undefined;
            if (nextPoint && (next === null || nextPoint <= next)) {
              c = recordPoint(c, points.shift()![1], nextPoint, P);
              continue;
            }
            if (next === null || next > end) break;
            // biome-ignore lint/complexity/useMathMinMax: ISO-8601 strings compare in order, Math.max would make them NaN
            const now = next < last ? last : next;
            const events = dueClockEvents(c, now, P);
            expect(events.length).toBeGreaterThan(0);
            for (const e of events) {
              const key = `${e.clockId}/${e.kind}/${e.level ?? ''}/${e.dueAt}`;
              expect(seen.has(key), key).toBe(false);
              seen.add(key);
              expect(e.dueAt <= now).toBe(true);
            }
            c = applyClockEvents(c, events, now);
            last = now;
            if (ackLevel1At !== null) {
              const esc = c.clocks['H-01']!.escalations.find((x) => x.level === 1);
              if (esc && !esc.ackedAt)
                c = {
                  ...c,
                  clocks: {
                    ...c.clocks,
                    'H-01': {
                      ...c.clocks['H-01']!,
                      escalations: c.clocks['H-01']!.escalations.map((x) => (x.level === 1 ? { ...x, ackedAt: now, ackedBy: 'sup' } : x)),
                    },
                  },
                };
            }
          }
          expect(dueClockEvents(c, last, P)).toEqual([]);
          // Every clock past its deadline and not met was escalated (nobody left untold).
          for (const s of Object.values(c.clocks)) {
            if (s.status !== 'met' && s.status !== 'met-late' && s.deadline <= last) expect(s.escalations.length, s.id).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('working-day properties', () => {
  it('n working days from a working-day instant: the deadline is a working day, n working days later, same wall time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-12-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 5 }),
        (startMs, n) => {
          const tz = 'Asia/Shanghai';
          const l = toLocal(startMs, tz);
          const startDate = `${l.year}-${pad(l.month)}-${pad(l.day)}`;
          fc.pre(chinaDay(startDate).working);
          const { deadline } = addDuration(new Date(startMs).toISOString(), { workingDays: n }, 'cn-working-days', tz);
          const d = toLocal(Date.parse(deadline), tz);
          expect([d.hour, d.minute, d.second]).toEqual([l.hour, l.minute, l.second]);
          const endDate = `${d.year}-${pad(d.month)}-${pad(d.day)}`;
          expect(chinaDay(endDate).working).toBe(true);
          let count = 0;
          for (let t = Date.parse(`${startDate}T12:00:00Z`) + DAY; ; t += DAY) {
            const day = new Date(t).toISOString().slice(0, 10);
            if (chinaDay(day).working) count++;
            if (day === endDate) break;
          }
          expect(count).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('masking properties (H-42)', () => {
  it('any mainland mobile, with or without +86 and separators, inside Chinese text is masked', () => {
    const zh = fc.string({ unit: fc.constantFrom(...'客户反映信号差请回电联系号码是的，。'.split('')), maxLength: 12 });
    fc.assert(
      fc.property(
        zh,
        zh,
        fc.constantFrom('3', '4', '5', '6', '7', '8', '9'),
        fc.stringMatching(/^\d{9}$/),
        fc.constantFrom('', '+86', '+86 ', '0086', '86-'),
        fc.constantFrom('', ' ', '-'),
        (a, b, second, rest, prefix, sep) => {
          const number = `1${second}${rest}`;
          const written = `${prefix}${number.slice(0, 3)}${sep}${number.slice(3, 7)}${sep}${number.slice(7)}`;
          const out = redactPersonalData(`${a}${written}${b}`);
          expect(out).not.toContain(number);
          expect(out).not.toContain(number.slice(3, 7) + sep + number.slice(7));
          expect(containsPersonalData(out)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
