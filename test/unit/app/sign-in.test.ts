import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CognitoIdTokens } from '../../../functions/adapters/cognito';
import {
  codeChallenge,
  readCookie,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  SignInRejectedError,
  safeNext,
  signInHandler,
  type TokenExchange,
} from '../../../functions/app/console/sign-in';
import { CLIENT_ID, idToken, JWKS, USER_POOL_ID } from '../support/id-tokens';

const settings = {
  loginUrl: 'https://carrier-cl.auth.eu-west-1.amazoncognito.com',
  clientId: CLIENT_ID,
  baseUrl: 'https://api.example/v1',
};

/** The token endpoint as Cognito runs it for PKCE: the code is good once, for the verifier whose challenge it was issued to. */
class TokenEndpoint implements TokenExchange {
  readonly codes = new Map<string, { challenge: string; token: string }>();
  readonly calls: { code: string; codeVerifier: string; redirectUri: string }[] = [];
  issue(code: string, challenge: string, token: string) {
    this.codes.set(code, { challenge, token });
  }
  async exchange(input: { code: string; codeVerifier: string; redirectUri: string }) {
    this.calls.push(input);
    const issued = this.codes.get(input.code);
    this.codes.delete(input.code);
    if (!issued || issued.challenge !== codeChallenge(input.codeVerifier)) throw new SignInRejectedError('invalid_grant');
    return { idToken: issued.token };
  }
}

function setup() {
  const tokens = new TokenEndpoint();
  const handler = signInHandler({
    settings,
    tokens,
    verifier: new CognitoIdTokens(USER_POOL_ID, CLIENT_ID, JWKS),
    nowSeconds: () => Math.floor(Date.now() / 1000),
  });
  return { tokens, handler };
}

function get(resource: string, query: Record<string, string> = {}, cookie?: string): APIGatewayProxyEvent {
  return {
    resource,
    httpMethod: 'GET',
    queryStringParameters: query,
    headers: cookie ? { Cookie: cookie } : {},
    multiValueHeaders: {},
  } as unknown as APIGatewayProxyEvent;
}

const setCookies = (res: { multiValueHeaders?: Record<string, unknown> }) => (res.multiValueHeaders?.['Set-Cookie'] ?? []) as string[];

async function startedSignIn(next = '/console/quality') {
  const { tokens, handler } = setup();
  const res = await handler(get('/console/sign-in', { next }));
  const location = new URL(String(res.headers?.Location));
  const transaction = setCookies(res)[0]!.split(';')[0]!;
  return { tokens, handler, res, location, transaction };
}

describe('console sign-in (authorization code + PKCE)', () => {
  it('sends the browser to the hosted login with a state and an S256 challenge of a verifier only the cookie holds', async () => {
    const { res, location, transaction } = await startedSignIn();
    expect(res.statusCode).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe('https://carrier-cl.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: 'https://api.example/v1/console/callback',
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    const [state, verifier] = readCookie(transaction, SIGN_IN_COOKIE)!.split('.');
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('code_challenge')).toBe(codeChallenge(verifier!));
    expect(location.search).not.toContain(verifier);
    expect(setCookies(res)[0]).toMatch(/; Path=\/v1\/console; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('opens a Strict, HttpOnly, Secure session from the callback and moves on without a redirect', async () => {
    const { tokens, handler, location, transaction } = await startedSignIn();
    const token = idToken({ email: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] });
    tokens.issue('code-1', location.searchParams.get('code_challenge')!, token);
    const res = await handler(get('/console/callback', { code: 'code-1', state: location.searchParams.get('state')! }, transaction));
    expect(res.statusCode).toBe(200);
    const [session, cleared] = setCookies(res);
    expect(session).toMatch(
      new RegExp(`^${SESSION_COOKIE}=${token.replace(/\./g, '\\.')}; Path=/v1; Max-Age=(3599|3600); HttpOnly; Secure; SameSite=Strict$`),
    );
    expect(cleared).toMatch(new RegExp(`^${SIGN_IN_COOKIE}=; Path=/v1/console; Max-Age=0`));
    expect(res.body).toContain('<meta http-equiv="refresh" content="0;url=/v1/console/quality">');
    expect(res.body).toContain('cs-lead@carrier.example');
    expect(res.body).not.toContain('<script');
    expect(tokens.calls[0]!.redirectUri).toBe('https://api.example/v1/console/callback');
  });

  it('fails with 400 when the state does not match, the sign-in cookie is missing, or the code is absent', async () => {
    const { tokens, handler, location, transaction } = await startedSignIn();
    tokens.issue('code-2', location.searchParams.get('code_challenge')!, idToken());
    expect((await handler(get('/console/callback', { code: 'code-2', state: 'forged' }, transaction))).statusCode).toBe(400);
    expect((await handler(get('/console/callback', { code: 'code-2', state: location.searchParams.get('state')! }))).statusCode).toBe(400);
    expect((await handler(get('/console/callback', { state: location.searchParams.get('state')! }, transaction))).statusCode).toBe(400);
    expect(tokens.calls).toEqual([]);
  });

  it('fails with 400 when the token endpoint refuses the code (replayed, or issued to another verifier)', async () => {
    const { tokens, handler, location, transaction } = await startedSignIn();
    const state = location.searchParams.get('state')!;
    tokens.issue('code-3', location.searchParams.get('code_challenge')!, idToken());
    expect((await handler(get('/console/callback', { code: 'code-3', state }, transaction))).statusCode).toBe(200);
    const replay = await handler(get('/console/callback', { code: 'code-3', state }, transaction));
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('refused this sign-in');
  });

  it('signs out: clears the session and ends the hosted login session', async () => {
    const { handler } = setup();
    const res = await handler(get('/console/sign-out'));
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers?.Location));
    expect(location.pathname).toBe('/logout');
    expect(location.searchParams.get('logout_uri')).toBe('https://api.example/v1/console/signed-out');
    expect(setCookies(res)[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=; Path=/v1; Max-Age=0`));
  });

  it('fails closed on where to go next: only console paths, never another site', () => {
    expect(safeNext('/console/complaints/c-12345678')).toBe('/console/complaints/c-12345678');
    expect(safeNext('/console/quality?from=2026-01&to=2026-03')).toBe('/console/quality?from=2026-01&to=2026-03');
    for (const hostile of [
      'https://evil.example/',
      '//evil.example/console',
      '/console/../survey/x',
      '/consolex',
      '/console/"><script>',
      undefined,
    ]) {
      expect(safeNext(hostile), String(hostile)).toBe('/console');
    }
  });
});
