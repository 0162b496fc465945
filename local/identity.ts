/**
 * The local runtime's stand-in for the Cognito user pool: it issues ID tokens shaped as the pool
 * issues them (RS256, `iss` the pool, `aud` the console's app client, `token_use: id`, `email`,
 * `cognito:groups`) for a person and groups chosen on the one-time login link. The console's
 * authorizer verifies them with the same code as on AWS; it is given this provider's public keys
 * (USER_POOL_JWKS) instead of fetching the pool's.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface LocalPerson {
  /** The email the person signs in as (the audit trail's actor). */
  readonly email: string;
  readonly groups: readonly string[];
}

/** Who a login link signs in as when it names nobody: a manager, who sees every team. */
export const DEFAULT_LOCAL_PERSON: LocalPerson = { email: 'local-manager@carrier.example', groups: ['management'] };

export class LocalIdentityProvider {
  readonly userPoolId: string;
  readonly clientId = 'localconsoleclient0000000000';
  private readonly privateKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private readonly kid = 'local-1';

  constructor(region: string) {
    this.userPoolId = `${region}_LocalPool`;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  get issuer(): string {
    const region = this.userPoolId.split('_')[0];
    return `https://cognito-idp.${region}.amazonaws.com/${this.userPoolId}`;
  }

  /** The key set the authorizer trusts (what the pool publishes at `<issuer>/.well-known/jwks.json`). */
  get jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.publicJwk] };
  }

  /** The variables the stack sets on the authorizer and sign-in functions, pointing at this provider. */
  environment(): Record<string, string> {
    return { USER_POOL_ID: this.userPoolId, USER_POOL_CLIENT_ID: this.clientId, USER_POOL_JWKS: JSON.stringify(this.jwks) };
  }

  /** An ID token for `person`, valid `lifetimeS` seconds from `nowS` (host time: tokens expire in real time). */
  issue(person: LocalPerson, nowS: number, lifetimeS: number): string {
    const payload = {
      sub: subjectOf(person.email),
      email: person.email,
      email_verified: true,
      'cognito:groups': [...person.groups],
      'cognito:username': person.email,
      iss: this.issuer,
      aud: this.clientId,
      token_use: 'id',
      auth_time: nowS,
      iat: nowS,
      exp: nowS + lifetimeS,
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', kid: this.kid, typ: 'JWT' })}.${encode(payload)}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(this.privateKey).toString('base64url')}`;
  }
}

/** A stable, UUID-shaped subject per email, as a pool keeps one `sub` per user. */
function subjectOf(email: string): string {
  const h = createHash('sha256').update(email.toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** `as` and `groups` from a login link: an email, and group names separated by commas. */
export function personFromLink(as: string | null, groups: string | null): LocalPerson | Error {
  if (as === null && groups === null) return DEFAULT_LOCAL_PERSON;
  if (!as || !/^[^\s@]+@[^\s@]+$/.test(as)) return new Error('as: expected the email to sign in as, e.g. as=cs-lead@carrier.example');
  const list = (groups ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const bad = list.find((g) => !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(g));
  if (bad !== undefined) return new Error(`groups: "${bad}" is not a group name (comma-separated names, e.g. customer-service:supervisor)`);
  return { email: as, groups: list };
}
