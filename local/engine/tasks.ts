/**
 * Task integrations: Lambda (optimized `lambda:invoke` and bare function ARNs) run in process
 * through a resolver; `dynamodb:*` and `aws-sdk:<service>:<action>` go through AWS SDK v3 clients
 * created with the default configuration (so AWS_ENDPOINT_URL_* reach local services).
 * Anything else fails with States.Runtime: nothing is silently skipped.
 */
import { randomUUID } from 'node:crypto';
import { StatesError, StatesErrors } from './errors';

export type LambdaHandler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

export type IntegrationPattern = 'request' | 'waitForTaskToken' | 'sync';

export interface ParsedResource {
  kind: 'lambda-invoke' | 'lambda-function' | 'dynamodb' | 'optimized' | 'aws-sdk' | 'unsupported';
  pattern: IntegrationPattern;
  /** As history events name them: resourceType ("lambda", "dynamodb", "aws-sdk:sesv2") and resource ("invoke"). */
  resourceType: string;
  resourceName: string;
  service?: string;
  action?: string;
}

const parsedCache = new Map<string, ParsedResource>();

/** Parse a Task's Resource (memoized: results are shared and must not be mutated). */
export function parseResource(resource: string): ParsedResource {
  let p = parsedCache.get(resource);
  if (!p) {
    if (parsedCache.size > 1000) parsedCache.clear();
    parsedCache.set(resource, (p = parseResourceUncached(resource)));
  }
  return p;
}

function parseResourceUncached(resource: string): ParsedResource {
  const fn = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.exec(resource);
  if (fn) return { kind: 'lambda-function', pattern: 'request', resourceType: 'lambda', resourceName: resource };
  const m = /^arn:aws[a-z-]*:states:::([a-z0-9-]+(?::[a-z0-9-]+)?):([A-Za-z0-9]+)(?:\.(waitForTaskToken|sync(?::2)?))?$/.exec(resource);
  if (!m) return { kind: 'unsupported', pattern: 'request', resourceType: 'unknown', resourceName: resource };
  const [, svc, action, suffix] = m;
  const pattern: IntegrationPattern = suffix === 'waitForTaskToken' ? 'waitForTaskToken' : suffix ? 'sync' : 'request';
  const resourceName = suffix ? `${action}.${suffix}` : action;
  if (svc === 'lambda' && action === 'invoke') return { kind: 'lambda-invoke', pattern, resourceType: 'lambda', resourceName };
  if (svc === 'dynamodb' && ['getItem', 'putItem', 'updateItem', 'deleteItem'].includes(action))
    return { kind: 'dynamodb', pattern, resourceType: 'dynamodb', resourceName, service: 'dynamodb', action };
  const optimized = OPTIMIZED[`${svc}:${action}`];
  if (optimized) return { kind: 'optimized', pattern, resourceType: svc, resourceName, service: optimized.service, action };
  if (svc.startsWith('aws-sdk:')) {
    const service = svc.slice('aws-sdk:'.length);
    return { kind: 'aws-sdk', pattern, resourceType: svc, resourceName, service, action };
  }
  return { kind: 'unsupported', pattern, resourceType: svc, resourceName };
}

/** Other optimized (non aws-sdk) integrations served through the SDK: resource → SDK service, error prefix. */
const OPTIMIZED: Record<string, { service: string; errorPrefix: string }> = {
  'events:putEvents': { service: 'eventbridge', errorPrefix: 'EventBridge' },
  'sqs:sendMessage': { service: 'sqs', errorPrefix: 'SQS' },
  'states:startExecution': { service: 'sfn', errorPrefix: 'StepFunctions' },
};

/** Step Functions' PascalCase service prefix for aws-sdk integration errors (e.g. DynamoDb.XxxException). */
const SERVICE_PREFIX: Record<string, string> = {
  dynamodb: 'DynamoDb',
  sesv2: 'SesV2',
  ses: 'Ses',
  sqs: 'Sqs',
  eventbridge: 'EventBridge',
  sfn: 'Sfn',
  lambda: 'Lambda',
};

/** SDK v3 package and client class per aws-sdk service name used in Resource ARNs. */
const SDK_MODULES: Record<string, { pkg: string; client: string }> = {
  dynamodb: { pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient' },
  sesv2: { pkg: '@aws-sdk/client-sesv2', client: 'SESv2Client' },
  ses: { pkg: '@aws-sdk/client-ses', client: 'SESClient' },
  sqs: { pkg: '@aws-sdk/client-sqs', client: 'SQSClient' },
  eventbridge: { pkg: '@aws-sdk/client-eventbridge', client: 'EventBridgeClient' },
  sfn: { pkg: '@aws-sdk/client-sfn', client: 'SFNClient' },
};

export interface TaskInvoker {
  invoke(parsed: ParsedResource, resource: string, params: unknown): Promise<unknown>;
}

interface SdkModule {
  [k: string]: unknown;
}

export class DefaultTaskInvoker implements TaskInvoker {
  private clients = new Map<string, { send(cmd: unknown): Promise<Record<string, unknown>> }>();
  private modules = new Map<string, SdkModule>();

  constructor(
    private readonly opts: {
      region: string;
      accountId: string;
      resolveLambda?: (functionArnOrName: string) => LambdaHandler | undefined;
    },
  ) {}

  async invoke(parsed: ParsedResource, resource: string, params: unknown): Promise<unknown> {
    switch (parsed.kind) {
      case 'lambda-function':
        return this.callLambda(resource, params);
      case 'lambda-invoke': {
        const p = (params ?? {}) as Record<string, unknown>;
        const name = p.FunctionName;
        if (typeof name !== 'string')
          throw new StatesError(StatesErrors.Runtime, `lambda:invoke needs a FunctionName string in its parameters`);
        const payload = await this.callLambda(name, p.Payload);
        const requestId = randomUUID();
        // Same shape as the optimized integration returns on AWS.
        return {
          ExecutedVersion: '$LATEST',
          Payload: payload,
          SdkHttpMetadata: {
            AllHttpHeaders: {
              'X-Amz-Executed-Version': ['$LATEST'],
              'x-amzn-Remapped-Content-Length': ['0'],
              Connection: ['keep-alive'],
              'x-amzn-RequestId': [requestId],
              'Content-Type': ['application/json'],
            },
            HttpHeaders: {
              Connection: 'keep-alive',
              'Content-Type': 'application/json',
              'X-Amz-Executed-Version': '$LATEST',
              'x-amzn-Remapped-Content-Length': '0',
              'x-amzn-RequestId': requestId,
            },
            HttpStatusCode: 200,
          },
          SdkResponseMetadata: { RequestId: requestId },
          StatusCode: 200,
        };
      }
      case 'dynamodb':
        return this.callSdk('dynamodb', parsed.action!, params, 'DynamoDB');
      case 'optimized':
        if (parsed.resourceType === 'events') params = eventsParams(params);
        return this.callSdk(parsed.service!, parsed.action!, params, OPTIMIZED[`${parsed.resourceType}:${parsed.action}`].errorPrefix);
      case 'aws-sdk':
        return this.callSdk(parsed.service!, parsed.action!, params, SERVICE_PREFIX[parsed.service!] ?? pascal(parsed.service!));
      default:
        throw new StatesError(StatesErrors.Runtime, `Unsupported Task resource: ${resource}`);
    }
  }

  private async callLambda(functionArnOrName: string, payload: unknown): Promise<unknown> {
    const handler = this.opts.resolveLambda?.(functionArnOrName);
    if (!handler) {
      throw new StatesError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${functionArnOrName} (Service: Lambda, Status Code: 404, Request ID: ${randomUUID()})`,
      );
    }
    // A JSON round trip, as the wire does: handlers can't mutate engine state or return non-JSON.
    const event = payload === undefined ? {} : JSON.parse(JSON.stringify(payload));
    const name = functionArnOrName.includes(':function:') ? functionArnOrName.split(':function:')[1].split(':')[0] : functionArnOrName;
    const context: Record<string, unknown> = {
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArnOrName.startsWith('arn:')
        ? functionArnOrName
        : `arn:aws:lambda:${this.opts.region}:${this.opts.accountId}:function:${name}`,
      memoryLimitInMB: '128',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: remainingTime,
    };
    let out: unknown;
    try {
      out = await handler(event, context);
    } catch (e) {
      throw lambdaError(e);
    }
    if (out === undefined) return null;
    try {
      return JSON.parse(JSON.stringify(out));
    } catch (e) {
      throw new StatesError('Lambda.Unknown', `The function returned a value that is not JSON: ${(e as Error).message}`);
    }
  }

  private async loadModule(service: string): Promise<SdkModule> {
    const spec = SDK_MODULES[service];
    if (!spec)
      throw new StatesError(
        StatesErrors.Runtime,
        `Unsupported aws-sdk service: ${service} (supported: ${Object.keys(SDK_MODULES).join(', ')})`,
      );
    let mod = this.modules.get(service);
    if (!mod) {
      try {
        mod = (await import(spec.pkg)) as SdkModule;
      } catch {
        throw new StatesError(StatesErrors.Runtime, `aws-sdk service ${service} needs the package ${spec.pkg}, which is not installed`);
      }
      this.modules.set(service, mod);
    }
    return mod;
  }

  private async callSdk(service: string, action: string, params: unknown, errorPrefix: string): Promise<unknown> {
    const mod = await this.loadModule(service);
    const commandName = `${action[0].toUpperCase()}${action.slice(1)}Command`;
    const Command = mod[commandName] as (new (input: unknown) => unknown) | undefined;
    if (!Command) throw new StatesError(StatesErrors.Runtime, `Unsupported action ${service}:${action}`);
    let client = this.clients.get(service);
    if (!client) {
      const Client = mod[SDK_MODULES[service].client] as new (cfg: unknown) => { send(cmd: unknown): Promise<Record<string, unknown>> };
      client = new Client({ region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? this.opts.region });
      this.clients.set(service, client);
    }
    let out: Record<string, unknown>;
    try {
      out = await client.send(new Command(params ?? {}));
    } catch (e) {
      const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
      let name = err.name && err.name !== 'Error' ? err.name : 'UnknownError';
      if (!name.endsWith('Exception')) name += 'Exception';
      const status = err.$metadata?.httpStatusCode ?? 400;
      throw new StatesError(
        `${errorPrefix}.${name}`,
        `${err.message ?? name} (Service: ${errorPrefix}, Status Code: ${status}, Request ID: ${err.$metadata?.requestId ?? 'local'})`,
      );
    }
    const { $metadata: _meta, ...rest } = out ?? {};
    return JSON.parse(JSON.stringify(rest, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)));
  }
}

/** Lambda reports a function error as errorType/errorMessage/trace; Step Functions uses errorType as the error name. */
/** events:putEvents takes Detail as JSON in the definition; the EventBridge API wants a string. */
function eventsParams(params: unknown): unknown {
  const p = params as { Entries?: Array<Record<string, unknown>> } | undefined;
  if (!p || !Array.isArray(p.Entries)) return params;
  return {
    ...p,
    Entries: p.Entries.map((e) =>
      e.Detail !== undefined && typeof e.Detail !== 'string' ? { ...e, Detail: JSON.stringify(e.Detail) } : e,
    ),
  };
}

/** Handlers run in process without Lambda's deadline: report the maximum (15 minutes). */
function remainingTime(): number {
  return 900_000;
}

export function lambdaError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const errorType = err.name || 'Error';
  const trace = (err.stack ?? '').split('\n');
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage: err.message, trace }));
}

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
