/**
 * The satisfaction survey (H-33) behind GET|POST /survey/{token}: the token is the credential
 * (single use, expires when the survey closes). The answer meets the survey milestone; "not
 * solved" makes the workflow reopen the complaint (H-34).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { answerSurvey } from '../domain/lifecycle';
import { nextDueAt } from '../domain/clocks';
import { EventNotAllowedError, InvalidEventError } from '../domain/errors';
import type { SlaPolicy } from '../../workflows/sla-policy';
import type { ComplaintStore } from '../adapters/complaint-store';
import type { Workflow } from '../adapters/workflow';
import { usableLink } from './links';
import { updateComplaint } from './update';
import { page, PAGES, para } from './pages';
import { milestoneMetOutput } from './tasks';
import { errorSummary, logger } from './logger';
import { LinkUnusableError } from './errors';
import { formFieldErrors } from './forms';

export interface SurveyDeps {
  readonly store: ComplaintStore;
  readonly workflow: Workflow;
  readonly policy: SlaPolicy;
}

export const surveyFormSchema = z.strictObject({
  solved: z.enum(['yes', 'no']),
  score: z.enum(['1', '2', '3', '4', '5']).optional(),
  comment: z.string().trim().max(2000).optional(),
});

function linkProblemPage(error: LinkUnusableError): APIGatewayProxyResult {
  return PAGES[error.problem]();
}

async function openSurvey(deps: SurveyDeps, token: string | undefined, now: string) {
  const { link, tokenHash } = await usableLink(deps.store, token, 'survey', now);
  const stored = await deps.store.get(link.complaintId);
  if (!stored || stored.complaint.status !== 'surveying' || stored.complaint.milestone !== 'survey') {
    throw new LinkUnusableError('closed');
  }
  return { link, tokenHash, stored };
}

export async function showSurvey(deps: SurveyDeps, token: string | undefined, now: string): Promise<APIGatewayProxyResult> {
  try {
    await openSurvey(deps, token, now);
  } catch (error) {
    if (error instanceof LinkUnusableError) return linkProblemPage(error);
    throw error;
  }
  const scores = [1, 2, 3, 4, 5]
    .map((n) => `<label><input type="radio" name="score" value="${n}"> ${n}</label>`)
    .join('\n');
  return page(
    200,
    { zh: '满意度回访', en: 'Satisfaction survey' },
    `${para({ zh: '感谢您的耐心。请告诉我们您的问题是否已经解决。', en: 'Thank you for your patience. Please tell us whether your problem is solved.' })}
<form method="post" action="">
<fieldset>
<legend>问题是否已解决？ <span class="en" lang="en">Is your problem solved?</span></legend>
<label><input type="radio" name="solved" value="yes" required> 已解决 <span lang="en">Yes</span></label>
<label><input type="radio" name="solved" value="no"> 未解决 <span lang="en">No</span></label>
</fieldset>
<fieldset>
<legend>满意度评分（1 最低，5 最高，可选） <span class="en" lang="en">Score (1 lowest, 5 highest, optional)</span></legend>
${scores}
</fieldset>
<p><label for="comment">意见或建议（可选） <span class="en" lang="en">Comments (optional)</span></label><br>
<textarea id="comment" name="comment" rows="5" cols="50" maxlength="2000"></textarea></p>
<p><button type="submit">提交 <span lang="en">Submit</span></button></p>
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
  const id = opened.link.complaintId;
  let outcome;
  try {
    outcome = await updateComplaint(deps.store, id, (c) => nextDueAt(c, deps.policy), (current) => {
      const r = answerSurvey(current.complaint, answer, now, deps.policy);
      return { complaint: r.complaint, audit: r.audit, extra: [{ kind: 'link-used', tokenHash: opened.tokenHash, usedAt: now }], result: r.outcome };
    });
  } catch (error) {
    if (error instanceof EventNotAllowedError) return PAGES.closed();
    if (error instanceof InvalidEventError) return PAGES.badRequest(error.issues.map((i) => i.path));
    throw error;
  }
  // Used concurrently by another submission: that one counts.
  if (!outcome.ok) return PAGES.used();
  logger.info('survey answered', { complaintId: id, outcome: outcome.result });

  const stored = outcome.stored;
  if (stored.waitToken && stored.waitMilestone === 'survey') {
    try {
      await deps.workflow.succeed(stored.waitToken, milestoneMetOutput(stored, 'survey', deps.policy));
    } catch (error) {
      // Recorded anyway: the waiting state sees the answer when its timer re-arms (await-milestone).
      logger.error('SendTaskSuccess for the survey failed', { complaintId: id, ...errorSummary(error) });
    }
  }
  return page(
    200,
    { zh: '感谢您的反馈', en: 'Thank you for your feedback' },
    answer.solved
      ? para({ zh: '我们已记录您的评价。', en: 'We have recorded your answer.' })
      : para({
          zh: '我们已记录您的反馈，将重新处理您的问题，并尽快与您联系。',
          en: 'We have recorded your answer; your complaint will be handled again and we will contact you soon.',
        }),
  );
}
