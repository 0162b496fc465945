/**
 * The console's sign-in as the local runtime reads it from the template: CUSTOM routes with their
 * Lambda REQUEST authorizer, the gateway response that sends people to sign in, the user pool's app
 * client, and the pool's references resolved to the local identity provider. The resources below
 * have the shapes `cdk synth` gives them with settings.signIn (lib/constructs/complaint-api.ts).
 */
import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from '../../../local/stack/resolve';
import { rewriteHostedLoginUrl, TemplateResolveError } from '../../../local/stack/resolve';
import { deriveGatewayResponses, deriveLocalApp, deriveRoutes } from '../../../local/stack/template';
import { fixtureTemplate } from '../../support/fixture-template';

const signIn = {
  userPoolId: 'us-east-1_LocalPool',
  clientId: 'localconsoleclient0000000000',
  hostedLoginUrl: 'http://127.0.0.1:3000',
  jwks: '{"keys":[]}',
};
const targets = { apiBaseUrl: 'http://127.0.0.1:3000', awsLiteEndpoint: 'http://127.0.0.1:3004', signIn };

const fnArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const apiUrl = (path: string) => ({
  'Fn::Join': [
    '',
    ['https://', { Ref: 'ApiRestApiDDDD4444' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, path],
  ],
});
const lambdaUri = (id: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':apigateway:',
      { Ref: 'AWS::Region' },
      ':lambda:path/2015-03-31/functions/',
      fnArn(id),
      '/invocations',
    ],
  ],
});
const poolVariables = { USER_POOL_ID: { Ref: 'PeoplePool1111' }, USER_POOL_CLIENT_ID: { Ref: 'PeopleConsoleClient2222' } };

function method(resource: string, httpMethod: string, fn: string, auth: Record<string, unknown>) {
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: { HttpMethod: httpMethod, ResourceId: { Ref: resource }, ...auth, Integration: { Type: 'AWS_PROXY', Uri: lambdaUri(fn) } },
  };
}

/** The fixture template with console sign-in added. */
function signInTemplate(authorizer: Record<string, unknown> = {}): CfnTemplate {
  const t = fixtureTemplate();
  const root = { 'Fn::GetAtt': ['ApiRestApiDDDD4444', 'RootResourceId'] };
  Object.assign(t.Resources, {
    PeoplePool1111: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    PeopleLogin3333: {
      Type: 'AWS::Cognito::UserPoolDomain',
      Properties: { Domain: { 'Fn::Join': ['', ['complaintloop-', { Ref: 'AWS::AccountId' }]] }, UserPoolId: { Ref: 'PeoplePool1111' } },
    },
    PeopleConsoleClient2222: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: {
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [apiUrl('/prod/console/callback')],
        LogoutURLs: [apiUrl('/prod/console/signed-out')],
        IdTokenValidity: 60,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
        UserPoolId: { Ref: 'PeoplePool1111' },
      },
    },
    SignInFunction4444: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'complaint-loop:entry': 'functions/handlers/console-sign-in.ts' },
      Properties: {
        Environment: {
          Variables: {
            ...poolVariables,
            SIGN_IN_URL: {
              'Fn::Join': ['', ['https://', { Ref: 'PeopleLogin3333' }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']],
            },
            PUBLIC_BASE_URL: apiUrl('/prod'),
          },
        },
      },
    },
    AuthorizerFunction5555: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'complaint-loop:entry': 'functions/handlers/console-authorizer.ts' },
      Properties: { Environment: { Variables: poolVariables } },
    },
    ConsoleSession6666: {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        AuthorizerResultTtlInSeconds: 300,
        AuthorizerUri: lambdaUri('AuthorizerFunction5555'),
        IdentitySource: 'method.request.header.Cookie',
        RestApiId: { Ref: 'ApiRestApiDDDD4444' },
        Type: 'REQUEST',
        ...authorizer,
      },
    },
    ApiConsole7777: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: root, PathPart: 'console' } },
    ApiConsoleSignIn8888: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'ApiConsole7777' }, PathPart: 'sign-in' } },
    ApiConsoleGET9999: method('ApiConsole7777', 'GET', 'RecordFunctionAAAA1111', {
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: 'ConsoleSession6666' },
    }),
    ApiConsoleSignInGET1010: method('ApiConsoleSignIn8888', 'GET', 'SignInFunction4444', { AuthorizationType: 'NONE' }),
    ApiConsoleSignInResponse1111: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: {
        ResponseParameters: {
          'gatewayresponse.header.Location': "'/prod/console/sign-in'",
          'gatewayresponse.header.Cache-Control': "'no-store'",
        },
        ResponseType: 'UNAUTHORIZED',
        RestApiId: { Ref: 'ApiRestApiDDDD4444' },
        StatusCode: '302',
      },
    },
  });
  return t;
}

describe('console sign-in from the template', () => {
  const app = deriveLocalApp(signInTemplate(), targets);

  it('gives a CUSTOM route its Lambda REQUEST authorizer: function, identity sources and TTL', () => {
    expect(app.routes.find((r) => r.resourcePath === '/console')).toEqual({
      resourcePath: '/console',
      httpMethod: 'GET',
      authorizationType: 'CUSTOM',
      functionId: 'RecordFunctionAAAA1111',
      authorizer: {
        id: 'ConsoleSession6666',
        type: 'REQUEST',
        functionId: 'AuthorizerFunction5555',
        identitySources: ['method.request.header.Cookie'],
        ttlSeconds: 300,
      },
    });
    expect(app.routes.find((r) => r.resourcePath === '/console/sign-in')).toMatchObject({ authorizationType: 'NONE' });
    expect(app.routes.find((r) => r.resourcePath === '/console/sign-in')).not.toHaveProperty('authorizer');
  });

  it('reads the UNAUTHORIZED gateway response: a 302 to the sign-in with its static headers', () => {
    expect(app.gatewayResponses).toEqual([
      { responseType: 'UNAUTHORIZED', statusCode: 302, headers: { Location: '/prod/console/sign-in', 'Cache-Control': 'no-store' } },
    ]);
  });

  it('reads the app client the hosted login serves, its URLs made local', () => {
    expect(app.signInClient).toEqual({
      callbackUrls: ['http://127.0.0.1:3000/console/callback'],
      logoutUrls: ['http://127.0.0.1:3000/console/signed-out'],
      scopes: ['openid', 'email'],
      idTokenValiditySeconds: 3600,
    });
  });

  it('points the sign-in and authorizer functions at the local identity provider, with its keys', () => {
    const signInFn = app.functions.find((f) => f.logicalId === 'SignInFunction4444')!;
    expect(signInFn.environment).toMatchObject({
      USER_POOL_ID: signIn.userPoolId,
      USER_POOL_CLIENT_ID: signIn.clientId,
      USER_POOL_JWKS: signIn.jwks,
      SIGN_IN_URL: 'http://127.0.0.1:3000',
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    });
    expect(app.functions.find((f) => f.logicalId === 'AuthorizerFunction5555')!.environment).toEqual({
      USER_POOL_ID: signIn.userPoolId,
      USER_POOL_CLIENT_ID: signIn.clientId,
      USER_POOL_JWKS: signIn.jwks,
    });
    // Functions that do not use the pool get no keys.
    expect(app.functions.find((f) => f.logicalId === 'RecordFunctionAAAA1111')!.environment).not.toHaveProperty('USER_POOL_JWKS');
  });

  it('has no sign-in client and no gateway responses for a template without them', () => {
    const plain = deriveLocalApp(fixtureTemplate(), targets);
    expect(plain.signInClient).toBeUndefined();
    expect(plain.gatewayResponses).toEqual([]);
  });

  it('fails on a TOKEN or Cognito authorizer, naming it', () => {
    expect(() => deriveRoutes(signInTemplate({ Type: 'TOKEN' }))).toThrow(/ConsoleSession6666: type TOKEN is not supported locally/);
    expect(() => deriveRoutes(signInTemplate({ Type: 'COGNITO_USER_POOLS' }))).toThrow(TemplateResolveError);
  });

  it('fails on a CUSTOM method whose AuthorizerId is not an authorizer', () => {
    const t = signInTemplate();
    t.Resources.ApiConsoleGET9999!.Properties!.AuthorizerId = { Ref: 'PeoplePool1111' };
    expect(() => deriveRoutes(t)).toThrow(/ApiConsoleGET9999: AuthorizerId .* is not a Ref to an AWS::ApiGateway::Authorizer/);
  });

  it('fails on a gateway response header mapped from the request (only static values run locally)', () => {
    const t = signInTemplate();
    t.Resources.ApiConsoleSignInResponse1111!.Properties!.ResponseParameters = {
      'gatewayresponse.header.Location': 'method.request.header.Referer',
    };
    expect(() => deriveGatewayResponses(t)).toThrow(/is not a static header/);
  });
});

describe('rewriteHostedLoginUrl', () => {
  it('makes a Cognito hosted login URL the local one, keeping the path', () => {
    expect(rewriteHostedLoginUrl('https://ApiLogin12.auth.us-east-1.amazoncognito.com/oauth2/token', 'http://127.0.0.1:3000')).toBe(
      'http://127.0.0.1:3000/oauth2/token',
    );
    expect(rewriteHostedLoginUrl('https://x.auth.us-east-1.amazoncognito.com.example.net/', 'http://127.0.0.1:3000')).toBe(
      'https://x.auth.us-east-1.amazoncognito.com.example.net/',
    );
  });
});
