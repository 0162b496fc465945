/** API Gateway's own answers and how the template's gateway responses customize them (local/api-server.ts). */
import { describe, expect, it } from 'vitest';
import { authorizerRefusal, GatewayError, gatewayAnswer, methodArn } from '../../../local/api-server';

const toSignIn = {
  responseType: 'UNAUTHORIZED',
  statusCode: 302,
  headers: { Location: '/v1/console/sign-in', 'Cache-Control': 'no-store' },
};

describe('gateway answers', () => {
  it('refuses as API Gateway does: 401 Unauthorized, 403 not allowed, 500 authorizer failure', () => {
    expect(authorizerRefusal({ kind: 'unauthorized' })).toMatchObject({
      status: 401,
      message: 'Unauthorized',
      responseType: 'UNAUTHORIZED',
    });
    expect(authorizerRefusal({ kind: 'denied' })).toMatchObject({
      status: 403,
      errorType: 'AccessDeniedException',
      responseType: 'ACCESS_DENIED',
    });
    expect(authorizerRefusal({ kind: 'error', message: 'x' })).toMatchObject({
      status: 500,
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    });
  });

  it("turns UNAUTHORIZED into the template's redirect, keeping the JSON message", () => {
    expect(gatewayAnswer(authorizerRefusal({ kind: 'unauthorized' }), [toSignIn])).toEqual({
      status: 302,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnauthorizedException',
        location: '/v1/console/sign-in',
        'cache-control': 'no-store',
      },
      body: '{"message":"Unauthorized"}',
    });
  });

  it('leaves other types alone, and falls back to DEFAULT_4XX / DEFAULT_5XX with their template', () => {
    const denied = authorizerRefusal({ kind: 'denied' });
    expect(gatewayAnswer(denied, [toSignIn]).status).toBe(403);
    const custom4xx = {
      responseType: 'DEFAULT_4XX',
      headers: { 'Access-Control-Allow-Origin': "'*'" },
      body: '{"error":$context.error.messageString}',
    };
    expect(gatewayAnswer(denied, [custom4xx])).toMatchObject({
      status: 403,
      headers: { 'access-control-allow-origin': "'*'" },
      body: '{"error":"User is not authorized to access this resource"}',
    });
    expect(gatewayAnswer(new GatewayError(502, 'Internal server error'), [custom4xx]).body).toBe('{"message":"Internal server error"}');
  });

  it('builds the method ARN from the request path', () => {
    expect(methodArn('local', 'v1', 'POST', '/console/complaints/c-1/acknowledge')).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:local/v1/POST/console/complaints/c-1/acknowledge',
    );
  });
});
