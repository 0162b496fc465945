/**
 * Sign-in for the people who use the console on AWS (supervisors, management, operations): an
 * Amazon Cognito user pool with one group per team role, its hosted login, and a public app client
 * for the authorization-code flow with PKCE. The carrier may federate its own SAML or OIDC identity
 * provider into the pool (`identityProviders`), so staff sign in with their corporate account.
 * The console's REQUEST authorizer and sign-in routes read the pool through the variables set by
 * `configureVerifier` and `configureSignIn`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ACCESS_GROUPS } from '../../functions/domain/access';
import type { ComplaintFunction } from './complaint-function';

export interface ComplaintSignInProps {
  /**
   * The hosted login's domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. Unique in the
   * region; may not contain "aws", "amazon" or "cognito".
   */
  readonly domainPrefix: string;
  /** The API's public base URL with its stage (the console lives under `<base>/console`). */
  readonly consoleBaseUrl: string;
  /**
   * Identity providers the carrier has added to the pool (SAML/OIDC federation), offered on the hosted login.
   * @default - the pool's own users only
   */
  readonly identityProviders?: readonly cognito.UserPoolClientIdentityProvider[];
  /**
   * How long a console session lasts before the browser goes back through the hosted login.
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;
  /**
   * Keep the user pool (and its users) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class ComplaintSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The hosted login's base URL. */
  readonly loginUrl: string;

  constructor(scope: Construct, id: string, props: ComplaintSignInProps) {
    super(scope, id);
    this.userPool = this.createUserPool(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.createGroups();
    this.domain = this.userPool.addDomain('Login', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.loginUrl = this.domain.baseUrl();
    this.client = this.createClient(props);
  }

  /** Staff accounts only: no self sign-up, MFA, strong passwords, threat protection enforced. */
  private createUserPool(removalPolicy: RemovalPolicy): cognito.UserPool {
    return new cognito.UserPool(this, 'People', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
  }

  /** One group per role the console knows (functions/domain/access.ts): supervisors per team, management, operations. */
  private createGroups(): void {
    for (const group of ACCESS_GROUPS) {
      new cognito.CfnUserPoolGroup(this, `Group-${group.replace(/[^A-Za-z0-9]/g, '')}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: `complaint-loop console: ${group}`,
      });
    }
  }

  private createClient(props: ComplaintSignInProps): cognito.UserPoolClient {
    const session = props.sessionDuration ?? Duration.hours(1);
    return this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: session,
      accessTokenValidity: session,
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [`${props.consoleBaseUrl}/console/callback`],
        logoutUrls: [`${props.consoleBaseUrl}/console/signed-out`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO, ...(props.identityProviders ?? [])],
    });
  }

  /** The authorizer verifies ID tokens of this pool and client (public keys: no IAM permission needed). */
  configureVerifier(fn: ComplaintFunction): void {
    fn.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    fn.addEnvironment('USER_POOL_CLIENT_ID', this.client.userPoolClientId);
  }

  /** The sign-in routes also send people to the hosted login and exchange codes at its token endpoint. */
  configureSignIn(fn: ComplaintFunction): void {
    this.configureVerifier(fn);
    fn.addEnvironment('SIGN_IN_URL', this.loginUrl);
  }
}
