import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRoute, type ApiServer, BROWSER_SESSION_COOKIE, BrowserSessions, startApiServer } from '../../../local/api-server';
import { signedFetch } from '../../../local/signed-fetch';

const routes: ApiRoute[] = [
  { resourcePath: '/console', httpMethod: 'GET', authorizationType: 'AWS_IAM', functionId: 'Console' },
  { resourcePath: '/complaints', httpMethod: 'POST', authorizationType: 'AWS_IAM', functionId: 'Intake' },
];

describe('local browser login for IAM routes (console)', () => {
  let server: ApiServer;
  const seen: APIGatewayProxyEvent[] = [];

  beforeAll(async () => {
    server = await startApiServer({
      routes,
      stage: 'v1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      now: () => Date.UTC(2026, 2, 1),
      log: () => undefined,
      resolveHandler: async (fn) => async (event) => {
        seen.push(event);
        return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: fn };
      },
    });
  });
  afterAll(() => server.close());

  const login = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { res, cookie };
  };

  it('turns a one-time login URL into a session cookie that opens GET pages behind AWS_IAM', async () => {
    const { res, cookie } = await login(server.loginUrl('/console'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/v1/console');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${BROWSER_SESSION_COOKIE}=[A-Za-z0-9_-]{40,};`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');

    const page = await fetch(`${server.url}/v1/console`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('Console');
    expect(seen.at(-1)!.requestContext.identity.user).toBe('local-browser');
  });

  it('fails to reuse a login URL', async () => {
    const url = server.loginUrl();
    expect((await login(url)).res.status).toBe(303);
    const again = await login(url);
    expect(again.res.status).toBe(403);
    expect(again.cookie).toBe('');
  });

  it('fails without a session, with a forged one, and for writes even with a valid session', async () => {
    const noCookie = await fetch(`${server.url}/console`);
    expect(noCookie.status).toBe(403);
    expect(await noCookie.json()).toEqual({ message: 'Missing Authentication Token' });
    expect((await fetch(`${server.url}/console`, { headers: { cookie: `${BROWSER_SESSION_COOKIE}=forged` } })).status).toBe(403);
    const { cookie } = await login(server.loginUrl());
    const post = await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(403);
  });

  it('keeps SigV4 working for API clients', async () => {
    const res = await signedFetch(`${server.url}/console`, { method: 'GET' });
    expect(res.status).toBe(200);
  });

  it('fails to mint a login that would redirect off the server, and expires sessions', () => {
    let now = 0;
    const sessions = new BrowserSessions(() => now);
    expect(() => sessions.mint('//evil.example/')).toThrow(/must be a path/);
    expect(() => sessions.mint('https://evil.example/')).toThrow(/must be a path/);
    const { session } = sessions.redeem(sessions.mint())!;
    expect(sessions.isValid(`a=b; ${BROWSER_SESSION_COOKIE}=${session}`)).toBe(true);
    now += 12 * 3600_000 + 1;
    expect(sessions.isValid(`${BROWSER_SESSION_COOKIE}=${session}`)).toBe(false);
  });
});
