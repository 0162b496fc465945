import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ACCESS_GROUPS } from '../../functions/domain/access';
import { loadSettings } from '../../lib/settings';
import { CARRIER_SETTINGS, functionIdFor, resourcesOfType, synthStack } from './support/synth';

// Console sign-in: a Cognito user pool with the hosted login (authorization code + PKCE), and a
// REQUEST authorizer on every console route reading the session cookie.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
const withSignIn = synthStack({
  settings: { ...CARRIER_SETTINGS, signIn: { domainPrefix: 'carrier-complaints', identityProviders: ['CarrierAD'] } },
});
const { template } = withSignIn;

function routes() {
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  const pathOf = (id: string): string => {
    const r = resources[id];
    if (!r) return '';
    const parent = r.Properties!.ParentId;
    return `${parent?.Ref ? pathOf(parent.Ref) : ''}/${r.Properties!.PathPart}`;
  };
  return Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method')).map((m) => ({
    route: `${m.Properties!.HttpMethod} ${m.Properties!.ResourceId?.Ref ? pathOf(m.Properties!.ResourceId.Ref) : '/'}`,
    auth: m.Properties!.AuthorizationType as string,
    authorizer: m.Properties!.AuthorizerId,
  }));
}

describe('console sign-in (settings.signIn)', { timeout: 180_000 }, () => {
  it('creates a staff-only user pool: no self sign-up, MFA required, strong passwords, threat protection enforced', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('creates one group per role the console knows', () => {
    const groups = Object.values(resourcesOfType(template, 'AWS::Cognito::UserPoolGroup')).map((g) => g.Properties!.GroupName);
    expect(groups.sort()).toEqual([...ACCESS_GROUPS].sort());
  });

  it('has a public app client for the code flow only, returning to the console, offering the federated provider', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO', 'CarrierAD'],
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/v1/console/callback'])]) })],
      LogoutURLs: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/v1/console/signed-out'])]) })],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'carrier-complaints' });
  });

  it('authorizes every console page from the session cookie and leaves only the sign-in routes open', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Cookie',
      AuthorizerResultTtlInSeconds: 300,
    });
    const consoleRoutes = routes().filter((r) => r.route.includes('/console'));
    const open = consoleRoutes.filter((r) => r.auth === 'NONE').map((r) => r.route);
    expect(open.sort()).toEqual(['GET /console/callback', 'GET /console/sign-in', 'GET /console/sign-out', 'GET /console/signed-out']);
    for (const r of consoleRoutes.filter((x) => x.auth !== 'NONE')) {
      expect(r.auth, r.route).toBe('CUSTOM');
      expect(r.authorizer, r.route).toBeDefined();
    }
    expect(
      routes()
        .filter((r) => r.route.includes('/complaints') && !r.route.includes('/console'))
        .map((r) => r.auth),
    ).toEqual(Array(4).fill('AWS_IAM'));
  });

  it('sends a request without a valid session to the sign-in', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '302',
      ResponseParameters: {
        'gatewayresponse.header.Location': "'/v1/console/sign-in'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      },
    });
  });

  it('tells the authorizer and the sign-in routes which pool and client to trust, and gives them no table access', () => {
    const envOf = (handler: string) =>
      resourcesOfType(template, 'AWS::Lambda::Function')[functionIdFor(template, handler)]!.Properties!.Environment.Variables;
    expect(Object.keys(envOf('console-authorizer'))).toEqual(expect.arrayContaining(['USER_POOL_ID', 'USER_POOL_CLIENT_ID']));
    expect(Object.keys(envOf('console-sign-in'))).toEqual(
      expect.arrayContaining(['USER_POOL_ID', 'USER_POOL_CLIENT_ID', 'SIGN_IN_URL', 'PUBLIC_BASE_URL']),
    );
    for (const handler of ['console-authorizer', 'console-sign-in']) expect(envOf(handler), handler).not.toHaveProperty('TABLE_NAME');
  });

  it('keeps cdk-nag at zero unacknowledged findings with sign-in', () => {
    const findings = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(withSignIn.app).violations;
    expect(findings.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('fails on a hosted-login prefix Cognito would refuse, naming the field', () => {
    expect(() => loadSettings({ ...CARRIER_SETTINGS, signIn: { domainPrefix: 'My_Prefix' } })).toThrow(/signIn\.domainPrefix/);
    expect(() => loadSettings({ ...CARRIER_SETTINGS, signIn: { domainPrefix: 'amazon-complaints' } })).toThrow(/may not contain/);
  });
});
