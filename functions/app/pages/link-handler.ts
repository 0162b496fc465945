/** Plumbing shared by the link handlers (survey, acknowledgement): method dispatch and error pages. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isTransient } from '../errors';
import { requestTime } from '../http';
import { errorSummary, logger } from '../runtime/logger';
import { formBody } from './forms';
import { htmlErrorPage, PAGES } from './pages';

export interface LinkRoutes {
  get(token: string | undefined, now: string): Promise<APIGatewayProxyResult>;
  post(token: string | undefined, form: Record<string, string>, now: string): Promise<APIGatewayProxyResult>;
}

export function linkHandler(routes: LinkRoutes): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return async (event) => {
    try {
      const now = requestTime(event);
      const token = event.pathParameters?.token;
      if (event.httpMethod === 'GET') return await routes.get(token, now);
      if (event.httpMethod === 'POST') return await routes.post(token, formBody(event), now);
      return PAGES.methodNotAllowed();
    } catch (error) {
      const page = htmlErrorPage(error);
      if (page) return page;
      if (isTransient(error)) {
        logger.warn('temporarily unavailable', errorSummary(error));
        return PAGES.unavailable();
      }
      logger.error('unhandled error', errorSummary(error));
      return PAGES.error();
    }
  };
}
