/**
 * What the local runtime needs from the synthesized template: tables, state machines, functions
 * (handler module + environment), API routes, queues and event buses, all with local names.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { ENTRY_METADATA_KEY } from '../../functions/contract/template';
import type { ApiRoute, GatewayResponse, RouteAuthorizer } from '../api-server';
import type { LocalSignInClient } from '../identity';
import { type CfnResource, type CfnTemplate, type LocalTargets, localName, Resolver, TemplateResolveError } from './resolve';

export interface LocalTable {
  logicalId: string;
  createTable: CreateTableCommandInput;
  /** TTL attribute, when the table has TTL enabled. */
  ttlAttribute?: string;
}

export interface LocalStateMachine {
  logicalId: string;
  name: string;
  arn: string;
  /** The definition with DefinitionSubstitutions applied and function ARNs made local. */
  definition: string;
  type: 'STANDARD' | 'EXPRESS';
  roleArn: string;
}

export interface LocalFunction {
  logicalId: string;
  name: string;
  /** Handler module path relative to the repository root (from the Metadata). */
  entry: string;
  /** Exported handler name (`index.handler` → `handler`). */
  handlerExport: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
}

/** An EventBridge rule with a rate schedule that targets a local function. */
export interface LocalSchedule {
  ruleId: string;
  /** The target function's logical id. */
  functionId: string;
  expression: string;
  rateMs: number;
}

export interface LocalApp {
  tables: LocalTable[];
  stateMachines: LocalStateMachine[];
  functions: LocalFunction[];
  routes: ApiRoute[];
  /** API Gateway's own answers the template customizes (e.g. UNAUTHORIZED → a redirect to sign-in). */
  gatewayResponses: GatewayResponse[];
  /** The user pool client people sign in to the console with, when the template has one. */
  signInClient?: LocalSignInClient;
  /** API Gateway stage name (the optional URL prefix). */
  stage: string;
  queues: string[];
  eventBuses: string[];
  /** Lambda functions without the entry metadata (e.g. CDK's own helper functions): not run locally. */
  skippedFunctions: string[];
  schedules: LocalSchedule[];
  /** Scheduled rules that cannot run locally (cron expressions, disabled rules, no local target), with the reason. */
  skippedSchedules: string[];
}

const byType = (t: CfnTemplate, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

export function deriveLocalApp(template: CfnTemplate, targets: LocalTargets): LocalApp {
  const resolver = new Resolver(template, targets);
  const { functions, skippedFunctions } = deriveFunctions(template, resolver, targets);
  const tables = [...byType(template, 'AWS::DynamoDB::Table'), ...byType(template, 'AWS::DynamoDB::GlobalTable')].map(([id, r]) =>
    tableFrom(id, r.Properties ?? {}, localName(template, id)),
  );
  const stateMachines = byType(template, 'AWS::StepFunctions::StateMachine').map(([id, r]) =>
    stateMachineFrom(template, resolver, id, r.Properties ?? {}),
  );
  const stageRes = byType(template, 'AWS::ApiGateway::Stage')[0];
  const stage = typeof stageRes?.[1].Properties?.StageName === 'string' ? stageRes[1].Properties.StageName : 'prod';

  return {
    tables,
    stateMachines,
    functions,
    routes: deriveRoutes(template),
    gatewayResponses: deriveGatewayResponses(template),
    signInClient: deriveSignInClient(template, resolver),
    stage,
    queues: byType(template, 'AWS::SQS::Queue').map(([id]) => localName(template, id)),
    eventBuses: byType(template, 'AWS::Events::EventBus').map(([id]) => localName(template, id)),
    skippedFunctions,
    ...deriveSchedules(template, new Set(functions.map((f) => f.logicalId))),
  };
}

/** The functions with a handler module (the entry metadata), their environment resolved to local names. */
function deriveFunctions(
  template: CfnTemplate,
  resolver: Resolver,
  targets: LocalTargets,
): { functions: LocalFunction[]; skippedFunctions: string[] } {
  const functions: LocalFunction[] = [];
  const skippedFunctions: string[] = [];
  for (const [id, r] of byType(template, 'AWS::Lambda::Function')) {
    const entry = r.Metadata?.[ENTRY_METADATA_KEY];
    if (typeof entry !== 'string') {
      skippedFunctions.push(id);
      continue;
    }
    const p = r.Properties ?? {};
    const vars = (p.Environment?.Variables ?? {}) as Record<string, unknown>;
    const environment: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars)) environment[k] = resolver.resolveString(v);
    // On AWS a function configured with the pool fetches its keys from the pool; locally it is given them.
    if (targets.signIn && environment.USER_POOL_ID === targets.signIn.userPoolId) environment.USER_POOL_JWKS = targets.signIn.jwks;
    const handler = typeof p.Handler === 'string' ? p.Handler : 'index.handler';
    functions.push({
      logicalId: id,
      name: localName(template, id),
      entry,
      handlerExport: handler.slice(handler.lastIndexOf('.') + 1) || 'handler',
      environment,
      timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : 3,
      memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : 128,
    });
  }
  return { functions, skippedFunctions };
}

/** A state machine with its definition's substitutions applied and every reference made local. */
function stateMachineFrom(template: CfnTemplate, resolver: Resolver, id: string, p: Record<string, any>): LocalStateMachine {
  let definition: string;
  if (p.DefinitionString !== undefined) definition = resolver.resolveString(p.DefinitionString);
  else if (p.Definition !== undefined) definition = JSON.stringify(resolver.resolve(p.Definition));
  else
    throw new TemplateResolveError(
      `State machine ${id} has neither DefinitionString nor Definition (DefinitionS3Location is not supported locally)`,
    );
  for (const [key, value] of Object.entries((p.DefinitionSubstitutions ?? {}) as Record<string, unknown>)) {
    definition = definition.split(`\${${key}}`).join(resolver.resolveString(value));
  }
  const left = /\$\{([A-Za-z0-9_]+)\}/.exec(definition);
  if (left) throw new TemplateResolveError(`State machine ${id}: definition placeholder \${${left[1]}} has no substitution`);
  return {
    logicalId: id,
    name: localName(template, id),
    arn: resolver.stateMachineArn(id),
    definition,
    type: p.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    roleArn: p.RoleArn === undefined ? `arn:aws:iam::123456789012:role/${id}` : resolver.resolveString(p.RoleArn),
  };
}

const RATE_UNITS_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** `rate(5 minutes)` → ms; undefined for anything else (cron expressions are not run locally). */
export function rateExpressionMs(expression: string): number | undefined {
  const m = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (!m || Number(m[1]) < 1) return undefined;
  return Number(m[1]) * RATE_UNITS_MS[m[2]!]!;
}

function deriveSchedules(template: CfnTemplate, functionIds: Set<string>): Pick<LocalApp, 'schedules' | 'skippedSchedules'> {
  const schedules: LocalSchedule[] = [];
  const skippedSchedules: string[] = [];
  for (const [ruleId, r] of byType(template, 'AWS::Events::Rule')) {
    const p = r.Properties ?? {};
    if (typeof p.ScheduleExpression !== 'string') continue;
    const rateMs = rateExpressionMs(p.ScheduleExpression);
    const functionId = findGetAtt(p.Targets, functionIds);
    const why =
      p.State === 'DISABLED'
        ? 'disabled'
        : rateMs === undefined
          ? `${p.ScheduleExpression} is not a rate(...) expression`
          : !functionId
            ? 'no local function target'
            : undefined;
    if (why) skippedSchedules.push(`${ruleId} (${why})`);
    else schedules.push({ ruleId, functionId: functionId!, expression: p.ScheduleExpression, rateMs: rateMs! });
  }
  return { schedules, skippedSchedules };
}

function tableFrom(id: string, p: Record<string, any>, name: string): LocalTable {
  const gsis = (p.GlobalSecondaryIndexes ?? []) as Record<string, any>[];
  const lsis = (p.LocalSecondaryIndexes ?? []) as Record<string, any>[];
  const provisioned = p.BillingMode === 'PROVISIONED' || (p.BillingMode === undefined && p.ProvisionedThroughput !== undefined);
  const throughput = p.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
  const createTable: CreateTableCommandInput = {
    TableName: name,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    ...(provisioned ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput } : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(gsis.length
      ? {
          GlobalSecondaryIndexes: gsis.map((g) => ({
            IndexName: g.IndexName,
            KeySchema: g.KeySchema,
            Projection: g.Projection ?? { ProjectionType: 'ALL' },
            ...(provisioned ? { ProvisionedThroughput: g.ProvisionedThroughput ?? throughput } : {}),
          })),
        }
      : {}),
    ...(lsis.length
      ? { LocalSecondaryIndexes: lsis.map((l) => ({ IndexName: l.IndexName, KeySchema: l.KeySchema, Projection: l.Projection })) }
      : {}),
  };
  if (!Array.isArray(p.KeySchema) || !Array.isArray(p.AttributeDefinitions)) {
    throw new TemplateResolveError(`Table ${id} has no KeySchema/AttributeDefinitions`);
  }
  const ttl = p.TimeToLiveSpecification;
  return { logicalId: id, createTable, ttlAttribute: ttl?.Enabled ? String(ttl.AttributeName) : undefined };
}

/** Routes from AWS::ApiGateway::Resource/Method with a Lambda proxy integration. */
export function deriveRoutes(template: CfnTemplate): ApiRoute[] {
  const resources = new Map(byType(template, 'AWS::ApiGateway::Resource'));
  const pathCache = new Map<string, string>();
  const pathOf = (ref: unknown): string => {
    if (ref && typeof ref === 'object' && 'Fn::GetAtt' in ref) return '/'; // RootResourceId
    const id = (ref as { Ref?: string })?.Ref;
    if (!id || !resources.has(id)) throw new TemplateResolveError(`API resource reference ${JSON.stringify(ref)} is not understood`);
    const cached = pathCache.get(id);
    if (cached) return cached;
    const p = resources.get(id)!.Properties ?? {};
    const parent = pathOf(p.ParentId);
    const full = `${parent === '/' ? '' : parent}/${p.PathPart}`;
    pathCache.set(id, full);
    return full;
  };
  const lambdaIds = new Set(byType(template, 'AWS::Lambda::Function').map(([id]) => id));
  const routes: ApiRoute[] = [];
  for (const [id, r] of byType(template, 'AWS::ApiGateway::Method')) {
    const p = r.Properties ?? {};
    const integration = p.Integration ?? {};
    if (integration.Type !== 'AWS_PROXY') continue; // e.g. CORS preflight MOCK integrations
    const functionId = findGetAtt(integration.Uri, lambdaIds);
    if (!functionId) throw new TemplateResolveError(`API method ${id}: no Lambda function found in its integration URI`);
    const authorizationType = typeof p.AuthorizationType === 'string' ? p.AuthorizationType : 'NONE';
    routes.push({
      resourcePath: pathOf(p.ResourceId),
      httpMethod: String(p.HttpMethod).toUpperCase(),
      authorizationType,
      functionId,
      ...(authorizationType === 'CUSTOM' ? { authorizer: authorizerOf(template, id, p.AuthorizerId, lambdaIds) } : {}),
    });
  }
  return routes;
}

/** A CUSTOM method's AWS::ApiGateway::Authorizer: a Lambda REQUEST authorizer, its identity sources and TTL. */
function authorizerOf(template: CfnTemplate, methodId: string, ref: unknown, lambdaIds: Set<string>): RouteAuthorizer {
  const id = (ref as { Ref?: unknown } | undefined)?.Ref;
  const resource: CfnResource | undefined = typeof id === 'string' ? template.Resources[id] : undefined;
  if (typeof id !== 'string' || resource?.Type !== 'AWS::ApiGateway::Authorizer')
    throw new TemplateResolveError(
      `API method ${methodId}: AuthorizerId ${JSON.stringify(ref)} is not a Ref to an AWS::ApiGateway::Authorizer`,
    );
  const p = resource.Properties ?? {};
  if (p.Type !== 'REQUEST')
    throw new TemplateResolveError(`Authorizer ${id}: type ${String(p.Type)} is not supported locally (Lambda REQUEST authorizers are)`);
  const functionId = findGetAtt(p.AuthorizerUri, lambdaIds);
  if (!functionId) throw new TemplateResolveError(`Authorizer ${id}: no Lambda function found in its AuthorizerUri`);
  const identitySources =
    typeof p.IdentitySource === 'string'
      ? p.IdentitySource.split(',')
          .map((s: string) => s.trim())
          .filter(Boolean)
      : [];
  // API Gateway's default TTL for authorizer results is 300 s.
  const ttlSeconds = typeof p.AuthorizerResultTtlInSeconds === 'number' ? p.AuthorizerResultTtlInSeconds : 300;
  return { id, type: 'REQUEST', functionId, identitySources, ttlSeconds };
}

/**
 * AWS::ApiGateway::GatewayResponse resources: status and static headers (`'value'`) per response
 * type. Headers mapped from the request (`method.request...`) are not supported locally.
 */
export function deriveGatewayResponses(template: CfnTemplate): GatewayResponse[] {
  return byType(template, 'AWS::ApiGateway::GatewayResponse').map(([id, r]) => {
    const p = r.Properties ?? {};
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((p.ResponseParameters ?? {}) as Record<string, unknown>)) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
      const fixed = typeof value === 'string' ? /^'(.*)'$/s.exec(value)?.[1] : undefined;
      if (!name || fixed === undefined)
        throw new TemplateResolveError(
          `Gateway response ${id}: ${key} = ${JSON.stringify(value)} is not a static header (only 'value' is supported locally)`,
        );
      headers[name] = fixed;
    }
    const templates = (p.ResponseTemplates ?? {}) as Record<string, unknown>;
    const body = typeof templates['application/json'] === 'string' ? templates['application/json'] : undefined;
    return {
      responseType: String(p.ResponseType),
      ...(p.StatusCode !== undefined ? { statusCode: Number(p.StatusCode) } : {}),
      headers,
      ...(body !== undefined ? { body } : {}),
    };
  });
}

/** Token validity units of a user pool client: CloudFormation's defaults are hours for ID tokens. */
const VALIDITY_UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

function deriveSignInClient(template: CfnTemplate, resolver: Resolver): LocalSignInClient | undefined {
  const client = byType(template, 'AWS::Cognito::UserPoolClient')[0];
  if (!client) return undefined;
  const p = client[1].Properties ?? {};
  const urls = (v: unknown) => (Array.isArray(v) ? v.map((u) => resolver.resolveString(u)) : []);
  const unit = String(p.TokenValidityUnits?.IdToken ?? 'hours');
  const validity = typeof p.IdTokenValidity === 'number' ? p.IdTokenValidity : 1;
  return {
    callbackUrls: urls(p.CallbackURLs),
    logoutUrls: urls(p.LogoutURLs),
    scopes: Array.isArray(p.AllowedOAuthScopes) ? p.AllowedOAuthScopes.map(String) : [],
    idTokenValiditySeconds: validity * (VALIDITY_UNIT_SECONDS[unit] ?? 3600),
  };
}

function findGetAtt(value: unknown, ids: Set<string>): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const f = findGetAtt(v, ids);
      if (f) return f;
    }
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const obj = value as Record<string, unknown>;
  const g = obj['Fn::GetAtt'];
  if (Array.isArray(g) && ids.has(String(g[0]))) return String(g[0]);
  for (const v of Object.values(obj)) {
    const f = findGetAtt(v, ids);
    if (f) return f;
  }
  return undefined;
}

/**
 * The union of the functions' environments (one process runs them all). By contract they agree on
 * shared names; where they differ (e.g. POWERTOOLS_SERVICE_NAME) the per-function value is applied
 * while that handler module loads, so module-level reads still see their own function's value.
 */
export function unionEnvironment(functions: LocalFunction[]): { env: Record<string, string>; conflicts: string[] } {
  const env: Record<string, string> = {};
  const conflicts = new Set<string>();
  for (const f of functions) {
    for (const [k, v] of Object.entries(f.environment)) {
      if (k === 'NODE_OPTIONS') continue; // would only affect child processes
      if (k in env && env[k] !== v) conflicts.add(k);
      else env[k] = v;
    }
  }
  return { env, conflicts: [...conflicts].sort() };
}
