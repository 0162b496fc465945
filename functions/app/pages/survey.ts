/**
 * The satisfaction survey (H-33) behind GET|POST /survey/{token}: the token is the credential
 * (single use, expires when the survey closes). The answer meets the survey milestone; "not
 * solved" makes the workflow reopen the complaint (H-34).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { formatLocal } from '../../domain/calendar';
import { nextDueAt } from '../../domain/clocks';
import { EventNotAllowedError, InvalidEventError } from '../../domain/errors';
import { answerSurvey } from '../../domain/lifecycle';
import { redactPersonalData } from '../../domain/masking';
import { briefSummary } from '../../domain/notifications';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { Complaint } from '../../domain/types';
import * as z from '../../domain/zod';
import { LinkUnusableError } from '../errors';
import { usableLink } from '../links';
import { milestoneMetOutput } from '../milestone-met';
import type { ComplaintRepository, StoredComplaint, WorkflowCallbacks } from '../ports';
import { errorSummary, logger } from '../runtime/logger';
import { countEvent } from '../runtime/metrics';
import { updateComplaint } from '../update';
import { formFieldErrors } from './forms';
import { linkHandler } from './link-handler';
import { escapeHtml, facts, heading, PAGES, page, para } from './pages';

export interface SurveyDeps {
  readonly store: ComplaintRepository;
  readonly workflow: WorkflowCallbacks;
  readonly policy: SlaPolicy;
}

export const surveyFormSchema = z.strictObject({
  solved: z.enum(['yes', 'no']),
  score: z.optional(z.enum(['1', '2', '3', '4', '5'])),
  comment: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
});

function linkProblemPage(error: LinkUnusableError): APIGatewayProxyResult {
  return PAGES[error.problem]();
}

async function openSurvey(deps: SurveyDeps, token: string | undefined, now: string) {
  const { link, tokenHash, stored: read } = await usableLink(deps.store, token, 'survey', now);
  const stored = read ?? (await deps.store.get(link.complaintId));
  if (stored?.complaint.status !== 'surveying' || stored.complaint.milestone !== 'survey') {
    throw new LinkUnusableError('closed');
  }
  return { link, tokenHash, stored };
}

/** The complaint in brief and the written result (H-32), masked (H-42), above the questions. */
function surveyContext(complaint: Complaint, closesAt: string, timeZone: string): string {
  const r = complaint.resolution;
  const result = r
    ? facts([
        { label: { zh: '解决了什么', en: 'What was solved' }, value: redactPersonalData(r.what) },
        { label: { zh: '如何解决', en: 'How' }, value: redactPersonalData(r.how) },
        { label: { zh: '后续事项', en: 'Follow-up' }, value: r.followUp ? redactPersonalData(r.followUp) : '无 / none' },
      ])
    : '';
  return `<section aria-labelledby="about">
${heading({ zh: '您的投诉', en: 'Your complaint' }, 'about')}
${facts([
  { label: { zh: '投诉编号', en: 'Complaint number' }, value: complaint.id },
  { label: { zh: '受理时间', en: 'Received' }, value: formatLocal(complaint.receivedAt, timeZone) },
  { label: { zh: '问题简述', en: 'Issue in brief' }, value: briefSummary(complaint.description) },
])}
</section>
${result ? `<section aria-labelledby="result" class="block">\n${heading({ zh: '处理结果', en: 'The result' }, 'result')}\n${result}\n</section>` : ''}
<p class="note">问卷开放至 ${escapeHtml(formatLocal(closesAt, timeZone))}。 <span class="en" lang="en">The survey is open until ${escapeHtml(formatLocal(closesAt, timeZone))} (${escapeHtml(timeZone)}).</span></p>`;
}

function choice(name: string, value: string, zh: string, en: string, required = false): string {
  return `<label class="choice"><input type="radio" name="${name}" value="${value}"${required ? ' required' : ''}> <span>${escapeHtml(zh)} <span class="en" lang="en">${escapeHtml(en)}</span></span></label>`;
}

export async function showSurvey(deps: SurveyDeps, token: string | undefined, now: string): Promise<APIGatewayProxyResult> {
  let opened;
  try {
    opened = await openSurvey(deps, token, now);
  } catch (error) {
    if (error instanceof LinkUnusableError) return linkProblemPage(error);
    throw error;
  }
  const scores = [1, 2, 3, 4, 5]
    .map(
      (n) => `<label class="choice"><input type="radio" name="score" value="${n}" aria-describedby="score-hint"> <span>${n}</span></label>`,
    )
    .join('\n');
  return page(
    200,
    { zh: '满意度回访', en: 'Satisfaction survey' },
    `${para({ zh: '感谢您的耐心。请告诉我们您的问题是否已经解决。', en: 'Thank you for your patience. Please tell us whether your problem is solved.' })}
${surveyContext(opened.stored.complaint, opened.link.expiresAt, deps.policy.timeZone)}
<form method="post" action="" class="block">
<fieldset>
<legend>问题是否已解决？ <span class="en" lang="en">Is your problem solved?</span> <span class="req" aria-hidden="true">*</span></legend>
<div class="choices">
${choice('solved', 'yes', '已解决', 'Yes, solved', true)}
${choice('solved', 'no', '未解决', 'No, not solved')}
</div>
</fieldset>
<fieldset>
<legend>满意度评分（可选） <span class="en" lang="en">How satisfied are you? (optional)</span></legend>
<div class="scale">
${scores}
</div>
<p class="hint" id="score-hint"><span>1 非常不满意 <span lang="en">very dissatisfied</span></span><span>5 非常满意 <span lang="en">very satisfied</span></span></p>
</fieldset>
<div class="field">
<label for="comment">意见或建议（可选） <span class="en" lang="en">Comments (optional)</span></label>
<textarea id="comment" name="comment" rows="5" maxlength="2000"></textarea>
</div>
<p><button type="submit">提交 <span class="en" lang="en">Submit</span></button></p>
</form>`,
  );
}

export async function submitSurvey(
  deps: SurveyDeps,
  token: string | undefined,
  form: Record<string, string>,
  now: string,
): Promise<APIGatewayProxyResult> {
  let opened;
  try {
    opened = await openSurvey(deps, token, now);
  } catch (error) {
    if (error instanceof LinkUnusableError) return linkProblemPage(error);
    throw error;
  }
  const parsed = surveyFormSchema.safeParse(form);
  if (!parsed.success) return PAGES.badRequest(formFieldErrors(parsed.error));
  const answer = {
    solved: parsed.data.solved === 'yes',
    ...(parsed.data.score ? { score: Number(parsed.data.score) } : {}),
    ...(parsed.data.comment ? { comment: parsed.data.comment } : {}),
  };
  const saved = await saveAnswer(deps, opened, answer, now);
  if ('statusCode' in saved) return saved;
  await resumeWorkflow(deps, saved);
  return thanksPage(answer.solved);
}

type SurveyAnswer = Parameters<typeof answerSurvey>[1];

/**
 * Records the answer with the link marked used, in one save. Answers the saved complaint, or the
 * page to show when the answer does not count (the survey closed, a rule broken, or the link used
 * meanwhile by another submission, which counts instead).
 */
async function saveAnswer(
  deps: SurveyDeps,
  opened: Awaited<ReturnType<typeof openSurvey>>,
  answer: SurveyAnswer,
  now: string,
): Promise<StoredComplaint | APIGatewayProxyResult> {
  const id = opened.link.complaintId;
  let outcome;
  try {
    outcome = await updateComplaint(
      deps.store,
      id,
      (c) => nextDueAt(c, deps.policy),
      (current) => {
        const r = answerSurvey(current.complaint, answer, now, deps.policy);
        return {
          complaint: r.complaint,
          audit: r.audit,
          extra: [{ kind: 'link-used', tokenHash: opened.tokenHash, usedAt: now }],
          result: r.outcome,
        };
      },
      opened.stored,
    );
  } catch (error) {
    if (error instanceof EventNotAllowedError) return PAGES.closed();
    if (error instanceof InvalidEventError) return PAGES.badRequest(error.issues.map((i) => i.path));
    throw error;
  }
  if (!outcome.ok) return PAGES.used();
  logger.info('survey answered', { complaintId: id, outcome: outcome.result });
  if (outcome.result) countEvent('SurveyAnswered', { outcome: outcome.result });
  return outcome.stored;
}

/** The waiting survey state hears the answer (SendTaskSuccess). */
async function resumeWorkflow(deps: SurveyDeps, stored: StoredComplaint): Promise<void> {
  if (!stored.waitToken || stored.waitMilestone !== 'survey') return;
  try {
    await deps.workflow.succeed(stored.waitToken, milestoneMetOutput(stored, 'survey', deps.policy));
  } catch (error) {
    // Recorded anyway: the waiting state sees the answer when its timer re-arms (await-milestone).
    logger.error('SendTaskSuccess for the survey failed', { complaintId: stored.complaint.id, ...errorSummary(error) });
  }
}

function thanksPage(solved: boolean): APIGatewayProxyResult {
  return page(
    200,
    { zh: '感谢您的反馈', en: 'Thank you for your feedback' },
    solved
      ? para({ zh: '我们已记录您的评价。祝您生活愉快！', en: 'We have recorded your answer. Thank you for helping us improve.' })
      : para({
          zh: '我们已记录您的反馈，将重新处理您的问题，并尽快与您联系。',
          en: 'We have recorded your answer; your complaint will be handled again and we will contact you soon.',
        }),
    'ok',
  );
}

/** GET|POST /survey/{token} (no IAM: the single-use token is the credential). H-33. */
export function surveyHandler(deps: SurveyDeps): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return linkHandler({
    get: (token, now) => showSurvey(deps, token, now),
    post: (token, form, now) => submitSurvey(deps, token, form, now),
  });
}
