/**
 * CloudFormation intrinsic functions resolved to local names, so that the synthesized template's
 * environment variables, definition substitutions and ARNs point at the local services.
 */
import { localFunctionArn } from '../lambda-context';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../services/aws-lite';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: unknown }>;
}

/** Local endpoints the template's references are mapped to. */
export interface LocalTargets {
  /** Base URL of the local API server (no trailing slash). */
  apiBaseUrl: string;
  /** Base URL of aws-lite (SQS queue URLs live under it). */
  awsLiteEndpoint: string;
  /** The local identity provider that stands in for the template's Cognito user pool, when it has one. */
  signIn?: LocalSignInTargets;
}

/** What a user pool, its app client and its hosted login resolve to locally. */
export interface LocalSignInTargets {
  userPoolId: string;
  clientId: string;
  /** Base URL of the local hosted login (serves /oauth2/authorize, /oauth2/token, /logout). */
  hostedLoginUrl: string;
  /** The key set the pool's ID tokens verify with (JSON): given to each function configured with the pool. */
  jwks: string;
}

export class TemplateResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateResolveError';
  }
}

/** Stands in for the RestApi id inside execute-api URLs until they are rewritten to the local server. */
export const LOCAL_API_ID = 'local-api';
const PARTITION = 'aws';
const URL_SUFFIX = 'amazonaws.com';

const literal = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The local name of a resource (its physical name when the template fixes one, else its logical id). */
export function localName(template: CfnTemplate, id: string): string {
  const r = template.Resources[id];
  const p = r?.Properties ?? {};
  switch (r?.Type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return literal(p.TableName) ?? id;
    case 'AWS::StepFunctions::StateMachine':
      return literal(p.StateMachineName) ?? id;
    case 'AWS::SQS::Queue':
      return literal(p.QueueName) ?? id;
    case 'AWS::Lambda::Function':
      return literal(p.FunctionName) ?? id;
    case 'AWS::Events::EventBus':
      return literal(p.Name) ?? id;
    case 'AWS::SNS::Topic':
      return literal(p.TopicName) ?? id;
    case 'AWS::Logs::LogGroup':
      return literal(p.LogGroupName) ?? id;
    default:
      return id;
  }
}

const arn = (service: string, rest: string) => `arn:${PARTITION}:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${rest}`;

export class Resolver {
  constructor(
    private readonly template: CfnTemplate,
    private readonly targets: LocalTargets,
  ) {}

  stateMachineArn(id: string): string {
    return arn('states', `stateMachine:${localName(this.template, id)}`);
  }

  queueUrl(id: string): string {
    return `${this.targets.awsLiteEndpoint}/${LOCAL_ACCOUNT_ID}/${localName(this.template, id)}`;
  }

  private pseudo(name: string): string | undefined {
    switch (name) {
      case 'AWS::Region':
        return LOCAL_REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT_ID;
      case 'AWS::Partition':
        return PARTITION;
      case 'AWS::URLSuffix':
        return URL_SUFFIX;
      case 'AWS::StackName':
        return 'complaint-loop-local';
      case 'AWS::StackId':
        return arn('cloudformation', 'stack/complaint-loop-local/local');
      case 'AWS::NoValue':
        return undefined;
      default:
        return undefined;
    }
  }

  ref(id: string): string {
    const p = this.pseudo(id);
    if (p !== undefined || id === 'AWS::NoValue') return p as string;
    const param = this.template.Parameters?.[id];
    if (param) {
      if (param.Default === undefined)
        throw new TemplateResolveError(`Parameter ${id} has no default; the local runtime cannot ask for it`);
      return String(param.Default);
    }
    const r = this.template.Resources[id];
    if (!r) throw new TemplateResolveError(`Ref to unknown resource ${id}`);
    const name = localName(this.template, id);
    switch (r.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
        return r.Type === 'AWS::SNS::Topic' ? arn('sns', name) : this.stateMachineArn(id);
      case 'AWS::SQS::Queue':
        return this.queueUrl(id);
      case 'AWS::ApiGateway::RestApi':
        return LOCAL_API_ID;
      case 'AWS::ApiGateway::Stage':
        return literal(r.Properties?.StageName) ?? id;
      case 'AWS::Cognito::UserPool':
        return this.targets.signIn?.userPoolId ?? name;
      case 'AWS::Cognito::UserPoolClient':
        return this.targets.signIn?.clientId ?? name;
      default:
        return name;
    }
  }

  getAtt(id: string, attr: string): string {
    const r = this.template.Resources[id];
    if (!r) throw new TemplateResolveError(`Fn::GetAtt of unknown resource ${id}`);
    const name = localName(this.template, id);
    const key = `${r.Type}.${attr}`;
    switch (key) {
      case 'AWS::Lambda::Function.Arn':
        return localFunctionArn(name);
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn':
        return arn('dynamodb', `table/${name}`);
      case 'AWS::DynamoDB::Table.StreamArn':
        return arn('dynamodb', `table/${name}/stream/local`);
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', name);
      case 'AWS::SQS::Queue.QueueName':
        return name;
      case 'AWS::SQS::Queue.QueueUrl':
        return this.queueUrl(id);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.stateMachineArn(id);
      case 'AWS::StepFunctions::StateMachine.Name':
        return name;
      case 'AWS::Events::EventBus.Arn':
        return arn('events', `event-bus/${name}`);
      case 'AWS::Events::EventBus.Name':
        return name;
      case 'AWS::SNS::Topic.TopicArn':
        return arn('sns', name);
      case 'AWS::IAM::Role.Arn':
        return `arn:${PARTITION}:iam::${LOCAL_ACCOUNT_ID}:role/${name}`;
      case 'AWS::KMS::Key.Arn':
        return arn('kms', `key/${name}`);
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${name}:*`);
      case 'AWS::ApiGateway::RestApi.RootResourceId':
        return `${id}.root`;
      default:
        return arn('local', `${id}/${attr}`);
    }
  }

  /** Resolve every intrinsic in `value`. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
          return this.getAtt(String(id), String(attr));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).join(sep);
        }
        case 'Fn::Sub':
          return this.sub(arg);
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const l = this.resolve(list) as unknown[];
          return l[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, unknown];
          return String(this.resolve(s)).split(sep);
        }
        case 'Fn::Base64':
          return Buffer.from(String(this.resolve(arg))).toString('base64');
        default:
          if (k.startsWith('Fn::')) throw new TemplateResolveError(`${k} is not supported by the local runtime`);
      }
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(obj[key])]));
  }

  private sub(arg: unknown): string {
    const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_whole, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (vars && name in vars) return String(this.resolve(vars[name]));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attr] = name.split(/\.(.+)/);
        return this.getAtt(id, attr);
      }
      return this.ref(name);
    });
  }

  /**
   * Resolve to a string; execute-api URLs of the template's API become the local API server's URL,
   * and a Cognito hosted login's URL the local hosted login's.
   */
  resolveString(value: unknown): string {
    const s = rewriteApiUrl(String(this.resolve(value)), this.targets.apiBaseUrl);
    return this.targets.signIn ? rewriteHostedLoginUrl(s, this.targets.signIn.hostedLoginUrl) : s;
  }
}

/** `https://<prefix>.auth.<region>.amazoncognito.com/...` → `<local hosted login>/...`. */
export function rewriteHostedLoginUrl(s: string, hostedLoginUrl: string): string {
  return s.replace(/^https:\/\/[^/?#]+\.auth\.[a-z0-9-]+\.amazoncognito\.com(?=\/|$)/, hostedLoginUrl);
}

/** `https://<api>.execute-api.<region>.amazonaws.com/<stage>/rest` → `<local base>/rest`. */
export function rewriteApiUrl(s: string, apiBaseUrl: string): string {
  const prefix = `https://${LOCAL_API_ID}.execute-api.${LOCAL_REGION}.${URL_SUFFIX}/`;
  if (!s.startsWith(prefix)) return s;
  const afterStage = s.slice(prefix.length).replace(/^[^/]*/, '');
  return `${apiBaseUrl}${afterStage}`;
}
