/**
 * API Gateway's Lambda REQUEST authorizer, as the local API server runs it for routes whose
 * authorization type is CUSTOM (the console): the identity sources must all be present (else 401
 * without calling the function), the function's answer "Unauthorized" is a 401, any other failure
 * a 500, and the returned IAM policy must allow the method's ARN (else 403). Decisions are cached by
 * the identity sources' values for the authorizer's TTL, and a cached policy is checked against
 * each new method ARN, as API Gateway does. An answer without a principal, or with a context value
 * that is not a string, number or boolean, is a configuration error (500); the context reaches the
 * integration with every value as a string.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */

export interface AuthorizerSpec {
  /** Runs the authorizer function with a REQUEST event; resolves to its answer. */
  readonly invoke: (event: Record<string, unknown>) => Promise<unknown>;
  /** e.g. ['method.request.header.Cookie']. */
  readonly identitySources: readonly string[];
  readonly ttlSeconds: number;
}

export interface AuthorizerRequest {
  /** Header names in any case, as the client sent them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly methodArn: string;
  /** The REQUEST event's other fields (path, resource, requestContext, ...). */
  readonly event: Readonly<Record<string, unknown>>;
}

export type AuthorizerDecision =
  | { readonly kind: 'allow'; readonly principalId: string; readonly context: Readonly<Record<string, string>> }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'error'; readonly message: string };

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
}

interface AuthorizerAnswer {
  readonly principalId?: unknown;
  readonly policyDocument?: { readonly Statement?: readonly Statement[] };
  readonly context?: Record<string, unknown> | null;
}

/** Why API Gateway would refuse the answer as a configuration error, or undefined when it is well formed. */
function answerProblem(answer: AuthorizerAnswer | null | undefined): string | undefined {
  if (!answer || typeof answer !== 'object') return 'the authorizer returned no object';
  if (typeof answer.principalId !== 'string' || answer.principalId === '') return 'the answer has no principalId';
  if (!Array.isArray(answer.policyDocument?.Statement)) return 'the answer has no policyDocument.Statement list';
  const bad = Object.entries(answer.context ?? {}).find(([, v]) => !['string', 'number', 'boolean'].includes(typeof v));
  return bad ? `context.${bad[0]} is not a string, number or boolean` : undefined;
}

const stringified = (context: Record<string, unknown> | null | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(context ?? {}).map(([k, v]) => [k, String(v)]));

/** IAM-style wildcard match: `*` any run of characters, `?` one character. */
export function arnMatches(pattern: string, arn: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

const asList = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

/** An explicit Deny wins; otherwise an Allow of execute-api:Invoke on a matching resource. */
export function policyAllows(answer: AuthorizerAnswer, methodArn: string): boolean {
  const applies = (s: Statement) =>
    asList(s.Action).some((a) => arnMatches(a, 'execute-api:Invoke')) && asList(s.Resource).some((r) => arnMatches(r, methodArn));
  const statements = answer.policyDocument?.Statement ?? [];
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s));
}

/** The value of one identity source, or undefined when it is missing or empty. */
function identityValue(source: string, request: AuthorizerRequest): string | undefined {
  const header = /^method\.request\.header\.(.+)$/.exec(source);
  if (header) {
    const name = header[1]!.toLowerCase();
    const key = Object.keys(request.headers).find((k) => k.toLowerCase() === name);
    return key && request.headers[key] ? request.headers[key] : undefined;
  }
  const query = /^method\.request\.querystring\.(.+)$/.exec(source);
  if (query) return request.query[query[1]!] || undefined;
  throw new Error(`identity source ${source} is not supported locally (headers and query strings are)`);
}

export class LocalAuthorizer {
  private readonly cache = new Map<string, { answer: AuthorizerAnswer; expiresMs: number }>();

  constructor(
    private readonly spec: AuthorizerSpec,
    private readonly hostNow: () => number = Date.now,
  ) {}

  async authorize(request: AuthorizerRequest): Promise<AuthorizerDecision> {
    const values = this.spec.identitySources.map((s) => identityValue(s, request));
    if (values.some((v) => v === undefined)) return { kind: 'unauthorized' };
    const key = JSON.stringify(values);
    const cached = this.cache.get(key);
    let answer = cached && cached.expiresMs > this.hostNow() ? cached.answer : undefined;
    if (!answer) {
      try {
        answer = (await this.spec.invoke({ ...request.event, type: 'REQUEST', methodArn: request.methodArn })) as AuthorizerAnswer;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return message === 'Unauthorized' ? { kind: 'unauthorized' } : { kind: 'error', message };
      }
      const problem = answerProblem(answer);
      if (problem) return { kind: 'error', message: problem };
      if (this.spec.ttlSeconds > 0) this.cache.set(key, { answer, expiresMs: this.hostNow() + this.spec.ttlSeconds * 1000 });
    }
    if (!policyAllows(answer, request.methodArn)) return { kind: 'denied' };
    return { kind: 'allow', principalId: answer.principalId as string, context: stringified(answer.context) };
  }
}
