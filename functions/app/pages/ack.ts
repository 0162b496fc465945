/**
 * Escalation acknowledgement behind GET|POST /ack/{token}: the single-use link in each
 * escalation email. Acknowledging stops that clock's ladder (no next level).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describeMs, formatLocal, parseInstant } from '../../domain/calendar';
import { clockDefinition, nextDueAt } from '../../domain/clocks';
import { EscalationNotFoundError } from '../../domain/errors';
import { briefSummary } from '../../domain/notifications';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { Complaint } from '../../domain/types';
import * as z from '../../domain/zod';
import { acknowledgement } from '../acknowledgement';
import { LinkUnusableError } from '../errors';
import { usableLink } from '../links';
import type { ComplaintRepository, LinkRecord } from '../ports';
import { logger } from '../runtime/logger';
import { updateComplaint } from '../update';
import { formFieldErrors } from './forms';
import { linkHandler } from './link-handler';
import { facts, heading, PAGES, page, para } from './pages';

export interface AckDeps {
  readonly store: ComplaintRepository;
  readonly policy: SlaPolicy;
}

export const ackFormSchema = z.strictObject({
  /** Who acknowledges (optional; recorded in the audit trail, H-37). */
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
});

async function open(deps: AckDeps, token: string | undefined, now: string) {
  const { link, tokenHash, stored: read } = await usableLink(deps.store, token, 'ack', now);
  const stored = read ?? (await deps.store.get(link.complaintId));
  if (!stored || link.clockId === undefined || link.level === undefined) throw new LinkUnusableError('unknown');
  const clock = stored.complaint.clocks[link.clockId];
  const escalation = clock?.escalations.find((e) => e.level === link.level);
  if (!clock || !escalation) throw new LinkUnusableError('unknown');
  if (escalation.ackedAt) throw new LinkUnusableError('used');
  return { link, tokenHash, stored, clock, escalation };
}

function describe(deps: AckDeps, link: LinkRecord, escalatedAt: string, deadline: string, complaint: Complaint, now: string): string {
  const def = clockDefinition(deps.policy, link.clockId!);
  const tz = deps.policy.timeZone;
  const lateMs = parseInstant(now) - parseInstant(deadline);
  return facts([
    { label: { zh: '投诉编号', en: 'Complaint' }, value: complaint.id },
    { label: { zh: '时限', en: 'Clock' }, value: `${link.clockId}${def ? ` ${def.title.zh} / ${def.title.en} (${def.clause})` : ''}` },
    { label: { zh: '升级级别', en: 'Escalation level' }, value: String(link.level) },
    { label: { zh: '截止时间', en: 'Deadline' }, value: `${formatLocal(deadline, tz)} (${tz})` },
    ...(lateMs > 0 ? [{ label: { zh: '已超时', en: 'Overdue by' }, value: describeMs(lateMs) }] : []),
    { label: { zh: '升级时间', en: 'Escalated at' }, value: formatLocal(escalatedAt, tz) },
    { label: { zh: '责任人', en: 'Owner' }, value: complaint.owner ?? '未派单 / not dispatched yet' },
    ...(complaint.team ? [{ label: { zh: '责任团队', en: 'Team' }, value: complaint.team }] : []),
    { label: { zh: '问题简述', en: 'Issue in brief' }, value: briefSummary(complaint.description) },
  ]);
}

export async function showAck(deps: AckDeps, token: string | undefined, now: string): Promise<APIGatewayProxyResult> {
  let opened;
  try {
    opened = await open(deps, token, now);
  } catch (error) {
    if (error instanceof LinkUnusableError) return PAGES[error.problem]();
    throw error;
  }
  return page(
    200,
    { zh: '确认升级通知', en: 'Acknowledge escalation' },
    `${para({
      zh: '确认后，此时限的升级将不再继续上报。请确认您已接手处理。',
      en: 'Once acknowledged, this clock escalates no further. Please confirm that you have taken it over.',
    })}
<section aria-labelledby="what">
${heading({ zh: '升级详情', en: 'What is escalated' }, 'what')}
${describe(deps, opened.link, opened.escalation.at, opened.clock.deadline, opened.stored.complaint, now)}
</section>
<form method="post" action="" class="block">
<div class="field">
<label for="name">您的姓名（可选） <span class="en" lang="en">Your name (optional)</span></label>
<input type="text" id="name" name="name" maxlength="200" autocomplete="name">
</div>
<p><button type="submit">确认已接手 <span class="en" lang="en">Acknowledge</span></button></p>
</form>`,
    'warn',
  );
}

export async function submitAck(
  deps: AckDeps,
  token: string | undefined,
  form: Record<string, string>,
  now: string,
): Promise<APIGatewayProxyResult> {
  let opened;
  try {
    opened = await open(deps, token, now);
  } catch (error) {
    if (error instanceof LinkUnusableError) return PAGES[error.problem]();
    throw error;
  }
  const parsed = ackFormSchema.safeParse(form);
  if (!parsed.success) return PAGES.badRequest(formFieldErrors(parsed.error));
  const { link, tokenHash } = opened;
  const by = parsed.data.name ?? `${link.to ?? 'recipient'} (link)`;
  let outcome;
  try {
    outcome = await updateComplaint(
      deps.store,
      link.complaintId,
      (c) => nextDueAt(c, deps.policy),
      (current) => {
        const change = acknowledgement(current.complaint, { clockId: link.clockId!, level: link.level!, actor: by, via: 'link' }, now);
        return change ? { ...change, extra: [{ kind: 'link-used', tokenHash, usedAt: now }], result: true } : { result: false };
      },
      opened.stored,
    );
  } catch (error) {
    if (error instanceof EscalationNotFoundError) return PAGES.unknown();
    throw error;
  }
  if (!outcome.ok || !outcome.result) return PAGES.used();
  // 'escalationLevel', not 'level': Powertools reserves 'level' (the log level) and drops it.
  logger.info('escalation acknowledged', { complaintId: link.complaintId, clockId: link.clockId, escalationLevel: link.level });
  return page(
    200,
    { zh: '已确认', en: 'Acknowledged' },
    para({
      zh: '已记录您的确认，此时限不会再继续升级。谢谢。',
      en: 'Your acknowledgement is recorded; this clock escalates no further. Thank you.',
    }),
    'ok',
  );
}

/** GET|POST /ack/{token} (no IAM: the single-use token is the credential): acknowledge an escalation. */
export function ackHandler(deps: AckDeps): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return linkHandler({
    get: (token, now) => showAck(deps, token, now),
    post: (token, form, now) => submitAck(deps, token, form, now),
  });
}
