/**
 * The SLA clock table, drawn from the policy as the workflow picture is drawn from the definition,
 * so the documented clocks cannot drift from the ones the Lambdas keep. `npm run docs:generate`
 * writes it between markers in docs/sla-policy.md; a unit test holds the committed text to it.
 */
import { parseIsoDurationMs } from '../functions/domain/calendar';
import type { ClockPolicy, SlaPolicy } from '../functions/domain/sla-policy';

type Duration = ClockPolicy['duration'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** '15 min', '1 h 30 min', '72 h', '15 days', '7 days 12 h': hours up to a week, days beyond. */
export function formatSpan(ms: number): string {
  const days = ms >= 7 * DAY ? Math.floor(ms / DAY) : 0;
  let rest = ms - days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  const seconds = Math.round((rest - minutes * MINUTE) / 1000);
  const parts = [
    days ? `${days} ${days === 1 ? 'day' : 'days'}` : '',
    hours ? `${hours} h` : '',
    minutes ? `${minutes} min` : '',
    seconds || ms === 0 ? `${seconds} s` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

function formatDuration(duration: Duration): string {
  if (typeof duration === 'string') return formatSpan(parseIsoDurationMs(duration));
  return `${duration.workingDays} working ${duration.workingDays === 1 ? 'day' : 'days'}`;
}

/** A fraction of a duration, for the warning column: '15 min', '1.5 working days'. */
function fractionOf(duration: Duration, fraction: number): string {
  if (typeof duration === 'string') return formatSpan(Math.round(parseIsoDurationMs(duration) * fraction));
  return `${Number((duration.workingDays * fraction).toFixed(2))} working days`;
}

/** The handbook requirement a clock id names ('H-10-investigation' → 'H-10'); the regulator's clock has none. */
function requirementOf(clock: ClockPolicy): string {
  return /^H-\d+/.exec(clock.id)?.[0] ?? '—';
}

function span(clock: ClockPolicy): string {
  const from = clock.from === 'received' ? 'received' : clock.starts;
  return `${from} → ${clock.stops.join(' or ')}`;
}

function durationCell(clock: ClockPolicy): string {
  const channels = Object.entries(clock.byChannel ?? {}).map(([channel, d]) => `${channel}: ${formatDuration(d)}`);
  const base = formatDuration(clock.duration);
  const byChannel = channels.length ? `${base} (${channels.join(', ')})` : base;
  return clock.appliesTo ? `${byChannel}, ${clock.appliesTo.join(' and ')} only` : byChannel;
}

function warningCell(clock: ClockPolicy): string {
  if (clock.warnAt.length === 0) return 'none';
  return [...clock.warnAt]
    .sort((a, b) => a - b)
    .map((f) => `${Math.round(f * 100)}% (${fractionOf(clock.duration, f)})`)
    .join(', ');
}

function escalationCell(clock: ClockPolicy): string {
  return clock.escalation
    .map((step) => {
      if (step.level === 1) return `L1 ${step.to} at the deadline`;
      return `L${step.level} ${step.to} after ${formatDuration(step.after ?? clock.duration)} unacknowledged`;
    })
    .join('; ');
}

function pauseCell(clock: ClockPolicy): string {
  if (!clock.pausable) return 'never pauses';
  return clock.calendar === 'cn-working-days' ? 'pauses (moves by the working time paused)' : 'pauses';
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function clockRow(clock: ClockPolicy): string {
  const id = clock.enabled ? `\`${clock.id}\`` : `\`${clock.id}\` (disabled)`;
  const what = `${clock.title.en} / ${clock.title.zh}`;
  const cells = [
    id,
    requirementOf(clock),
    clock.clause,
    what,
    span(clock),
    durationCell(clock),
    warningCell(clock),
    escalationCell(clock),
    clock.continuesOnFailure ? 'yes' : 'no',
    pauseCell(clock),
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** The policy's clocks as Markdown: one table row per clock, then the reading behind each clock. */
export function renderSlaTable(policy: SlaPolicy): string {
  const header = [
    '| Clock | H-ID | Clause | What it measures | From → stops | Duration | Warning | Escalation | Continues on failure | Pauses |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const settings = [
    `Policy \`${policy.version}\`, time zone \`${policy.timeZone}\`.`,
    `Survey (H-33): a reminder after ${formatDuration(policy.survey.reminderAfter)}, closed unanswered after ${formatDuration(policy.survey.closesAfter)}.`,
    `Paused time credited to the clocks: ${policy.pause.maxTotal ? `at most ${formatDuration(policy.pause.maxTotal)} a complaint` : 'no cap'}.`,
  ];
  const notes = policy.clocks.filter((c) => c.note).map((c) => `- \`${c.id}\`: ${c.note}`);
  return [...header, ...policy.clocks.map(clockRow), '', settings.join(' '), '', 'Why each clock reads as it does:', '', ...notes].join(
    '\n',
  );
}

/** The generated text sits between these two lines; everything around them is written by hand. */
export const SLA_TABLE_START = '<!-- sla-table:start: generated by npm run docs:generate from DEFAULT_SLA_POLICY; do not edit -->';
export const SLA_TABLE_END = '<!-- sla-table:end -->';

/** `markdown` with the text between the markers replaced by `generated`. Throws when a marker is missing. */
export function withGeneratedSection(markdown: string, generated: string, start = SLA_TABLE_START, end = SLA_TABLE_END): string {
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) throw new Error(`expected the markers ${start} and ${end}, in that order`);
  return `${markdown.slice(0, from + start.length)}\n${generated}\n${markdown.slice(to)}`;
}
