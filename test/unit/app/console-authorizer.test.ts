import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CognitoIdTokens } from '../../../functions/adapters/cognito';
import { consoleAuthorizer, consoleResources, viewerFrom } from '../../../functions/app/console/console-authorizer';
import { CLIENT_ID, idToken, JWKS, USER_POOL_ID } from '../support/id-tokens';

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/console/complaints/c-1';
const authorize = consoleAuthorizer({ verifier: new CognitoIdTokens(USER_POOL_ID, CLIENT_ID, JWKS) });

function request(cookie?: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    headers: cookie === undefined ? {} : { Cookie: cookie },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

describe('console authorizer', () => {
  it('allows every console route of the stage for a valid session and passes the viewer on', async () => {
    const token = idToken({ email: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] });
    const result = await authorize(request(`other=1; complaint_loop_session=${token}`));
    expect(result.principalId).toBe('11111111-2222-3333-4444-555555555555');
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [
          'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/*/console',
          'arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/*/console/*',
        ],
      },
    ]);
    expect(viewerFrom(result.context)).toEqual({
      id: '11111111-2222-3333-4444-555555555555',
      name: 'cs-lead@carrier.example',
      groups: ['customer-service:supervisor'],
    });
  });

  it('fails with Unauthorized without a session cookie', async () => {
    await expect(authorize(request())).rejects.toThrow('Unauthorized');
    await expect(authorize(request('complaint_loop_sign_in=abc'))).rejects.toThrow('Unauthorized');
  });

  it('fails with Unauthorized for an expired token, another app client, an access token or a forged signature', async () => {
    for (const token of [
      idToken({ expiresInS: -60 }),
      idToken({ aud: 'some-other-client' }),
      idToken({ tokenUse: 'access' }),
      idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
      `${idToken().split('.').slice(0, 2).join('.')}.${Buffer.from('forged').toString('base64url')}`,
    ]) {
      await expect(authorize(request(`complaint_loop_session=${token}`)), token.slice(0, 20)).rejects.toThrow('Unauthorized');
    }
  });

  it('scopes the policy to the console of the stage the request came in on', () => {
    expect(consoleResources('arn:aws:execute-api:cn-north-1:1:api9/prod/POST/console/complaints/x/acknowledge')).toEqual([
      'arn:aws:execute-api:cn-north-1:1:api9/prod/*/console',
      'arn:aws:execute-api:cn-north-1:1:api9/prod/*/console/*',
    ]);
  });

  it('reads no viewer from an empty authorizer context', () => {
    expect(viewerFrom(undefined)).toBeUndefined();
    expect(viewerFrom({ principalId: 'x' })).toBeUndefined();
    expect(viewerFrom({ viewerId: 'u', groups: '' })).toEqual({ id: 'u', name: 'u', groups: [] });
  });
});
