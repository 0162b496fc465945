/**
 * The analysis record (H-36: every complaint archived into quality-analysis data, and a full
 * analysis at least once a year): one flat JSON line per complaint, the same on S3 for Athena
 * and in the local export for DuckDB. Column names are snake_case so both engines read them
 * unquoted. Contact details never appear (H-42): the customer is known only by `customer_key`,
 * the hash the table's `by-customer` index uses, and free text that could carry personal data
 * (description, comments, attribution) is left out; the texts kept are redacted.
 */
import { createHash } from 'node:crypto';
import { SURVEY_CLOCK_ID } from './clocks';
import { redactPersonalData } from './masking';
import { archivedAt, FIRST_RESPONSE_CLOCK, handlingResponseMs, isSatisfied, localDay } from './quality';
import { type ClockState, type Complaint, surveyAnswer } from './types';

/** How a clock stands in the record: met by its deadline, met after it, never met and overdue, or still running. */
export type AnalysisClockStatus = 'met' | 'met-late' | 'breached' | 'running';

export interface AnalysisClock {
  readonly clock_id: string;
  readonly status: AnalysisClockStatus;
  readonly started_at: string;
  readonly deadline: string;
  readonly met_at: string | null;
  readonly breached_at: string | null;
  readonly paused_ms: number;
  /** Why the deadline is what it is (policy version, calendar, start, pauses). */
  readonly explanation: string;
}

export interface AnalysisEscalation {
  readonly clock_id: string;
  readonly level: number;
  readonly escalated_at: string;
  readonly acked: boolean;
}

export interface AnalysisRecord {
  readonly id: string;
  /** The complaint's version: the export may carry a complaint more than once, the highest version wins. */
  readonly version: number;
  /** SHA-256 of the customer id (never the id: carriers often use the phone number). */
  readonly customer_key: string;
  readonly team: string | null;
  readonly channel: string;
  readonly service_type: string;
  readonly type: string | null;
  readonly severity: string | null;
  readonly source: string;
  readonly complexity: string | null;
  readonly management: boolean | null;
  readonly received_at: string;
  /** Year and month of receipt in the policy time zone: the analysis year a complaint belongs to. */
  readonly received_year: number;
  readonly received_month: string;
  readonly archived_at: string | null;
  readonly closed_at: string | null;
  readonly failed_at: string | null;
  readonly status: string;
  readonly reopen_count: number;
  readonly escalation_level: number;
  /** H-25: the customer's earlier complaints within the policy window, counted at classification. */
  readonly prior_complaints: number;
  readonly survey_answered: boolean;
  readonly survey_no_answer: boolean;
  readonly survey_solved: boolean | null;
  readonly survey_score: number | null;
  readonly survey_satisfied: boolean | null;
  /** Receipt → H-01 met (first response, H-01/H-40); null while unmet. */
  readonly first_response_ms: number | null;
  /** Receipt → the later of dispatched and acknowledged (H-06 handling response); null until both. */
  readonly handling_response_ms: number | null;
  readonly classification_reasons: readonly string[];
  readonly clocks: readonly AnalysisClock[];
  readonly escalations: readonly AnalysisEscalation[];
  /** Lines of the audit trail (H-37), in all and by type. */
  readonly audit_events: number;
  readonly audit_counts: Readonly<Record<string, number>>;
}

export type AuditCounts = Readonly<Record<string, number>>;

/** The record of `complaint`, whose audit trail holds `auditCounts` lines per type. */
export function toAnalysisRecord(complaint: Complaint, auditCounts: AuditCounts, timeZone = 'Asia/Shanghai'): AnalysisRecord {
  const c = complaint;
  const cls = c.classification;
  const receivedDay = localDay(c.receivedAt, timeZone);
  return {
    id: c.id,
    version: c.version,
    customer_key: customerKeyHash(c),
    team: c.team ?? cls?.team ?? null,
    channel: c.channel,
    service_type: cls?.serviceType ?? c.serviceType,
    type: cls?.type ?? null,
    severity: cls?.severity ?? null,
    source: cls?.source ?? c.source,
    complexity: cls?.complexity ?? null,
    management: cls?.management ?? null,
    received_at: c.receivedAt,
    received_year: Number(receivedDay.slice(0, 4)),
    received_month: receivedDay.slice(0, 7),
    archived_at: archivedAt(c) ?? null,
    closed_at: c.points.closed ?? null,
    failed_at: c.failedAt ?? null,
    status: c.status,
    reopen_count: c.reopenCount,
    escalation_level: c.escalationLevel,
    prior_complaints: cls?.priorComplaints ?? 0,
    ...surveyColumns(c),
    first_response_ms: firstResponseMs(c),
    handling_response_ms: handlingResponseMs(c) ?? null,
    classification_reasons: (cls?.reasons ?? []).map(redactPersonalData),
    clocks: handlingClocks(c).map(toAnalysisClock),
    escalations: handlingClocks(c).flatMap((s) =>
      s.escalations.map((e) => ({ clock_id: s.id, level: e.level, escalated_at: e.at, acked: e.ackedAt !== undefined })),
    ),
    audit_events: Object.values(auditCounts).reduce((sum, n) => sum + n, 0),
    audit_counts: { ...auditCounts },
  };
}

/** Audit lines counted by type (the second argument of `toAnalysisRecord`). */
export function countAuditTypes(types: Iterable<string>): AuditCounts {
  const counts: Record<string, number> = {};
  for (const t of types) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}

export function analysisClockStatus(s: ClockState): AnalysisClockStatus {
  if (s.status === 'met') return s.breachedAt ? 'met-late' : 'met';
  if (s.status === 'met-late') return 'met-late';
  if (s.status === 'breached' || s.breachedAt) return 'breached';
  return 'running';
}

/** The record as one JSON line (the export's format). */
export function toJsonLine(record: AnalysisRecord): string {
  return `${JSON.stringify(record)}\n`;
}

// The survey window is not a handling deadline: the quality view leaves it out too.
const handlingClocks = (c: Complaint): ClockState[] =>
  Object.values(c.clocks)
    .filter((s) => s.id !== SURVEY_CLOCK_ID)
    .sort((a, b) => a.id.localeCompare(b.id));

function toAnalysisClock(s: ClockState): AnalysisClock {
  return {
    clock_id: s.id,
    status: analysisClockStatus(s),
    started_at: s.startedAt,
    deadline: s.deadline,
    met_at: s.metAt ?? null,
    breached_at: s.breachedAt ?? null,
    paused_ms: s.pausedMs,
    explanation: redactPersonalData(s.explanation),
  };
}

function surveyColumns(c: Complaint) {
  const answered = surveyAnswer(c);
  return {
    survey_answered: answered !== undefined,
    survey_no_answer: c.survey?.outcome === 'no-answer',
    survey_solved: answered?.solved ?? null,
    survey_score: answered?.score ?? null,
    survey_satisfied: answered ? isSatisfied(answered) : null,
  };
}

/** The same hash as the table's `by-customer` index key (adapters/complaint-store.ts `customerKeyOf`). */
function customerKeyHash(c: Complaint): string {
  return createHash('sha256').update(`complaint-loop/customer/${c.customer.id}`, 'utf8').digest('hex');
}

function firstResponseMs(c: Complaint): number | null {
  const s = c.clocks[FIRST_RESPONSE_CLOCK];
  if (!s?.metAt || (s.status !== 'met' && s.status !== 'met-late')) return null;
  return Date.parse(s.metAt) - Date.parse(c.receivedAt);
}
