import { describe, expect, it } from 'vitest';
import { CognitoIdTokens } from '../../../functions/adapters/cognito';
import { consoleAuthorizer } from '../../../functions/app/console/console-authorizer';
import { arnMatches, LocalAuthorizer, policyAllows } from '../../../local/authorizer';
import { DEFAULT_LOCAL_PERSON, LocalIdentityProvider, personFromLink } from '../../../local/identity';

// Lambda authorizer semantics: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
const ARN = 'arn:aws:execute-api:us-east-1:000000000000:local-api/v1/GET/console/complaints/c-1';
const idp = new LocalIdentityProvider('us-east-1');

function authorizerWith(ttlSeconds = 300) {
  let calls = 0;
  const run = consoleAuthorizer({ verifier: new CognitoIdTokens(idp.userPoolId, idp.clientId, idp.jwks as never) });
  let now = 1_000_000;
  const authorizer = new LocalAuthorizer(
    {
      invoke: async (event) => {
        calls += 1;
        return run(event as never);
      },
      identitySources: ['method.request.header.Cookie'],
      ttlSeconds,
    },
    () => now,
  );
  return { authorizer, calls: () => calls, advance: (ms: number) => (now += ms) };
}

function request(cookie: string | undefined, methodArn = ARN) {
  const headers: Record<string, string> = cookie === undefined ? {} : { cookie };
  return { headers, query: {}, methodArn, event: { headers } };
}

describe('local REQUEST authorizer with the local identity provider', () => {
  it('allows a session the provider issued and passes the viewer as context', async () => {
    const { authorizer } = authorizerWith();
    const token = idp.issue(
      { email: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] },
      Math.floor(Date.now() / 1000),
      3600,
    );
    const decision = await authorizer.authorize(request(`complaint_loop_session=${token}`));
    expect(decision).toMatchObject({
      kind: 'allow',
      context: { viewerName: 'cs-lead@carrier.example', groups: 'customer-service:supervisor' },
    });
  });

  it('fails with 401 without calling the function when the identity source is missing', async () => {
    const { authorizer, calls } = authorizerWith();
    expect(await authorizer.authorize(request(undefined))).toEqual({ kind: 'unauthorized' });
    expect(await authorizer.authorize(request(''))).toEqual({ kind: 'unauthorized' });
    expect(calls()).toBe(0);
  });

  it('fails with 401 when the function answers Unauthorized (a token from another provider)', async () => {
    const { authorizer } = authorizerWith();
    const stranger = new LocalIdentityProvider('us-east-1').issue(DEFAULT_LOCAL_PERSON, Math.floor(Date.now() / 1000), 3600);
    expect(await authorizer.authorize(request(`complaint_loop_session=${stranger}`))).toEqual({ kind: 'unauthorized' });
  });

  it('caches the decision by identity value for the TTL and checks the cached policy against each route', async () => {
    const { authorizer, calls, advance } = authorizerWith(300);
    const cookie = `complaint_loop_session=${idp.issue(DEFAULT_LOCAL_PERSON, Math.floor(Date.now() / 1000), 3600)}`;
    await authorizer.authorize(request(cookie));
    expect((await authorizer.authorize(request(cookie, ARN.replace('complaints/c-1', 'quality')))).kind).toBe('allow');
    expect(calls()).toBe(1);
    expect((await authorizer.authorize(request(cookie, ARN.replace('/console/complaints/c-1', '/complaints')))).kind).toBe('denied');
    advance(300_001);
    await authorizer.authorize(request(cookie));
    expect(calls()).toBe(2);
  });
});

describe('authorizer answers API Gateway refuses', () => {
  const allow = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' };
  const answering = (answer: unknown) =>
    new LocalAuthorizer({ invoke: async () => answer, identitySources: ['method.request.header.Cookie'], ttlSeconds: 0 });

  it('fails with a configuration error on a context value that is an object, or on no principal', async () => {
    const nested = answering({ principalId: 'p', policyDocument: { Statement: [allow] }, context: { viewer: { id: 'x' } } });
    expect(await nested.authorize(request('s=1'))).toEqual({ kind: 'error', message: 'context.viewer is not a string, number or boolean' });
    const anonymous = answering({ policyDocument: { Statement: [allow] } });
    expect((await anonymous.authorize(request('s=1'))).kind).toBe('error');
  });

  it('passes context values on as strings', async () => {
    const typed = answering({ principalId: 'p', policyDocument: { Statement: [allow] }, context: { n: 1, b: false, s: 'x' } });
    expect(await typed.authorize(request('s=1'))).toEqual({ kind: 'allow', principalId: 'p', context: { n: '1', b: 'false', s: 'x' } });
  });
});

describe('authorizer policies', () => {
  it('matches IAM wildcards in resources', () => {
    expect(
      arnMatches('arn:aws:execute-api:us-east-1:1:api/v1/*/console/*', 'arn:aws:execute-api:us-east-1:1:api/v1/GET/console/quality'),
    ).toBe(true);
    expect(
      arnMatches('arn:aws:execute-api:us-east-1:1:api/v1/*/console', 'arn:aws:execute-api:us-east-1:1:api/v1/GET/console/quality'),
    ).toBe(false);
    expect(arnMatches('arn:aws:execute-api:us-east-1:1:api/v?/GET/x', 'arn:aws:execute-api:us-east-1:1:api/v1/GET/x')).toBe(true);
  });

  it('fails closed: an explicit Deny wins, and no matching Allow is a denial', () => {
    const allowAll = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' };
    expect(policyAllows({ policyDocument: { Statement: [allowAll] } }, ARN)).toBe(true);
    expect(policyAllows({ policyDocument: { Statement: [allowAll, { ...allowAll, Effect: 'Deny', Resource: ARN }] } }, ARN)).toBe(false);
    expect(policyAllows({ policyDocument: { Statement: [{ ...allowAll, Action: 's3:GetObject' }] } }, ARN)).toBe(false);
    expect(policyAllows({}, ARN)).toBe(false);
  });
});

describe('login links name a person', () => {
  it('reads the email and comma-separated groups, defaulting to a manager', () => {
    expect(personFromLink('cs-lead@carrier.example', 'customer-service:supervisor, operations')).toEqual({
      email: 'cs-lead@carrier.example',
      groups: ['customer-service:supervisor', 'operations'],
    });
    expect(personFromLink(null, null)).toEqual(DEFAULT_LOCAL_PERSON);
  });

  it('fails naming the field: an email that is not one, or a group with spaces', () => {
    expect(String(personFromLink('cs-lead', 'management'))).toContain('as: expected the email');
    expect(String(personFromLink('a@b.example', 'customer service'))).toContain('groups: "customer service"');
  });
});
