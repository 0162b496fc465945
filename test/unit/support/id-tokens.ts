/**
 * ID tokens as a Cognito user pool issues them (RS256, `iss` the pool, `aud` the app client,
 * `token_use: id`, `cognito:groups`), signed with a key made here, and that key's JWKS, which the
 * real aws-jwt-verify verifier takes in place of fetching: the verification path runs as on AWS.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';

export const USER_POOL_ID = 'eu-west-1_TestPool1';
export const CLIENT_ID = 'testclient0123456789abcdef';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${USER_POOL_ID}`;
const KID = 'test-key-1';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface TokenClaims {
  readonly sub?: string;
  readonly email?: string;
  readonly groups?: readonly string[];
  readonly expiresInS?: number;
  readonly aud?: string;
  readonly iss?: string;
  readonly tokenUse?: string;
}

export function idToken(claims: TokenClaims = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: claims.sub ?? '11111111-2222-3333-4444-555555555555',
    ...(claims.email ? { email: claims.email } : {}),
    ...(claims.groups ? { 'cognito:groups': claims.groups } : {}),
    iss: claims.iss ?? ISSUER,
    aud: claims.aud ?? CLIENT_ID,
    token_use: claims.tokenUse ?? 'id',
    auth_time: now,
    iat: now,
    exp: now + (claims.expiresInS ?? 3600),
  };
  const unsigned = `${b64({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

/** The pool's JWKS as it would publish it: the verifier under test takes it instead of fetching. */
export const JWKS = { keys: [jwk as never] };
