/**
 * The complaint console: GET /console, /console/complaints/{id}, /console/quality, /console/workflow,
 * and POST /console/complaints/{id}/acknowledge. Who is asking comes from the authorizer (the
 * signed-in person and their groups); what they see follows functions/domain/access.ts.
 * Routing by API Gateway's resource path; every error becomes an HTML page, never a stack.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type Access, accessOf, mayAcknowledge, maySee, type Viewer } from '../../domain/access';
import { nextDueAt } from '../../domain/clocks';
import { EscalationNotFoundError } from '../../domain/errors';
import type { SlaPolicy } from '../../domain/sla-policy';
import { type Complaint, TEAMS } from '../../domain/types';
import { complaintView } from '../api/view';
import { isTransient } from '../errors';
import { requestTime } from '../http';
import { formBody, formFieldErrors } from '../pages/forms';
import type { ComplaintRepository } from '../ports';
import { errorSummary, logger } from '../runtime/logger';
import { type ConsoleAckForm, type ConsoleAckOutcome, consoleAckFormSchema } from './console-ack';
import { consoleViewer } from './console-authorizer';
import { clockBars, InvalidFilterError, openRows, parseFilters } from './console-model';
import { complaintPage, messagePage, openListPage, type PageContext, qualityPage, workflowPage } from './console-pages';
import { InvalidPeriodError, parsePeriod, qualityFromData } from './console-quality';

export type ConsoleStore = Pick<ComplaintRepository, 'get' | 'history' | 'listOpen' | 'readQuality'>;

export interface ConsoleDeps {
  readonly store: ConsoleStore;
  readonly policy: SlaPolicy;
  /** The state machine picture, drawn from the definition CDK deploys (the composition root supplies it). */
  readonly workflowSvg: () => string;
  /** Records an acknowledgement by the signed-in person (console-ack.ts). */
  readonly acknowledge: (complaintId: string, form: ConsoleAckForm, viewer: Viewer, now: string) => Promise<ConsoleAckOutcome>;
}

interface Asker {
  readonly viewer: Viewer;
  readonly access: Access;
}

/** The stage prefix ('/v1' on AWS) from what API Gateway reports, so links keep it. */
export function basePath(event: APIGatewayProxyEvent): string {
  const full = event.requestContext?.path;
  if (full && event.path && full.endsWith(event.path)) return full.slice(0, full.length - event.path.length);
  return '';
}

const ID = /^[A-Za-z0-9-]{8,64}$/;

async function route(deps: ConsoleDeps, event: APIGatewayProxyEvent, ctx: PageContext, asker: Asker): Promise<APIGatewayProxyResult> {
  const query = event.queryStringParameters ?? null;
  switch (event.resource) {
    case '/console':
      return openList(deps, ctx, asker, query);
    case '/console/complaints/{id}':
      return complaintDetail(deps, ctx, asker, event.pathParameters?.id ?? '');
    case '/console/complaints/{id}/acknowledge':
      return acknowledge(deps, ctx, asker, event);
    case '/console/quality': {
      const period = parsePeriod(query, ctx.now, deps.policy.timeZone);
      // A few day aggregates per month of the period, however many complaints they count (H-36);
      // a supervisor's figures count their own teams only.
      const data = await deps.store.readQuality(period.from, period.to, asker.access.allTeams ? undefined : asker.access.teams);
      return qualityPage(ctx, period, qualityFromData(data, deps.policy));
    }
    case '/console/workflow':
      return workflowPage(ctx, deps.workflowSvg());
    default:
      return messagePage(ctx, 404, '找不到页面 Not found', 'This console page does not exist.');
  }
}

async function openList(deps: ConsoleDeps, ctx: PageContext, asker: Asker, query: Record<string, string | undefined> | null) {
  const filters = parseFilters(query);
  const teams = (filters.team ? [filters.team] : TEAMS).filter((team) => asker.access.teams.includes(team));
  const { items, truncated } = teams.length > 0 ? await deps.store.listOpen(teams) : { items: [], truncated: false };
  const rows = openRows(
    items.map((s) => s.complaint),
    filters,
    ctx.now,
    deps.policy,
  );
  return openListPage(ctx, rows, filters, truncated);
}

const teamOf = (c: Complaint) => c.team ?? c.classification?.team;
const notYours = (ctx: PageContext) =>
  messagePage(ctx, 403, '无权查看 Not your team', "This complaint belongs to another team; your sign-in's groups do not include it.");

async function complaintDetail(deps: ConsoleDeps, ctx: PageContext, asker: Asker, id: string) {
  const stored = ID.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return messagePage(ctx, 404, '找不到投诉 Complaint not found', `No complaint ${id}.`);
  const c = stored.complaint;
  if (!maySee(asker.access, teamOf(c))) return notYours(ctx);
  const history = await deps.store.history(id);
  const view = complaintView(c, history, ctx.now, deps.policy, nextDueAt(c, deps.policy));
  const canAcknowledge = mayAcknowledge(asker.access, teamOf(c));
  return complaintPage(ctx, { complaint: c, view, bars: clockBars(c, ctx.now, deps.policy), history, canAcknowledge });
}

/** H-08: the signed-in supervisor or manager takes an escalated clock over; then back to the complaint. */
async function acknowledge(deps: ConsoleDeps, ctx: PageContext, asker: Asker, event: APIGatewayProxyEvent) {
  const id = event.pathParameters?.id ?? '';
  const stored = ID.test(id) ? await deps.store.get(id) : undefined;
  if (!stored) return messagePage(ctx, 404, '找不到投诉 Complaint not found', `No complaint ${id}.`);
  if (!maySee(asker.access, teamOf(stored.complaint))) return notYours(ctx);
  if (!mayAcknowledge(asker.access, teamOf(stored.complaint)))
    return messagePage(
      ctx,
      403,
      '无权确认 Cannot acknowledge',
      'Only a supervisor of this team or management acknowledges its escalations.',
    );
  const form = consoleAckFormSchema.safeParse(formBody(event));
  if (!form.success) return messagePage(ctx, 400, '表单无效 Invalid form', `Check: ${formFieldErrors(form.error).join(', ')}.`);
  try {
    await deps.acknowledge(id, form.data, asker.viewer, ctx.now);
  } catch (error) {
    if (error instanceof EscalationNotFoundError) return messagePage(ctx, 404, '找不到升级 Escalation not found', error.message);
    throw error;
  }
  return { statusCode: 303, headers: { Location: `${ctx.base}/console/complaints/${id}`, 'Cache-Control': 'no-store' }, body: '' };
}

const signInPage = (ctx: PageContext) =>
  messagePage(ctx, 401, '请先登录 Please sign in', `Sign in at ${ctx.base}/console/sign-in to use the complaint console.`);

export function consoleHandler(deps: ConsoleDeps): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return async (event) => {
    const ctx: PageContext = { base: basePath(event), now: '', timeZone: deps.policy.timeZone };
    try {
      const now = requestTime(event);
      const viewer = consoleViewer(event.requestContext ?? {});
      if (!viewer) return signInPage({ ...ctx, now });
      const withNow = { ...ctx, now, viewer };
      const allowed = event.resource === '/console/complaints/{id}/acknowledge' ? ['POST'] : ['GET', 'HEAD'];
      if (!allowed.includes(event.httpMethod)) {
        const page = messagePage(withNow, 405, '不支持的操作 Not allowed', `This console page answers ${allowed.join(' and ')}.`);
        return { ...page, headers: { ...page.headers, Allow: allowed.join(', ') } };
      }
      return await route(deps, event, withNow, { viewer, access: accessOf(viewer) });
    } catch (error) {
      const now = new Date(event.requestContext?.requestTimeEpoch ?? 0).toISOString();
      const at = { ...ctx, now };
      if (error instanceof InvalidFilterError)
        return messagePage(at, 400, '筛选条件无效 Invalid filter', `Unknown value for: ${error.fields.join(', ')}.`);
      if (error instanceof InvalidPeriodError) return messagePage(at, 400, '时间段无效 Invalid period', error.message);
      if (isTransient(error)) {
        logger.warn('temporarily unavailable', errorSummary(error));
        const page = messagePage(at, 503, '暂时无法访问 Temporarily unavailable', 'Please reload in a moment.');
        return { ...page, headers: { ...page.headers, 'Retry-After': '1' } };
      }
      logger.error('unhandled error', errorSummary(error));
      return messagePage(at, 500, '出错了 Something went wrong', 'The page could not be built.');
    }
  };
}
