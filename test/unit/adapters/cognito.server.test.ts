import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoTokenEndpoint } from '../../../functions/adapters/cognito';
import { SignInRejectedError } from '../../../functions/app/console/sign-in';

// The token endpoint's contract (Amazon Cognito developer guide, "Token endpoint"): a form-encoded
// POST with grant_type=authorization_code, client_id, code, redirect_uri and, with PKCE, code_verifier;
// 200 with id_token/access_token/refresh_token, or 400 with {"error": "invalid_grant"}.
let server: http.Server;
let loginUrl: string;
const received: { path?: string; contentType?: string; form?: Record<string, string> }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      received.push({ path: req.url, contentType: req.headers['content-type'], form });
      const ok = form.code === 'good-code' && form.code_verifier === 'the-verifier';
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok ? { id_token: 'header.payload.sig', access_token: 'a', token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_grant' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  loginUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('Cognito token endpoint adapter', () => {
  it('exchanges a code with its PKCE verifier for the ID token', async () => {
    const endpoint = new CognitoTokenEndpoint(loginUrl, 'client-1');
    const out = await endpoint.exchange({
      code: 'good-code',
      codeVerifier: 'the-verifier',
      redirectUri: 'https://api.example/v1/console/callback',
    });
    expect(out).toEqual({ idToken: 'header.payload.sig' });
    expect(received.at(-1)).toEqual({
      path: '/oauth2/token',
      contentType: 'application/x-www-form-urlencoded',
      form: {
        grant_type: 'authorization_code',
        client_id: 'client-1',
        code: 'good-code',
        redirect_uri: 'https://api.example/v1/console/callback',
        code_verifier: 'the-verifier',
      },
    });
  });

  it('fails with SignInRejectedError naming the endpoint error when the code is refused', async () => {
    const endpoint = new CognitoTokenEndpoint(loginUrl, 'client-1');
    const attempt = endpoint.exchange({
      code: 'used-code',
      codeVerifier: 'the-verifier',
      redirectUri: 'https://api.example/v1/console/callback',
    });
    await expect(attempt).rejects.toBeInstanceOf(SignInRejectedError);
    await expect(
      endpoint.exchange({ code: 'used-code', codeVerifier: 'x', redirectUri: 'https://api.example/v1/console/callback' }),
    ).rejects.toThrow('token endpoint answered 400 (invalid_grant)');
  });
});
