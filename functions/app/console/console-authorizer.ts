/**
 * The console's API Gateway authorizer (REQUEST type, identity source: the Cookie header). It
 * verifies the session cookie's ID token (signature, issuer, audience, expiry) and hands the
 * console who is asking; the console decides what they may see (functions/domain/access.ts).
 * A request without a valid session is refused with "Unauthorized", which API Gateway answers
 * with 401 (the stack turns that into a redirect to the sign-in).
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { MANAGEMENT_GROUP, type Viewer } from '../../domain/access';
import { logger } from '../runtime/logger';
import { type IdTokenVerifier, readCookie, SESSION_COOKIE } from './sign-in';

/** What the authorizer passes on; API Gateway puts it in the console's `requestContext.authorizer`. */
export interface ViewerContext {
  readonly viewerId: string;
  readonly viewerName: string;
  /** Group names, space-separated: authorizer context values must be strings. */
  readonly groups: string;
}

export function viewerContext(viewer: Viewer): ViewerContext {
  return { viewerId: viewer.id, viewerName: viewer.name, groups: viewer.groups.join(' ') };
}

/** The viewer from `requestContext.authorizer`, or undefined when nothing authorized the request. */
export function viewerFrom(authorizer: Record<string, unknown> | null | undefined): Viewer | undefined {
  const id = authorizer?.viewerId;
  if (typeof id !== 'string' || id === '') return undefined;
  const name = typeof authorizer?.viewerName === 'string' && authorizer.viewerName ? authorizer.viewerName : id;
  const groups = typeof authorizer?.groups === 'string' ? authorizer.groups.split(' ').filter(Boolean) : [];
  return { id, name, groups };
}

/**
 * Who asks, for the console: the signed-in person the authorizer passed on, or, in a stack without
 * sign-in (the console behind IAM), the IAM caller, who may invoke the console at all only by a
 * policy the carrier granted and so sees every team, as management does.
 */
export function consoleViewer(requestContext: {
  readonly authorizer?: Record<string, unknown> | null;
  readonly identity?: { readonly userArn?: string | null; readonly caller?: string | null } | null;
}): Viewer | undefined {
  const signedIn = viewerFrom(requestContext.authorizer);
  if (signedIn) return signedIn;
  const principal = requestContext.identity?.userArn ?? requestContext.identity?.caller;
  return principal ? { id: principal, name: principal, groups: [MANAGEMENT_GROUP] } : undefined;
}

/** Every console route of the stage the request came in on: one decision serves them all while cached. */
export function consoleResources(methodArn: string): string[] {
  const [api, stage] = methodArn.split('/');
  return [`${api}/${stage}/*/console`, `${api}/${stage}/*/console/*`];
}

export function consoleAuthorizer(deps: { readonly verifier: IdTokenVerifier }) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const headers = event.headers ?? {};
    const cookieKey = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie');
    const token = readCookie(cookieKey ? (headers[cookieKey] ?? undefined) : undefined, SESSION_COOKIE);
    if (!token) throw new Error('Unauthorized');
    let viewer: Viewer;
    try {
      viewer = (await deps.verifier.verify(token)).viewer;
    } catch (error) {
      logger.info('console session refused', { reason: error instanceof Error ? error.constructor.name : 'unknown' });
      throw new Error('Unauthorized');
    }
    return {
      principalId: viewer.id,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: consoleResources(event.methodArn) }],
      },
      context: { ...viewerContext(viewer) },
    };
  };
}
