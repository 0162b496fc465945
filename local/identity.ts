/**
 * The local runtime's stand-in for the Cognito user pool: it issues ID tokens shaped as the pool
 * issues them (RS256, `iss` the pool, `aud` the console's app client, `token_use: id`, `email`,
 * `cognito:groups`) for a person and groups chosen on the one-time login link. The console's
 * authorizer verifies them with the same code as on AWS; it is given this provider's public keys
 * (USER_POOL_JWKS) instead of fetching the pool's.
 *
 * LocalHostedLogin serves the hosted login's endpoints the console's sign-in uses, at the paths
 * Cognito's domain serves them: GET /oauth2/authorize (authorization code, PKCE S256 required),
 * POST /oauth2/token (code + verifier → ID token) and GET /logout. Where the hosted login would ask
 * for a password, the local one asks for a one-time login link (`npm start` prints them): opening
 * `/_local/login?code=…[&as=<email>&groups=<g1,g2>]` opens a hosted-login session for that person
 * (the default manager when it names nobody) and starts the console's sign-in.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LocalSignInTargets } from './stack/resolve';

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

  /**
   * What the template's user pool, app client and hosted login resolve to locally, so the sign-in and
   * authorizer functions point at this provider (USER_POOL_ID, USER_POOL_CLIENT_ID, SIGN_IN_URL) and
   * are given its keys (USER_POOL_JWKS).
   */
  targets(hostedLoginUrl: string): LocalSignInTargets {
    return { userPoolId: this.userPoolId, clientId: this.clientId, hostedLoginUrl, jwks: JSON.stringify(this.jwks) };
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

/** Where a one-time login link is redeemed. */
export const LOGIN_LINK_PATH = '/_local/login';
/** The local hosted login's own session (as Cognito's hosted login keeps one on its domain). */
export const LOGIN_SESSION_COOKIE = 'complaint_loop_local_login';
/** A hosted-login session lasts this long (host time); each link works once. */
const LOGIN_SESSION_TTL_MS = 12 * 3600_000;
const LOGIN_LINK_TTL_MS = 24 * 3600_000;
/** The paths Cognito's hosted login serves (at its domain's root) that the console uses, and the login link. */
const HOSTED_LOGIN_ROUTES = [`GET ${LOGIN_LINK_PATH}`, 'GET /oauth2/authorize', 'POST /oauth2/token', 'GET /logout'];
/** Cognito's authorization codes are valid for five minutes. */
const AUTHORIZATION_CODE_TTL_MS = 5 * 60_000;

export interface HostedLoginRequest {
  readonly method: string;
  /** The path as received, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly cookie: string | undefined;
  /** The request body (form-encoded for the token endpoint). */
  readonly body: string;
}

export interface HostedLoginResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The user pool's app client the console signs in with: what its hosted login accepts (from the template). */
export interface LocalSignInClient {
  /** Where the hosted login may send a code (the console's callback). */
  callbackUrls: string[];
  /** Where the hosted login may return after signing out. */
  logoutUrls: string[];
  scopes: string[];
  /** How long an ID token of this client is valid. */
  idTokenValiditySeconds: number;
}

export interface HostedLoginOptions {
  readonly provider: LocalIdentityProvider;
  readonly client: LocalSignInClient;
  /** The console's sign-in route as the browser reaches it (with the stage), e.g. /v1/console/sign-in. */
  readonly signInPath: string;
  readonly hostNow?: () => number;
}

interface AuthorizationCode {
  readonly person: LocalPerson;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly expires: number;
}

/** The hosted login's endpoints on this machine (see the module comment). */
export class LocalHostedLogin {
  private readonly linkCodes = new Map<string, { next: string; expires: number }>();
  private readonly sessions = new Map<string, { person: LocalPerson; expires: number }>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly hostNow: () => number;

  constructor(private readonly opts: HostedLoginOptions) {
    this.hostNow = opts.hostNow ?? Date.now;
  }

  /** A one-time login link's query for `next` (a console path); `as` picks whom it signs in. */
  mintLink(next = '/console', as?: LocalPerson): string {
    if (!next.startsWith('/') || next.startsWith('//')) throw new Error(`login target must be a path, got ${next}`);
    const code = randomBytes(24).toString('base64url');
    this.linkCodes.set(code, { next, expires: this.hostNow() + LOGIN_LINK_TTL_MS });
    const params: [string, string][] = [['code', code]];
    if (as) params.push(['as', as.email], ['groups', as.groups.join(',')]);
    return `${LOGIN_LINK_PATH}?${params.map(([k, v]) => `${k}=${readableQueryValue(v)}`).join('&')}`;
  }

  serves(method: string, path: string): boolean {
    return HOSTED_LOGIN_ROUTES.includes(`${method} ${path}`);
  }

  /** Answers one of the hosted login's routes (see `serves`). */
  async handle(req: HostedLoginRequest): Promise<HostedLoginResponse> {
    switch (`${req.method} ${req.path}`) {
      case `GET ${LOGIN_LINK_PATH}`:
        return this.redeemLink(req);
      case 'GET /oauth2/authorize':
        return this.authorize(req);
      case 'POST /oauth2/token':
        return this.token(req);
      case 'GET /logout':
        return this.logout(req);
      default:
        return page(404, 'Not found', `${req.method} ${req.path} is not a route of the local hosted login`);
    }
  }

  /** A login link: the person it names (checked before the link is spent), a hosted-login session, then the console's sign-in. */
  private redeemLink(req: HostedLoginRequest): HostedLoginResponse {
    const person = personFromLink(req.query.get('as'), req.query.get('groups'));
    if (person instanceof Error) return page(400, 'Login link not valid', person.message);
    const code = req.query.get('code') ?? '';
    const link = this.linkCodes.get(code);
    this.linkCodes.delete(code);
    if (!link || link.expires < this.hostNow()) {
      return page(
        403,
        'Login link not valid',
        'This login link is used, expired or unknown. Each link printed by npm start works once; restart it for new ones.',
      );
    }
    const session = randomBytes(32).toString('base64url');
    this.sessions.set(session, { person, expires: this.hostNow() + LOGIN_SESSION_TTL_MS });
    return {
      status: 303,
      headers: {
        location: `${this.opts.signInPath}?${new URLSearchParams({ next: link.next })}`,
        'set-cookie': `${LOGIN_SESSION_COOKIE}=${session}; Path=/; Max-Age=${LOGIN_SESSION_TTL_MS / 1000}; HttpOnly; Secure; SameSite=Lax`,
        'cache-control': 'no-store',
      },
      body: '',
    };
  }

  private sessionOf(cookie: string | undefined): LocalPerson | undefined {
    for (const part of (cookie ?? '').split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name !== LOGIN_SESSION_COOKIE) continue;
      const session = this.sessions.get(rest.join('='));
      if (session && session.expires >= this.hostNow()) return session.person;
    }
    return undefined;
  }

  /** GET /oauth2/authorize: the client and redirect URI must be registered; PKCE (S256) is required. */
  private authorize(req: HostedLoginRequest): HostedLoginResponse {
    const q = req.query;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.opts.provider.clientId)
      return page(400, 'Sign-in refused', "client_id: not this user pool's app client");
    if (!this.opts.client.callbackUrls.includes(redirectUri))
      return page(400, 'Sign-in refused', `redirect_uri: ${redirectUri || '(none)'} is not a callback URL of the app client`);
    const fail = (error: string) => redirectTo(withQuery(redirectUri, { error, ...(q.get('state') ? { state: q.get('state')! } : {}) }));
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type');
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.some((s) => !this.opts.client.scopes.includes(s))) return fail('invalid_scope');
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256') return fail('invalid_request');
    const person = this.sessionOf(req.cookie);
    if (!person) {
      return page(
        200,
        'Sign in',
        'The local hosted login signs people in with a one-time login link: open one that npm start printed (add &as=<email>&groups=<group,...> to sign in as someone else).',
      );
    }
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { person, redirectUri, challenge, expires: this.hostNow() + AUTHORIZATION_CODE_TTL_MS });
    return redirectTo(withQuery(redirectUri, { code, ...(q.get('state') ? { state: q.get('state')! } : {}) }));
  }

  /** POST /oauth2/token (authorization_code): the code once, for the same client and redirect URI, with the PKCE verifier. */
  private token(req: HostedLoginRequest): HostedLoginResponse {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'authorization_code') return tokenError(400, 'unsupported_grant_type');
    if (form.get('client_id') !== this.opts.provider.clientId) return tokenError(400, 'invalid_client');
    const code = form.get('code') ?? '';
    const grant = this.codes.get(code);
    this.codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const proof = createHash('sha256').update(verifier).digest('base64url');
    const valid =
      grant !== undefined &&
      grant.expires >= this.hostNow() &&
      grant.redirectUri === form.get('redirect_uri') &&
      proof.length === grant.challenge.length &&
      timingSafeEqual(Buffer.from(proof), Buffer.from(grant.challenge));
    if (!valid) return tokenError(400, 'invalid_grant');
    const lifetime = this.opts.client.idTokenValiditySeconds;
    const idToken = this.opts.provider.issue(grant.person, Math.floor(this.hostNow() / 1000), lifetime);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ id_token: idToken, token_type: 'Bearer', expires_in: lifetime }),
    };
  }

  /** GET /logout: ends the hosted-login session and returns to a registered sign-out URL. */
  private logout(req: HostedLoginRequest): HostedLoginResponse {
    const logoutUri = req.query.get('logout_uri') ?? '';
    if (req.query.get('client_id') !== this.opts.provider.clientId)
      return page(400, 'Sign-out refused', "client_id: not this user pool's app client");
    if (!this.opts.client.logoutUrls.includes(logoutUri))
      return page(400, 'Sign-out refused', `logout_uri: ${logoutUri || '(none)'} is not a sign-out URL of the app client`);
    for (const part of (req.cookie ?? '').split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === LOGIN_SESSION_COOKIE) this.sessions.delete(rest.join('='));
    }
    return {
      status: 302,
      headers: {
        location: logoutUri,
        'set-cookie': `${LOGIN_SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`,
        'cache-control': 'no-store',
      },
      body: '',
    };
  }
}

/** Encoded for a query, but keeping `@ : ,` as typed, so a printed link reads as the person it names. */
function readableQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%(40|3A|2C)/g, (escaped) => decodeURIComponent(escaped));
}

function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

function redirectTo(location: string): HostedLoginResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

function tokenError(status: number, error: string): HostedLoginResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify({ error }) };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, text: string): HostedLoginResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} (local hosted login)</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
  };
}
