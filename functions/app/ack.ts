/**
 * Escalation acknowledgement behind GET|POST /ack/{token}: the single-use link in each
 * escalation email. Acknowledging stops that clock's ladder (no next level).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { acknowledgeEscalation, clockDefinition, nextDueAt } from '../domain/clocks';
import { EscalationNotFoundError } from '../domain/errors';
import { formatLocal } from '../domain/calendar';
import type { SlaPolicy } from '../../workflows/sla-policy';
import type { ComplaintStore, LinkRecord } from '../adapters/complaint-store';
import { usableLink } from './links';
import { updateComplaint } from './update';
import { escapeHtml, page, PAGES, para } from './pages';
import { LinkUnusableError } from './errors';
import { formFieldErrors } from './forms';
import { logger } from './logger';

export interface AckDeps {
  readonly store: ComplaintStore;
  readonly policy: SlaPolicy;
}

export const ackFormSchema = z.strictObject({
  /** Who acknowledges (optional; recorded in the audit trail, H-37). */
  name: z.string().trim().min(1).max(200).optional(),
});

async function open(deps: AckDeps, token: string | undefined, now: string) {
  const { link, tokenHash } = await usableLink(deps.store, token, 'ack', now);
  const stored = await deps.store.get(link.complaintId);
  if (!stored || link.clockId === undefined || link.level === undefined) throw new LinkUnusableError('unknown');
  const clock = stored.complaint.clocks[link.clockId];
  const escalation = clock?.escalations.find((e) => e.level === link.level);
  if (!clock || !escalation) throw new LinkUnusableError('unknown');
  if (escalation.ackedAt) throw new LinkUnusableError('used');
  return { link, tokenHash, stored, clock, escalation };
}

function describe(deps: AckDeps, link: LinkRecord, escalatedAt: string, deadline: string, complaintId: string): string {
  const def = clockDefinition(deps.policy, link.clockId!);
  const tz = deps.policy.timeZone;
  const rows: [string, string, string][] = [
    ['投诉编号', 'Complaint', complaintId],
    ['时限', 'Clock', `${link.clockId}${def ? ` ${def.title.zh} / ${def.title.en} (${def.clause})` : ''}`],
    ['升级级别', 'Escalation level', String(link.level)],
    ['截止时间', 'Deadline', formatLocal(deadline, tz)],
    ['升级时间', 'Escalated at', formatLocal(escalatedAt, tz)],
  ];
  return `<dl>\n${rows
    .map(([zh, en, v]) => `<dt>${escapeHtml(zh)} <span class="en" lang="en">${escapeHtml(en)}</span></dt><dd>${escapeHtml(v)}</dd>`)
    .join('\n')}\n</dl>`;
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
${describe(deps, opened.link, opened.escalation.at, opened.clock.deadline, opened.stored.complaint.id)}
<form method="post" action="">
<p><label for="name">您的姓名（可选） <span class="en" lang="en">Your name (optional)</span></label><br>
<input id="name" name="name" maxlength="200" autocomplete="name"></p>
<p><button type="submit">确认 <span lang="en">Acknowledge</span></button></p>
</form>`,
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
    outcome = await updateComplaint(deps.store, link.complaintId, (c) => nextDueAt(c, deps.policy), (current) => {
      const complaint = acknowledgeEscalation(current.complaint, link.clockId!, link.level!, now, by);
      return {
        complaint,
        audit: [{ at: now, type: 'escalation-acknowledged', actor: by, detail: { clockId: link.clockId, level: link.level } }],
        extra: [{ kind: 'link-used', tokenHash, usedAt: now }],
        result: undefined,
      };
    });
  } catch (error) {
    if (error instanceof EscalationNotFoundError) return PAGES.unknown();
    throw error;
  }
  if (!outcome.ok) return PAGES.used();
  logger.info('escalation acknowledged', { complaintId: link.complaintId, clockId: link.clockId, level: link.level });
  return page(
    200,
    { zh: '已确认', en: 'Acknowledged' },
    para({ zh: '已记录您的确认，谢谢。', en: 'Your acknowledgement is recorded. Thank you.' }),
  );
}
