/**
 * Classification and routing (H-20..H-25). Data-driven: keyword lists live in
 * data/classification-keywords.ts; the rules here combine them with the request's fields.
 *
 * Rules, in order:
 * 1. Severity (H-23) starts from the caller's hint (default 'general'); keywords can raise it,
 *    never lower it, except that a 'minor' keyword sets 'minor' when there is no hint and
 *    nothing more severe matched. A keyword the text negates ("不紧急", "not an emergency")
 *    does not count. Information security (H-20) is at least 'major'; so are billing and
 *    services without consent (H-21 "涉及用户权益", a keyword list).
 * 2. Repeat complaints (H-25): `priorComplaints` earlier complaints of the same customer within
 *    the policy's window raise a general complaint to major from `majorAt` on.
 * 3. Type (H-21): urgent → urgent, major → major, else general.
 * 4. Team (H-24): network and data faults → network-operations first; others → customer-service.
 * 5. Management (H-24): major and urgent complaints need management involvement.
 * 6. Complexity: complex for information security, third-party source or platform (H-22),
 *    repeated complaints (H-25: `complexAt` or more earlier ones), or major and above.
 */

import { describeMs, parseIsoDurationMs } from './calendar';
import { CLAUSE_BREAKS, NEGATION, SEVERITY_KEYWORDS } from './data/classification-keywords';
import { DEFAULT_REPEAT_COMPLAINTS, type RepeatComplaintsPolicy } from './sla-policy';
import type { Channel, Classification, ComplaintType, ServiceType, Severity, Source, Team } from './types';

export interface ClassifyInput {
  readonly serviceType: ServiceType;
  readonly source: Source;
  readonly channel: Channel;
  readonly description: string;
  readonly severityHint?: Severity;
  /** H-25: the customer's earlier complaints received within the policy window. */
  readonly priorComplaints?: number;
}

const RANK: Record<Severity, number> = { minor: 0, general: 1, major: 2, urgent: 3 };
const atLeast = (a: Severity, b: Severity): Severity => (RANK[a] >= RANK[b] ? a : b);

const isAscii = (s: string) => /^[\x20-\x7e]+$/.test(s);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');

const ZH_NEGATED = new RegExp(`(?:${alternatives(NEGATION.zh.negators)})(?:${alternatives(NEGATION.zh.fillers)})?$`);
const EN_NEGATED = new RegExp(
  `(?<![A-Za-z0-9'])(?:${alternatives(NEGATION.en.negators)})(?:\\s+(?:${alternatives(NEGATION.en.fillers)})){0,2}[\\s-]+$`,
  'i',
);
const CLAUSE_BREAK = new RegExp(`[${CLAUSE_BREAKS}]`);
const SERVICE_AFTER = new RegExp(
  `^(?:${alternatives(NEGATION.zh.servicesAfter)}|\\s*(?:${alternatives(NEGATION.en.servicesAfter)})(?![A-Za-z0-9]))`,
  'i',
);

/** Where `keyword` occurs in `text`. English keywords match whole words ('press' is not in 'expressway'), case-insensitively. */
function occurrences(text: string, keyword: string): number[] {
  const pattern = isAscii(keyword) ? `(?<![A-Za-z0-9])${escapeRegExp(keyword)}(?![A-Za-z0-9])` : escapeRegExp(keyword);
  return [...text.matchAll(new RegExp(pattern, 'gi'))].map((m) => m.index);
}

/** True when the clause before the keyword at `index` ends with a negation ("不是很", "not an") and no service follows it. */
function negatedAt(text: string, index: number, keyword: string): boolean {
  let start = index;
  while (start > 0 && !CLAUSE_BREAK.test(text[start - 1]!)) start--;
  const clause = text.slice(start, index);
  if (!ZH_NEGATED.test(clause) && !EN_NEGATED.test(clause)) return false;
  return !SERVICE_AFTER.test(text.slice(index + keyword.length));
}

/** A keyword counts when it occurs at least once without a negation; `negated` when it occurs only negated. */
function keywordState(text: string, keyword: string): 'counts' | 'negated' | 'absent' {
  const at = occurrences(text, keyword);
  if (!at.length) return 'absent';
  return at.some((i) => !negatedAt(text, i, keyword)) ? 'counts' : 'negated';
}

const quoted = (words: readonly string[]) => words.map((k) => `'${k}'`).join(', ');

export function classify(input: ClassifyInput, repeat: RepeatComplaintsPolicy = DEFAULT_REPEAT_COMPLAINTS): Classification {
  const reasons: string[] = [];
  let severity = severityFromText(input, reasons);
  severity = raisedByRepeats(severity, input.priorComplaints ?? 0, repeat, reasons);
  return {
    ...consequences({ ...input, severity }, repeat, reasons),
    ...(input.priorComplaints !== undefined ? { priorComplaints: input.priorComplaints } : {}),
  };
}

/** H-23: the hint, raised by keywords the text does not negate; H-20 information security at least major. */
function severityFromText(input: ClassifyInput, reasons: string[]): Severity {
  let severity: Severity = input.severityHint ?? 'general';
  reasons.push(input.severityHint ? `severity hint: ${input.severityHint}` : 'no severity hint: general');
  let minorKeyword: string | undefined;
  const negated: string[] = [];
  for (const rule of SEVERITY_KEYWORDS) {
    const states = rule.keywords.map((k) => [k, keywordState(input.description, k)] as const);
    negated.push(...states.filter(([, st]) => st === 'negated').map(([k]) => k));
    const found = states.filter(([, st]) => st === 'counts').map(([k]) => k);
    if (!found.length) continue;
    if (rule.severity === 'minor') {
      minorKeyword = found[0];
      continue;
    }
    reasons.push(`keywords ${quoted(found)}: ${rule.why} → at least ${rule.severity}`);
    severity = atLeast(severity, rule.severity);
  }
  if (negated.length) reasons.push(`keywords ${quoted([...new Set(negated)])} negated in the text ("不紧急", "not urgent"): not counted`);
  if (input.serviceType === 'information-security') {
    if (RANK[severity] < RANK.major) reasons.push('service type information-security → at least major (H-20, H-21)');
    severity = atLeast(severity, 'major');
  }
  if (minorKeyword && !input.severityHint && severity === 'general') {
    severity = 'minor';
    reasons.push(`keyword '${minorKeyword}': a question or suggestion → minor`);
  }
  return severity;
}

/** "30 days" for P30D, else the duration in d/h/min. */
export function windowLabel(window: string): string {
  const ms = parseIsoDurationMs(window);
  const days = ms / 86_400_000;
  return Number.isInteger(days) ? `${days} day${days === 1 ? '' : 's'}` : describeMs(ms);
}

function repeatsText(prior: number, repeat: RepeatComplaintsPolicy): string {
  return `${prior} earlier complaint${prior === 1 ? '' : 's'} by this customer in ${windowLabel(repeat.window)} (H-25)`;
}

/** H-25: a general complaint repeated `majorAt` times within the window is major (a minor question stays minor). */
function raisedByRepeats(severity: Severity, prior: number, repeat: RepeatComplaintsPolicy, reasons: string[]): Severity {
  if (repeat.majorAt === null || prior < repeat.majorAt || severity !== 'general') return severity;
  reasons.push(`${repeatsText(prior, repeat)}: the problem keeps coming back → major (H-21)`);
  return 'major';
}

export const typeOf = (severity: Severity): ComplaintType =>
  severity === 'urgent' ? 'urgent' : severity === 'major' ? 'major' : 'general';

export interface ConsequenceInput {
  readonly serviceType: ServiceType;
  readonly source: Source;
  readonly channel: Channel;
  readonly severity: Severity;
  readonly priorComplaints?: number;
}

/**
 * What follows from service type and severity: type (H-21), team (H-24), management (H-24) and
 * complexity (H-13, H-22, H-25). Appends the reasons to `reasons`. Shared with reclassification.
 */
export function consequences(input: ConsequenceInput, repeat: RepeatComplaintsPolicy, reasons: string[]): Classification {
  const { severity } = input;
  const team: Team = input.serviceType === 'network' || input.serviceType === 'data' ? 'network-operations' : 'customer-service';
  reasons.push(
    team === 'network-operations'
      ? `${input.serviceType} fault → network-operations first (H-24)`
      : `${input.serviceType} complaint → customer-service (H-24)`,
  );
  const management = RANK[severity] >= RANK.major;
  if (management) reasons.push(`${severity} → management involved (H-24)`);

  const prior = input.priorComplaints ?? 0;
  const complex: string[] = [];
  if (input.serviceType === 'information-security') complex.push('information security');
  if (input.source === 'third-party') complex.push('third-party source (H-22)');
  if (input.channel === 'third-party-platform') complex.push('third-party platform (H-22)');
  if (prior >= repeat.complexAt) complex.push(`repeated: ${repeatsText(prior, repeat)}`);
  if (RANK[severity] >= RANK.major) complex.push(`${severity} severity`);
  if (complex.length) reasons.push(`complex: ${complex.join(', ')} → a named follow-up owner is required (H-13)`);

  return {
    serviceType: input.serviceType,
    type: typeOf(severity),
    severity,
    source: input.source,
    team,
    management,
    complexity: complex.length ? 'complex' : 'simple',
    reasons,
  };
}
