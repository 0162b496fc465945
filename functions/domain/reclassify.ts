/**
 * A person corrects the classification (H-21 type, H-23 severity, H-20 service type) while the
 * complaint is open, paused or being surveyed. What depends on it is recomputed from the
 * corrected values with the same rules as Classify (`consequences` in classify.ts):
 * - the team (H-24), unless the complaint is already dispatched (the owner keeps it);
 * - management involvement (H-24) and complexity (H-13, H-22, H-25: the repeat count found at
 *   classification is kept);
 * - the severity-bound clocks (`appliesTo`, e.g. H-06 for major and urgent): a clock that now
 *   applies starts from its own start point's recorded instant (a complaint found major 3 h
 *   after registration is already past H-06's 2 h), and is met at once if its stop point has
 *   already happened; a clock that no longer applies and is not met is withdrawn (removed, with
 *   an audit line). Met clocks stay as they were: they are history.
 * The workflow re-arms its timer (clocksChanged).
 */

import { describeMs, formatLocal, parseInstant } from './calendar';
import { consequences, typeOf } from './classify';
import { startClock, stopClock } from './clocks';
import { EventNotAllowedError, InvalidEventError } from './errors';
import type { ClockPolicy, SlaPolicy } from './sla-policy';
import { activeClocks } from './sla-policy';
import type { AuditEvent, Classification, ClockState, Complaint, ComplaintType, ServiceType, Severity } from './types';

export interface ReclassifyRequest {
  readonly actor: string;
  readonly reason: string;
  readonly serviceType?: ServiceType;
  /** H-21 type; named so because `type` is the event's own type. */
  readonly complaintType?: ComplaintType;
  readonly severity?: Severity;
}

export interface Reclassified {
  readonly complaint: Complaint;
  readonly audit: readonly AuditEvent[];
}

const SYSTEM = 'system';
const iso = (ms: number) => new Date(ms).toISOString();

/** The corrected severity: as given, else implied by the corrected type (general keeps a minor or general severity). */
function correctedSeverity(current: Severity, request: ReclassifyRequest): Severity {
  if (request.severity !== undefined) {
    if (request.complaintType !== undefined && typeOf(request.severity) !== request.complaintType) {
      throw new InvalidEventError(`severity ${request.severity} makes the type ${typeOf(request.severity)}, not ${request.complaintType}`, [
        { path: 'complaintType', message: `expected ${typeOf(request.severity)} for severity ${request.severity} (or leave it out)` },
      ]);
    }
    return request.severity;
  }
  if (request.complaintType === undefined || request.complaintType === typeOf(current)) return current;
  return request.complaintType === 'general' ? 'general' : request.complaintType;
}

function summary(c: Classification, team: string | undefined) {
  return {
    serviceType: c.serviceType,
    type: c.type,
    severity: c.severity,
    team: team ?? c.team,
    management: c.management,
    complexity: c.complexity,
  };
}

export function reclassify(c: Complaint, request: ReclassifyRequest, now: string, policy: SlaPolicy): Reclassified {
  const before = c.classification;
  if (!before) throw new EventNotAllowedError(`complaint ${c.id} is not classified yet: nothing to correct`, ['note']);
  const serviceType = request.serviceType ?? before.serviceType;
  const severity = correctedSeverity(before.severity, request);
  if (serviceType === before.serviceType && severity === before.severity) {
    throw new InvalidEventError(`complaint ${c.id} is already ${serviceType}, ${severity} (${before.type}): nothing to correct`, [
      { path: '(body)', message: 'give a serviceType, complaintType or severity that differs from the current classification' },
    ]);
  }
  // The reason is free text: it stays in the audit line (redacted when shown, H-42), not in the reasons.
  const reasons = [
    `reclassified by ${request.actor} at ${now} (was ${before.serviceType}, ${before.severity}); the reason is in the audit trail`,
  ];
  const corrected = consequences(
    { serviceType, source: before.source, channel: c.channel, severity, priorComplaints: before.priorComplaints },
    policy.repeatComplaints,
    reasons,
  );
  const classification: Classification = {
    ...corrected,
    ...(before.priorComplaints !== undefined ? { priorComplaints: before.priorComplaints } : {}),
  };
  // H-24: a dispatched complaint keeps its owner's team; before dispatch the corrected team takes it.
  const team = c.points.dispatched ? c.team : classification.team;
  const withClassification: Complaint = { ...c, classification, team };
  const { clocks, audit: clockAudit } = severityClocks(withClassification, now, policy);
  const line: AuditEvent = {
    at: now,
    type: 'reclassified',
    actor: request.actor,
    detail: { reason: request.reason, before: summary(before, c.team), after: summary(classification, team) },
  };
  return { complaint: { ...withClassification, clocks }, audit: [line, ...clockAudit] };
}

function applies(def: ClockPolicy, severity: Severity): boolean {
  return def.appliesTo === undefined || def.appliesTo.includes(severity);
}

/** Starts the severity-bound clocks that now apply and withdraws the unmet ones that no longer do. */
function severityClocks(c: Complaint, now: string, policy: SlaPolicy): { clocks: Record<string, ClockState>; audit: AuditEvent[] } {
  const severity = c.classification!.severity;
  const clocks: Record<string, ClockState> = { ...c.clocks };
  const audit: AuditEvent[] = [];
  for (const def of activeClocks(policy).filter((d) => d.appliesTo !== undefined)) {
    const existing = clocks[def.id];
    if (applies(def, severity)) {
      const startedAt = c.points[def.starts];
      if (existing || !startedAt) continue; // running already, or starts later at its own point
      const started = lateStart(def, c, startedAt, policy);
      clocks[def.id] = started;
      audit.push({
        at: now,
        type: 'clock-started',
        actor: SYSTEM,
        detail: { clockId: def.id, startedAt: started.startedAt, deadline: started.deadline, reclassified: true },
      });
      if (started.metAt) {
        audit.push({
          at: now,
          type: started.breachedAt ? 'clock-met-late' : 'clock-met',
          actor: SYSTEM,
          detail: {
            clockId: def.id,
            deadline: started.deadline,
            metAt: started.metAt,
            ...(started.breachedAt ? { breachedAt: started.breachedAt } : {}),
          },
        });
      }
    } else if (existing && existing.status !== 'met') {
      delete clocks[def.id];
      audit.push({
        at: now,
        type: 'clock-withdrawn',
        actor: SYSTEM,
        detail: {
          clockId: def.id,
          deadline: existing.deadline,
          status: existing.status,
          why: `applies to ${def.appliesTo!.join(', ')}; the complaint is now ${severity}`,
        },
      });
    }
  }
  return { clocks, audit };
}

/**
 * A clock started after the fact, from its start point's recorded instant: moved by the
 * complaint's finished pauses (if pausable), frozen if the complaint is paused now, and met at
 * once if its stop point has already happened.
 */
function lateStart(def: ClockPolicy, c: Complaint, startedAt: string, policy: SlaPolicy): ClockState {
  let s = startClock(def, c, startedAt, policy);
  if (def.pausable) s = replayPauses(s, c, policy);
  const stoppedAt = def.stops
    .map((p) => c.points[p])
    .filter((t): t is string => t !== undefined)
    .sort()[0];
  if (stoppedAt && stoppedAt >= s.startedAt) return stopClock(s, stoppedAt);
  if (def.pausable && c.status === 'paused') return { ...s, status: 'paused' };
  return s;
}

/** The complaint's finished pauses since the clock's start move its deadline and warnings, as resume does. */
function replayPauses(s: ClockState, c: Complaint, policy: SlaPolicy): ClockState {
  const pauses = c.pauses.filter((p) => p.from >= s.startedAt);
  const delta = pauses.reduce((sum, p) => sum + Math.max(0, parseInstant(p.to) - parseInstant(p.from)), 0);
  if (delta === 0) return s;
  const deadline = iso(parseInstant(s.deadline) + delta);
  return {
    ...s,
    deadline,
    warnAt: s.warnAt.map((w) => iso(parseInstant(w) + delta)),
    pausedMs: delta,
    explanation: `${s.explanation}; paused ${describeMs(delta)} in ${pauses.length} pause(s) before it started: deadline moved to ${formatLocal(deadline, policy.timeZone)}`,
  };
}
