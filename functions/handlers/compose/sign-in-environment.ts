/** What console sign-in needs from its environment (set by the stack's ComplaintSignIn construct). */
import { CognitoIdTokens, CognitoTokenEndpoint, type Jwks } from '../../adapters/cognito';
import type { SignInDeps } from '../../app/console/sign-in';
import { baseUrlEnv, jsonEnv, requireEnv } from '../../config';
import * as z from '../../domain/zod';

export function idTokensFromEnv(): CognitoIdTokens {
  // Only the local runtime sets USER_POOL_JWKS (its identity provider's keys); on AWS they are fetched.
  const jwks = jsonEnv('USER_POOL_JWKS', z.nullable(z.object({ keys: z.array(z.record(z.string(), z.unknown())) })), 'null');
  return new CognitoIdTokens(requireEnv('USER_POOL_ID'), requireEnv('USER_POOL_CLIENT_ID'), (jwks ?? undefined) as Jwks | undefined);
}

export function signInFromEnv(): SignInDeps {
  const settings = {
    loginUrl: baseUrlEnv('SIGN_IN_URL'),
    clientId: requireEnv('USER_POOL_CLIENT_ID'),
    baseUrl: baseUrlEnv('PUBLIC_BASE_URL'),
  };
  return {
    settings,
    tokens: new CognitoTokenEndpoint(settings.loginUrl, settings.clientId),
    verifier: idTokensFromEnv(),
    nowSeconds: () => Math.floor(Date.now() / 1000),
  };
}
