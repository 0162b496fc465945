/**
 * The local hosted login (local/identity.ts) with the console's own sign-in code (the same
 * startSignIn / completeSignIn / CognitoIdTokens as on AWS): one-time login links, the authorize
 * endpoint (registered client and callback, PKCE S256), the token endpoint (code once, verifier,
 * same redirect URI), sign-out. Hermetic: the token exchange calls the hosted login in process.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CognitoIdTokens } from '../../../functions/adapters/cognito';
import {
  readCookie,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  SignInRejectedError,
  signInHandler,
  type TokenExchange,
} from '../../../functions/app/console/sign-in';
import {
  DEFAULT_LOCAL_PERSON,
  type HostedLoginResponse,
  LOGIN_SESSION_COOKIE,
  LocalHostedLogin,
  LocalIdentityProvider,
} from '../../../local/identity';

const BASE = 'http://127.0.0.1:3000';
const provider = new LocalIdentityProvider('us-east-1');
const client = {
  callbackUrls: [`${BASE}/console/callback`],
  logoutUrls: [`${BASE}/console/signed-out`],
  scopes: ['openid', 'email'],
  idTokenValiditySeconds: 3600,
};
const SUPERVISOR = { email: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] };

function setup() {
  let now = Date.now();
  const login = new LocalHostedLogin({ provider, client, signInPath: '/v1/console/sign-in', hostNow: () => now });
  const call = (method: string, url: string, cookie?: string, body = '') => {
    const u = new URL(url, BASE);
    return login.handle({ method, path: u.pathname, query: u.searchParams, cookie, body });
  };
  /** The token endpoint as the sign-in function reaches it (CognitoTokenEndpoint's form), in process. */
  const tokens: TokenExchange = {
    exchange: async ({ code, codeVerifier, redirectUri }) => {
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: provider.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      });
      const res = await call('POST', '/oauth2/token', undefined, form.toString());
      const body = JSON.parse(res.body) as { id_token?: string; error?: string };
      if (res.status !== 200 || !body.id_token) throw new SignInRejectedError(`token endpoint answered ${res.status} (${body.error})`);
      return { idToken: body.id_token };
    },
  };
  const signIn = signInHandler({
    settings: { loginUrl: BASE, clientId: provider.clientId, baseUrl: BASE },
    tokens,
    verifier: new CognitoIdTokens(provider.userPoolId, provider.clientId, provider.jwks as never),
    nowSeconds: () => Math.floor(Date.now() / 1000),
  });
  return { login, call, signIn, advance: (ms: number) => (now += ms) };
}

const cookieOf = (res: { headers: Record<string, string> }, name: string) => readCookie(res.headers['set-cookie']?.split(';')[0], name);
const event = (resource: string, query: Record<string, string>, cookie?: string) =>
  ({
    resource,
    httpMethod: 'GET',
    queryStringParameters: query,
    headers: cookie ? { Cookie: cookie } : {},
    multiValueHeaders: {},
  }) as unknown as APIGatewayProxyEvent;

/** Link → hosted-login session → sign-in → authorize → callback: the console session cookie and where it goes. */
async function signInWith(s: ReturnType<typeof setup>, link: string) {
  const redeemed = await s.call('GET', link);
  expect(redeemed.status).toBe(303);
  const loginCookie = `${LOGIN_SESSION_COOKIE}=${cookieOf(redeemed, LOGIN_SESSION_COOKIE)}`;
  const next = new URL(redeemed.headers.location!, BASE).searchParams.get('next')!;
  const started = await s.signIn(event('/console/sign-in', { next }));
  const transaction = (started.multiValueHeaders!['Set-Cookie'] as string[])[0]!.split(';')[0]!;
  const authorized = await s.call('GET', String(started.headers!.Location), loginCookie);
  expect(authorized.status).toBe(302);
  const callback = new URL(authorized.headers.location!);
  expect(`${callback.origin}${callback.pathname}`).toBe(`${BASE}/console/callback`);
  const done = await s.signIn(event('/console/callback', Object.fromEntries(callback.searchParams), transaction));
  const session = (done.multiValueHeaders?.['Set-Cookie'] as string[] | undefined)?.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return { done, session, loginCookie };
}

describe('local hosted login', () => {
  it('signs in the person the link names through the console sign-in code, with an ID token of the pool', async () => {
    const s = setup();
    const { done, session } = await signInWith(s, s.login.mintLink('/console/quality', SUPERVISOR));
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('url=/console/quality');
    expect(session).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
    const token = readCookie(session, SESSION_COOKIE)!;
    const verified = await new CognitoIdTokens(provider.userPoolId, provider.clientId, provider.jwks as never).verify(token);
    expect(verified.viewer).toMatchObject({ name: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] });
    expect(verified.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500);
  });

  it('signs in the default manager when the link names nobody', async () => {
    const s = setup();
    const link = s.login.mintLink();
    expect(link).toMatch(/^\/_local\/login\?code=[A-Za-z0-9_-]{32}$/);
    const { session } = await signInWith(s, link);
    const verified = await new CognitoIdTokens(provider.userPoolId, provider.clientId, provider.jwks as never).verify(
      readCookie(session, SESSION_COOKIE)!,
    );
    expect(verified.viewer).toMatchObject({ name: DEFAULT_LOCAL_PERSON.email, groups: ['management'] });
  });

  it('prints a link that reads as the person it names', () => {
    expect(setup().login.mintLink('/console', SUPERVISOR)).toMatch(/&as=cs-lead@carrier\.example&groups=customer-service:supervisor$/);
  });

  it('fails to use a link twice, or after it expired', async () => {
    const s = setup();
    const link = s.login.mintLink();
    expect((await s.call('GET', link)).status).toBe(303);
    expect((await s.call('GET', link)).status).toBe(403);
    const late = s.login.mintLink();
    s.advance(24 * 3600_000 + 1);
    expect((await s.call('GET', late)).status).toBe(403);
    expect((await s.call('GET', '/_local/login')).status).toBe(403);
  });

  it('fails on a malformed person without spending the link', async () => {
    const s = setup();
    const link = s.login.mintLink();
    const bad = await s.call('GET', `${link}&as=not-an-email&groups=management`);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('as: expected the email to sign in as');
    expect((await s.call('GET', link)).status).toBe(303);
  });

  it('shows the login-link page instead of signing in anyone without a hosted-login session', async () => {
    const s = setup();
    const started = await s.signIn(event('/console/sign-in', {}));
    const res = await s.call('GET', String(started.headers!.Location));
    expect(res.status).toBe(200);
    expect(res.body).toContain('one-time login link');
    expect(res.headers.location).toBeUndefined();
  });

  it('fails authorize for an unknown client or callback without redirecting, and without PKCE by redirecting an error', async () => {
    const s = setup();
    const { loginCookie } = await signInWith(s, s.login.mintLink());
    const authorize = (q: Record<string, string>) =>
      s.call(
        'GET',
        `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: provider.clientId, redirect_uri: `${BASE}/console/callback`, scope: 'openid email', state: 's1', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', ...q })}`,
        loginCookie,
      );
    expect((await authorize({ client_id: 'someone-else' })).status).toBe(400);
    const elsewhere = await authorize({ redirect_uri: 'http://evil.example/callback' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.location).toBeUndefined();
    const plain: HostedLoginResponse = await authorize({ code_challenge_method: 'plain' });
    expect(plain.headers.location).toBe(`${BASE}/console/callback?error=invalid_request&state=s1`);
    expect((await authorize({ scope: 'openid aws.cognito.signin.user.admin' })).headers.location).toContain('error=invalid_scope');
  });

  it('fails the token exchange with a wrong verifier, a spent code or another redirect URI', async () => {
    const s = setup();
    const { loginCookie } = await signInWith(s, s.login.mintLink());
    const verifier = 'v'.repeat(64);
    const challenge = (await import('node:crypto')).createHash('sha256').update(verifier).digest('base64url');
    const codeFor = async () => {
      const res = await s.call(
        'GET',
        `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: provider.clientId, redirect_uri: `${BASE}/console/callback`, code_challenge: challenge, code_challenge_method: 'S256' })}`,
        loginCookie,
      );
      return new URL(res.headers.location!).searchParams.get('code')!;
    };
    const token = (code: string, over: Record<string, string> = {}) =>
      s.call(
        'POST',
        '/oauth2/token',
        undefined,
        new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: provider.clientId,
          code,
          redirect_uri: `${BASE}/console/callback`,
          code_verifier: verifier,
          ...over,
        }).toString(),
      );
    expect((await token(await codeFor(), { code_verifier: 'w'.repeat(64) })).body).toBe('{"error":"invalid_grant"}');
    expect((await token(await codeFor(), { redirect_uri: `${BASE}/other` })).status).toBe(400);
    const code = await codeFor();
    expect((await token(code)).status).toBe(200);
    expect((await token(code)).status).toBe(400);
    const late = await codeFor();
    s.advance(5 * 60_000 + 1);
    expect((await token(late)).status).toBe(400);
  });

  it('signs out: the hosted-login session ends and the browser returns to a registered sign-out URL', async () => {
    const s = setup();
    const { loginCookie } = await signInWith(s, s.login.mintLink());
    const out = await s.signIn(event('/console/sign-out', {}));
    const res = await s.call('GET', String(out.headers!.Location), loginCookie);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${BASE}/console/signed-out`);
    expect(res.headers['set-cookie']).toMatch(new RegExp(`^${LOGIN_SESSION_COOKIE}=; Path=/; Max-Age=0`));
    const again = await s.signIn(event('/console/sign-in', {}));
    expect((await s.call('GET', String(again.headers!.Location), loginCookie)).body).toContain('one-time login link');
    expect((await s.call('GET', `/logout?client_id=${provider.clientId}&logout_uri=http://evil.example/`)).status).toBe(400);
  });

  it("resolves the template's pool, client and hosted login to itself, with its keys", () => {
    expect(provider.targets(BASE)).toEqual({
      userPoolId: 'us-east-1_LocalPool',
      clientId: provider.clientId,
      hostedLoginUrl: BASE,
      jwks: JSON.stringify(provider.jwks),
    });
  });

  it('serves only its own routes', () => {
    const { login } = setup();
    expect(login.serves('GET', '/oauth2/authorize')).toBe(true);
    expect(login.serves('POST', '/oauth2/token')).toBe(true);
    expect(login.serves('GET', '/oauth2/token')).toBe(false);
    expect(login.serves('GET', '/v1/console')).toBe(false);
    expect(SIGN_IN_COOKIE).toBe('complaint_loop_sign_in');
  });
});
