/**
 * The complaint console (read-only): GET /console, /console/complaints/{id}, /console/quality,
 * /console/workflow.
 * Routing by API Gateway's resource path; every error becomes an HTML page, never a stack.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { nextDueAt } from '../../domain/clocks';
import type { SlaPolicy } from '../../domain/sla-policy';
import { TEAMS } from '../../domain/types';
import { requestTime } from '../api/http';
import { complaintView } from '../api/view';
import { isTransient } from '../errors';
import type { ComplaintRepository } from '../ports';
import { errorSummary, logger } from '../runtime/logger';
import { clockBars, InvalidFilterError, openRows, parseFilters } from './console-model';
import { complaintPage, messagePage, openListPage, type PageContext, qualityPage, workflowPage } from './console-pages';
import { InvalidPeriodError, parsePeriod, qualityFromData } from './console-quality';

export type ConsoleStore = Pick<ComplaintRepository, 'get' | 'history' | 'listOpen' | 'readQuality'>;

export interface ConsoleDeps {
  readonly store: ConsoleStore;
  readonly policy: SlaPolicy;
  /** The state machine picture, drawn from the definition CDK deploys (the composition root supplies it). */
  readonly workflowSvg: () => string;
}

/** The stage prefix ('/v1' on AWS) from what API Gateway reports, so links keep it. */
export function basePath(event: APIGatewayProxyEvent): string {
  const full = event.requestContext?.path;
  if (full && event.path && full.endsWith(event.path)) return full.slice(0, full.length - event.path.length);
  return '';
}

const ID = /^[A-Za-z0-9-]{8,64}$/;

async function route(deps: ConsoleDeps, event: APIGatewayProxyEvent, ctx: PageContext): Promise<APIGatewayProxyResult> {
  const query = event.queryStringParameters ?? null;
  switch (event.resource) {
    case '/console': {
      const filters = parseFilters(query);
      const teams = filters.team ? [filters.team] : TEAMS;
      const { items, truncated } = await deps.store.listOpen(teams);
      const rows = openRows(
        items.map((s) => s.complaint),
        filters,
        ctx.now,
        deps.policy,
      );
      return openListPage(ctx, rows, filters, truncated);
    }
    case '/console/complaints/{id}': {
      const id = event.pathParameters?.id ?? '';
      const stored = ID.test(id) ? await deps.store.get(id) : undefined;
      if (!stored) return messagePage(ctx, 404, '找不到投诉 Complaint not found', `No complaint ${id}.`);
      const history = await deps.store.history(id);
      const c = stored.complaint;
      const view = complaintView(c, history, ctx.now, deps.policy, nextDueAt(c, deps.policy));
      return complaintPage(ctx, { complaint: c, view, bars: clockBars(c, ctx.now, deps.policy), history });
    }
    case '/console/quality': {
      const period = parsePeriod(query, ctx.now, deps.policy.timeZone);
      // A few day aggregates per month of the period, however many complaints they count (H-36).
      const data = await deps.store.readQuality(period.from, period.to);
      return qualityPage(ctx, period, qualityFromData(data, deps.policy));
    }
    case '/console/workflow':
      return workflowPage(ctx, deps.workflowSvg());
    default:
      return messagePage(ctx, 404, '找不到页面 Not found', 'This console page does not exist.');
  }
}

export function consoleHandler(deps: ConsoleDeps): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return async (event) => {
    const ctx: PageContext = { base: basePath(event), now: '', timeZone: deps.policy.timeZone };
    try {
      const now = requestTime(event);
      const withNow = { ...ctx, now };
      if (event.httpMethod !== 'GET' && event.httpMethod !== 'HEAD') {
        const page = messagePage(withNow, 405, '不支持的操作 Not allowed', 'The console is read-only.');
        return { ...page, headers: { ...page.headers, Allow: 'GET, HEAD' } };
      }
      return await route(deps, event, withNow);
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
