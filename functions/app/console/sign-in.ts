/**
 * Console sign-in for people on AWS: the user pool's hosted login with the OAuth 2.0 authorization
 * code flow and PKCE (RFC 7636), then an HttpOnly, Secure, SameSite=Strict session cookie holding
 * the ID token, which the console's authorizer verifies on every request. The pages stay
 * script-free: every step is a redirect or a plain page.
 *
 * Routes (no API Gateway authorizer: they are how one gets a session):
 * - GET /console/sign-in?next=…  → the hosted login, with a PKCE challenge and a state
 * - GET /console/callback?code&state → token exchange, session cookie, then on to `next`
 * - GET /console/sign-out → clears the session and ends the hosted-login session
 * - GET /console/signed-out → a page saying so, with a link to sign in again
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export { type IdTokenVerifier, type Session, SignInRejectedError, type TokenExchange } from '../ports';

import { escapeHtml, messagePage } from '../pages/pages';
import { type IdTokenVerifier, SignInRejectedError, type TokenExchange } from '../ports';

export const SESSION_COOKIE = 'complaint_loop_session';
export const SIGN_IN_COOKIE = 'complaint_loop_sign_in';
/** A sign-in started and not finished within this many seconds must start again. */
const SIGN_IN_TTL_S = 600;

export interface SignInSettings {
  /** The hosted login's base URL, e.g. https://<prefix>.auth.<region>.amazoncognito.com. */
  readonly loginUrl: string;
  readonly clientId: string;
  /** The API's public base URL including the stage, e.g. https://…/v1: callback and sign-out return here. */
  readonly baseUrl: string;
}

export interface SignInDeps {
  readonly settings: SignInSettings;
  readonly tokens: TokenExchange;
  readonly verifier: IdTokenVerifier;
  /** Host time in epoch seconds (cookie lifetimes). */
  readonly nowSeconds: () => number;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');
export const codeChallenge = (verifier: string) => base64url(createHash('sha256').update(verifier).digest());

/** Only paths inside the console: never an open redirect to another site. */
export function safeNext(next: string | undefined | null): string {
  const path = next?.split('?')[0] ?? '';
  const wellFormed = next && /^\/console(\/[A-Za-z0-9/_.-]*)?(\?[A-Za-z0-9=&%_.-]*)?$/.test(next);
  return wellFormed && !path.split('/').some((segment) => segment === '.' || segment === '..') ? next : '/console';
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function cookieHeader(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): string | undefined {
  const headers = event.headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie');
  return key ? (headers[key] ?? undefined) : undefined;
}

function cookie(name: string, value: string, options: { path: string; maxAge: number; sameSite: 'Strict' | 'Lax' }): string {
  return `${name}=${value}; Path=${options.path}; Max-Age=${options.maxAge}; HttpOnly; Secure; SameSite=${options.sameSite}`;
}

function redirect(location: string, cookies: readonly string[]): APIGatewayProxyResult {
  return {
    statusCode: 302,
    headers: { Location: location, 'Cache-Control': 'no-store' },
    multiValueHeaders: { 'Set-Cookie': [...cookies] },
    body: '',
  };
}

const callbackUrl = (settings: SignInSettings) => `${settings.baseUrl}/console/callback`;
/** The cookie path: the stage prefix of the base URL, so the session covers every console route. */
const cookiePath = (settings: SignInSettings) => new URL(settings.baseUrl).pathname.replace(/\/$/, '') || '/';

/** Step 1: send the browser to the hosted login with a fresh state and PKCE challenge. */
export function startSignIn(deps: SignInDeps, next: string | undefined): APIGatewayProxyResult {
  const state = base64url(randomBytes(24));
  const verifier = base64url(randomBytes(48));
  const target = safeNext(next);
  const authorize = new URL('/oauth2/authorize', deps.settings.loginUrl);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: deps.settings.clientId,
    redirect_uri: callbackUrl(deps.settings),
    scope: 'openid email',
    state,
    code_challenge: codeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  // Lax, not Strict: the browser must send it on the top-level return from the hosted login's site.
  const transaction = cookie(SIGN_IN_COOKIE, `${state}.${verifier}.${base64url(Buffer.from(target))}`, {
    path: `${cookiePath(deps.settings)}/console`.replace('//', '/'),
    maxAge: SIGN_IN_TTL_S,
    sameSite: 'Lax',
  });
  return redirect(authorize.toString(), [transaction]);
}

function sameState(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const signInFailed = (why: string) =>
  messagePage(
    400,
    { zh: '登录未完成', en: 'Sign-in did not complete' },
    { zh: `${why} 请重新登录。`, en: `${why} Please sign in again.` },
    'warn',
  );

/** Step 2: the hosted login came back with a code; exchange it, verify the token, open the session. */
export async function completeSignIn(deps: SignInDeps, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const code = event.queryStringParameters?.code;
  const state = event.queryStringParameters?.state;
  const [savedState, verifier, encodedNext] = (readCookie(cookieHeader(event), SIGN_IN_COOKIE) ?? '').split('.');
  if (!code || !state) return signInFailed('The sign-in answer lacks its code or state.');
  if (!savedState || !verifier || !sameState(state, savedState)) return signInFailed('This sign-in was not started here or has expired.');
  let idToken: string;
  try {
    ({ idToken } = await deps.tokens.exchange({ code, codeVerifier: verifier, redirectUri: callbackUrl(deps.settings) }));
  } catch (error) {
    if (error instanceof SignInRejectedError) return signInFailed('The identity provider refused this sign-in.');
    throw error;
  }
  const session = await deps.verifier.verify(idToken);
  const path = cookiePath(deps.settings);
  const maxAge = Math.max(0, session.expiresAt - deps.nowSeconds());
  const next = `${path === '/' ? '' : path}${safeNext(Buffer.from(encodedNext ?? '', 'base64url').toString())}`;
  return {
    statusCode: 200,
    // A page that moves on by itself: a redirect here would carry the hosted login's cross-site
    // context, and browsers would then withhold the new SameSite=Strict cookie on the next request.
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
    multiValueHeaders: {
      'Set-Cookie': [
        cookie(SESSION_COOKIE, idToken, { path, maxAge, sameSite: 'Strict' }),
        cookie(SIGN_IN_COOKIE, '', { path: `${path}/console`.replace('//', '/'), maxAge: 0, sameSite: 'Lax' }),
      ],
    },
    body:
      `<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escapeHtml(next)}">` +
      `<title>已登录 Signed in</title></head><body><p>已登录 Signed in as ${escapeHtml(session.viewer.name)}. ` +
      `<a href="${escapeHtml(next)}">继续 Continue</a></p></body></html>`,
  };
}

/** Ends the console session and the hosted login's own session. */
export function signOut(deps: SignInDeps): APIGatewayProxyResult {
  const logout = new URL('/logout', deps.settings.loginUrl);
  logout.search = new URLSearchParams({
    client_id: deps.settings.clientId,
    logout_uri: `${deps.settings.baseUrl}/console/signed-out`,
  }).toString();
  return redirect(logout.toString(), [cookie(SESSION_COOKIE, '', { path: cookiePath(deps.settings), maxAge: 0, sameSite: 'Strict' })]);
}

export function signedOutPage(deps: SignInDeps): APIGatewayProxyResult {
  return messagePage(
    200,
    { zh: '已退出', en: 'Signed out' },
    {
      zh: '您已退出投诉控制台。',
      en: `You have signed out of the complaint console. Sign in again at ${deps.settings.baseUrl}/console/sign-in.`,
    },
    'ok',
  );
}

/** GET /console/sign-in | callback | sign-out | signed-out. */
export function signInHandler(deps: SignInDeps): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  return async (event) => {
    if (event.httpMethod !== 'GET')
      return messagePage(405, { zh: '不支持的操作', en: 'Not allowed' }, { zh: '仅支持 GET。', en: 'Only GET.' });
    switch (event.resource) {
      case '/console/sign-in':
        return startSignIn(deps, event.queryStringParameters?.next);
      case '/console/callback':
        return completeSignIn(deps, event);
      case '/console/sign-out':
        return signOut(deps);
      case '/console/signed-out':
        return signedOutPage(deps);
      default:
        return messagePage(404, { zh: '找不到页面', en: 'Not found' }, { zh: '没有这个页面。', en: 'This page does not exist.' });
    }
  };
}
