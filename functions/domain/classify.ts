/**
 * Classification and routing (H-20..H-25). Data-driven: keyword lists live in
 * data/classification-keywords.ts; the rules here combine them with the request's fields.
 *
 * Rules, in order:
 * 1. Severity (H-23) starts from the caller's hint (default 'general'); keywords can raise it,
 *    never lower it, except that a 'minor' keyword sets 'minor' when there is no hint and
 *    nothing more severe matched. Information security (H-20) is at least 'major'.
 * 2. Type (H-21): urgent → urgent, major → major, else general.
 * 3. Team (H-24): network and data faults → network-operations first; others → customer-service.
 * 4. Management (H-24): major and urgent complaints need management involvement.
 * 5. Complexity: complex for information security, third-party source or platform (H-22),
 *    repeated complaints (H-25: 2 or more before), or major and above.
 */
import { SEVERITY_KEYWORDS } from './data/classification-keywords';
import type { Channel, Classification, ComplaintType, Severity, ServiceType, Source, Team } from './types';

export interface ClassifyInput {
  readonly serviceType: ServiceType;
  readonly source: Source;
  readonly channel: Channel;
  readonly description: string;
  readonly severityHint?: Severity;
  readonly priorComplaints?: number;
}

const RANK: Record<Severity, number> = { minor: 0, general: 1, major: 2, urgent: 3 };
const atLeast = (a: Severity, b: Severity): Severity => (RANK[a] >= RANK[b] ? a : b);

const isAscii = (s: string) => /^[\x20-\x7e]+$/.test(s);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matches(text: string, keyword: string): boolean {
  if (!isAscii(keyword)) return text.includes(keyword);
  // Whole words for English ('press' is not in 'expressway'); digits like 110 are fenced by digits.
  return new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(keyword)}(?![A-Za-z0-9])`, 'i').test(text);
}

export function classify(input: ClassifyInput): Classification {
  const reasons: string[] = [];
  const text = input.description;

  let severity: Severity = input.severityHint ?? 'general';
  reasons.push(input.severityHint ? `severity hint: ${input.severityHint}` : 'no severity hint: general');

  let minorKeyword: string | undefined;
  for (const rule of SEVERITY_KEYWORDS) {
    const found = rule.keywords.filter((k) => matches(text, k));
    if (!found.length) continue;
    if (rule.severity === 'minor') {
      minorKeyword = found[0];
      continue;
    }
    reasons.push(`keywords ${found.map((k) => `'${k}'`).join(', ')}: ${rule.why} → at least ${rule.severity}`);
    severity = atLeast(severity, rule.severity);
  }
  if (input.serviceType === 'information-security') {
    if (RANK[severity] < RANK.major) reasons.push('service type information-security → at least major (H-20, H-21)');
    severity = atLeast(severity, 'major');
  }
  if (minorKeyword && !input.severityHint && severity === 'general') {
    severity = 'minor';
    reasons.push(`keyword '${minorKeyword}': a question or suggestion → minor`);
  }

  const type: ComplaintType = severity === 'urgent' ? 'urgent' : severity === 'major' ? 'major' : 'general';
  const team: Team = input.serviceType === 'network' || input.serviceType === 'data' ? 'network-operations' : 'customer-service';
  reasons.push(
    team === 'network-operations'
      ? `${input.serviceType} fault → network-operations first (H-24)`
      : `${input.serviceType} complaint → customer-service (H-24)`,
  );
  const management = RANK[severity] >= RANK.major;
  if (management) reasons.push(`${severity} → management involved (H-24)`);

  const complex: string[] = [];
  if (input.serviceType === 'information-security') complex.push('information security');
  if (input.source === 'third-party') complex.push('third-party source (H-22)');
  if (input.channel === 'third-party-platform') complex.push('third-party platform (H-22)');
  if ((input.priorComplaints ?? 0) >= 2) complex.push(`repeated: ${input.priorComplaints} earlier complaints (H-25)`);
  if (RANK[severity] >= RANK.major) complex.push(`${severity} severity`);
  if (complex.length) reasons.push(`complex: ${complex.join(', ')} → a named follow-up owner is required (H-13)`);

  return {
    serviceType: input.serviceType,
    type,
    severity,
    source: input.source,
    team,
    management,
    complexity: complex.length ? 'complex' : 'simple',
    reasons,
  };
}
