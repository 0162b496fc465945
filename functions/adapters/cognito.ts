/**
 * The user pool's side of console sign-in: the token endpoint (authorization code + PKCE
 * verifier → tokens) and ID-token verification with AWS's aws-jwt-verify (signature against the
 * pool's JWKS, issuer, audience = the app client, token use, expiry).
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { type IdTokenVerifier, type Session, SignInRejectedError, type TokenExchange } from '../app/ports';

export class CognitoTokenEndpoint implements TokenExchange {
  constructor(
    private readonly loginUrl: string,
    private readonly clientId: string,
  ) {}

  async exchange(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<{ idToken: string }> {
    const response = await fetch(new URL('/oauth2/token', this.loginUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: this.clientId,
        code: input.code,
        redirect_uri: input.redirectUri,
        code_verifier: input.codeVerifier,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
    if (!response.ok || typeof body.id_token !== 'string') {
      throw new SignInRejectedError(
        `token endpoint answered ${response.status}${typeof body.error === 'string' ? ` (${body.error})` : ''}`,
      );
    }
    return { idToken: body.id_token };
  }
}

/** A JSON Web Key Set as the pool publishes it at `<issuer>/.well-known/jwks.json`. */
export type Jwks = Parameters<ReturnType<typeof CognitoJwtVerifier.create>['cacheJwks']>[0];

export class CognitoIdTokens implements IdTokenVerifier {
  private readonly verifier;

  /**
   * `jwks`, when given, is used instead of fetching the pool's keys: the local runtime's own
   * identity provider passes its keys so; on AWS the verifier fetches and caches the pool's.
   */
  constructor(userPoolId: string, clientId: string, jwks?: Jwks) {
    this.verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' });
    if (jwks) this.verifier.cacheJwks(jwks);
  }

  async verify(idToken: string): Promise<Session> {
    const claims = await this.verifier.verify(idToken);
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    const groups = claims['cognito:groups'] ?? [];
    return { viewer: { id: claims.sub, name: email ?? claims.sub, groups }, expiresAt: claims.exp };
  }
}
