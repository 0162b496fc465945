import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRoute, type ApiServer, matchRoute, startApiServer } from '../../../local/api-server';
import { signedFetch, signRequest } from '../../../local/signed-fetch';

const execFileP = promisify(execFile);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const routes: ApiRoute[] = [
  { resourcePath: '/complaints', httpMethod: 'POST', authorizationType: 'AWS_IAM', functionId: 'Intake' },
  { resourcePath: '/complaints/{id}', httpMethod: 'GET', authorizationType: 'AWS_IAM', functionId: 'GetComplaint' },
  { resourcePath: '/complaints/{id}/events', httpMethod: 'POST', authorizationType: 'AWS_IAM', functionId: 'Events' },
  { resourcePath: '/survey/{token}', httpMethod: 'ANY', authorizationType: 'NONE', functionId: 'Survey' },
  { resourcePath: '/survey/{token}', httpMethod: 'POST', authorizationType: 'NONE', functionId: 'SurveyPost' },
  { resourcePath: '/boom', httpMethod: 'GET', authorizationType: 'NONE', functionId: 'Boom' },
];

describe('matchRoute', () => {
  it('prefers the exact method over ANY and extracts path parameters', () => {
    expect(matchRoute(routes, 'POST', '/survey/abc')).toMatchObject({
      route: { functionId: 'SurveyPost' },
      pathParameters: { token: 'abc' },
    });
    expect(matchRoute(routes, 'GET', '/survey/abc')).toMatchObject({ route: { functionId: 'Survey' } });
    expect(matchRoute(routes, 'POST', '/complaints/c-1/events')).toMatchObject({
      route: { functionId: 'Events' },
      pathParameters: { id: 'c-1' },
    });
  });
  it('fails to match unknown paths, extra segments and wrong methods', () => {
    expect(matchRoute(routes, 'DELETE', '/complaints')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/complaints/c-1/x')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/nope')).toBeUndefined();
  });
  it('matches a greedy {proxy+} segment', () => {
    const r: ApiRoute[] = [{ resourcePath: '/files/{proxy+}', httpMethod: 'ANY', authorizationType: 'NONE', functionId: 'F' }];
    expect(matchRoute(r, 'GET', '/files/a/b')).toMatchObject({ pathParameters: { proxy: 'a/b' } });
  });
});

describe('local API server (API Gateway REST proxy, IAM auth verified)', () => {
  let server: ApiServer;
  const seen: APIGatewayProxyEvent[] = [];
  let clockMs = Date.UTC(2026, 2, 1, 8, 0, 0);

  beforeAll(async () => {
    server = await startApiServer({
      routes,
      credentials,
      now: () => clockMs,
      links: { 'Emails (local SES)': 'http://127.0.0.1:1/' },
      log: () => undefined,
      resolveHandler: async (fn) => async (event) => {
        if (fn === 'Boom') throw new Error('handler failed');
        seen.push(event);
        return {
          statusCode: fn === 'Intake' ? 202 : 200,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ fn, path: event.path, params: event.pathParameters }),
        };
      },
    });
  });
  afterAll(() => server.close());

  it('hands a SigV4-signed POST to the handler as an APIGatewayProxyEvent with the engine clock time', async () => {
    const body = JSON.stringify({ description: '宽带断网三天了' });
    const res = await signedFetch(`${server.url}/complaints?trace=1&trace=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'req-1' },
      body,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ fn: 'Intake', path: '/complaints' });
    const ev = seen.at(-1)!;
    expect(ev).toMatchObject({
      resource: '/complaints',
      path: '/complaints',
      httpMethod: 'POST',
      body,
      isBase64Encoded: false,
      pathParameters: null,
      queryStringParameters: { trace: '2' },
      multiValueQueryStringParameters: { trace: ['1', '2'] },
    });
    expect(ev.headers['idempotency-key'] ?? ev.headers['Idempotency-Key']).toBe('req-1');
    expect(ev.requestContext.requestTimeEpoch).toBe(clockMs);
    expect(ev.requestContext.requestTime).toBe('01/Mar/2026:08:00:00 +0000');
    expect(ev.requestContext.identity.accessKey).toBe('local');
    expect(ev.requestContext.identity.userArn).toBe('arn:aws:iam::123456789012:user/local');
    expect(ev.requestContext).toMatchObject({ stage: 'prod', path: '/prod/complaints', resourcePath: '/complaints', httpMethod: 'POST' });
    expect(ev.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the stage prefix and decodes path parameters', async () => {
    clockMs += 60_000;
    const res = await signedFetch(`${server.url}/prod/complaints/c-abc`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ params: { id: 'c-abc' } });
    expect(seen.at(-1)!.requestContext.requestTimeEpoch).toBe(clockMs);
  });

  it('accepts a request signed by curl --aws-sigv4', async () => {
    const { stdout } = await execFileP('curl', [
      '-s',
      '-X',
      'POST',
      `${server.url}/complaints/c-1/events`,
      '--user',
      'local:local',
      '--aws-sigv4',
      'aws:amz:us-east-1:execute-api',
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"type":"first-response"}',
      '-w',
      '\n%{http_code}',
    ]);
    const [json, status] = stdout.trim().split('\n');
    expect(status).toBe('200');
    expect(JSON.parse(json)).toMatchObject({ fn: 'Events', params: { id: 'c-1' } });
  });

  it('fails an unsigned call to an IAM route with 403 Missing Authentication Token', async () => {
    // https://repost.aws/knowledge-center/api-gateway-authentication-token-errors
    const n = seen.length;
    const res = await fetch(`${server.url}/complaints`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(seen.length).toBe(n);
  });

  it('fails a request signed with the wrong secret with the signature-mismatch message', async () => {
    // https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
    const res = await signedFetch(`${server.url}/complaints`, {
      method: 'POST',
      body: '{}',
      credentials: { accessKeyId: 'local', secretAccessKey: 'wrong' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/^The request signature we calculated does not match/);
  });

  it('fails a request signed with an unknown access key', async () => {
    const res = await signedFetch(`${server.url}/complaints`, {
      method: 'POST',
      body: '{}',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'The security token included in the request is invalid.' });
  });

  it('fails when the body is changed after signing', async () => {
    const r = await signRequest(`${server.url}/complaints`, { method: 'POST', body: '{"a":1}' });
    const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: '{"a":2}' });
    expect(res.status).toBe(403);
  });

  it('fails an expired signature (older than 5 minutes)', async () => {
    const res = await signedFetch(`${server.url}/complaints`, {
      method: 'POST',
      body: '{}',
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Signature expired/);
  });

  it('serves NONE routes without a signature', async () => {
    const res = await fetch(`${server.url}/survey/tok-1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ fn: 'Survey', params: { token: 'tok-1' } });
  });

  it('fails unknown paths and methods with 403 as API Gateway does', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(403);
    expect((await fetch(`${server.url}/complaints`, { method: 'DELETE' })).status).toBe(403);
  });

  it('fails with 502 when the handler throws', async () => {
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
  });

  it('fails bodies over 10 MB with 413 before the handler runs', async () => {
    const n = seen.length;
    const res = await fetch(`${server.url}/survey/t`, { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(seen.length).toBe(n);
  });

  it('serves an index page at / listing the routes and local services', async () => {
    const res = await fetch(`${server.url}/`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('POST /complaints');
    expect(html).toContain('Emails (local SES)');
  });
});

describe('local API server: CUSTOM routes through their Lambda REQUEST authorizer', () => {
  const authorizer = {
    id: 'ConsoleSession',
    type: 'REQUEST' as const,
    functionId: 'Authorizer',
    identitySources: ['method.request.header.Cookie'],
    ttlSeconds: 0,
  };
  const customRoutes: ApiRoute[] = [
    { resourcePath: '/console', httpMethod: 'GET', authorizationType: 'CUSTOM', functionId: 'Console', authorizer },
    { resourcePath: '/console/complaints/{id}', httpMethod: 'GET', authorizationType: 'CUSTOM', functionId: 'Console', authorizer },
  ];
  let server: ApiServer;
  const seen: APIGatewayProxyEvent[] = [];
  const asked: Record<string, unknown>[] = [];

  /** Allows `session=ok` on every console route, denies `session=other-api`, fails on `session=broken`. */
  const authorizerHandler = async (event: Record<string, unknown>) => {
    asked.push(event);
    const cookie = String((event.headers as Record<string, string>).cookie ?? '');
    if (cookie === 'session=broken') throw new Error('verifier crashed');
    if (cookie !== 'session=ok' && cookie !== 'session=other-api') throw new Error('Unauthorized');
    const [api, stage] = String(event.methodArn).split('/');
    const resource = cookie === 'session=ok' ? `${api}/${stage}/*/console*` : 'arn:aws:execute-api:us-east-1:123456789012:elsewhere/*';
    return {
      principalId: 'sub-1',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] },
      context: { viewerId: 'sub-1', viewerName: 'cs-lead@carrier.example', groups: 'customer-service:supervisor', level: 2, lead: true },
    };
  };

  beforeAll(async () => {
    server = await startApiServer({
      routes: customRoutes,
      stage: 'v1',
      credentials,
      now: () => Date.UTC(2026, 2, 1),
      gatewayResponses: [
        { responseType: 'UNAUTHORIZED', statusCode: 302, headers: { Location: '/v1/console/sign-in', 'Cache-Control': 'no-store' } },
      ],
      log: () => undefined,
      resolveHandler: async (fn) => async (event) => {
        if (fn === 'Authorizer') return authorizerHandler(event as unknown as Record<string, unknown>);
        seen.push(event);
        return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'page' };
      },
    });
  });
  afterAll(() => server.close());

  it('fails without the identity source (no cookie) with the UNAUTHORIZED gateway response, without asking the authorizer', async () => {
    const res = await fetch(`${server.url}/v1/console`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/v1/console/sign-in');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(asked).toHaveLength(0);
  });

  it('fails with the UNAUTHORIZED response when the authorizer answers Unauthorized', async () => {
    const res = await fetch(`${server.url}/v1/console`, { redirect: 'manual', headers: { cookie: 'session=forged' } });
    expect(res.status).toBe(302);
    expect(asked.at(-1)).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:local/v1/GET/console',
      resource: '/console',
      path: '/console',
      httpMethod: 'GET',
    });
    expect(asked.at(-1)).not.toHaveProperty('body');
  });

  it('fails with 403 when the policy does not allow the method', async () => {
    const res = await fetch(`${server.url}/v1/console`, { headers: { cookie: 'session=other-api' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(await res.json()).toEqual({ message: 'User is not authorized to access this resource' });
  });

  it('fails with 500 when the authorizer fails otherwise', async () => {
    const res = await fetch(`${server.url}/v1/console`, { headers: { cookie: 'session=broken' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
  });

  it('passes the principal and the context, values as strings, to the handler as requestContext.authorizer', async () => {
    const n = seen.length;
    const res = await fetch(`${server.url}/v1/console/complaints/c-1`, { headers: { cookie: 'session=ok' } });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(n + 1);
    const { authorizer: passed, identity } = seen.at(-1)!.requestContext;
    expect(passed).toMatchObject({
      principalId: 'sub-1',
      viewerId: 'sub-1',
      viewerName: 'cs-lead@carrier.example',
      groups: 'customer-service:supervisor',
      level: '2',
      lead: 'true',
    });
    expect(typeof passed!.integrationLatency).toBe('number');
    expect(identity.userArn).toBeNull();
  });
});

describe('local API server: the local hosted login at the root, outside the routes', () => {
  let server: ApiServer;
  const handled: { method: string; path: string; body: string; cookie: string | undefined }[] = [];

  beforeAll(async () => {
    server = await startApiServer({
      routes,
      stage: 'v1',
      credentials,
      now: () => Date.UTC(2026, 2, 1),
      log: () => undefined,
      localEndpoints: {
        serves: (method, path) => `${method} ${path}` === 'POST /oauth2/token',
        handle: async (req) => {
          handled.push({ method: req.method, path: req.path, body: req.body, cookie: req.cookie });
          return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id_token":"t"}' };
        },
      },
      resolveHandler: async () => async () => ({ statusCode: 200, body: 'route' }),
    });
  });
  afterAll(() => server.close());

  it('hands its paths, with the form body and cookies, to the hosted login', async () => {
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { cookie: 'a=b' },
      body: 'grant_type=authorization_code',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id_token: 't' });
    expect(handled).toEqual([{ method: 'POST', path: '/oauth2/token', body: 'grant_type=authorization_code', cookie: 'a=b' }]);
  });

  it("fails other paths as API Gateway does, the hosted login's paths under the stage included", async () => {
    expect((await fetch(`${server.url}/v1/oauth2/token`, { method: 'POST', body: 'x' })).status).toBe(403);
    expect((await fetch(`${server.url}/oauth2/token`)).status).toBe(403);
    expect(handled).toHaveLength(1);
  });
});
