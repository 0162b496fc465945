/**
 * The base of every complaint-loop Lambda: one handler file, bundled locally with esbuild, on
 * nodejs22.x/arm64, with its own encrypted log group, X-Ray tracing and Powertools settings.
 * Its role starts empty (no AWS managed policy): it may write its own log group and nothing else
 * until a construct grants more, and that construct sets the matching environment variable.
 */

import * as path from 'node:path';
import { type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENTRY_METADATA_KEY } from '../../functions/contract/template';
import { acknowledge, acknowledgeWildcards } from '../acknowledge';
import { dependOnRolePolicyOnly } from '../depends-on';
import { type HandlerName, handlerEntryAbsolute, handlerEntryRelative, REPO_ROOT } from '../paths';

/**
 * How every handler is bundled (bench/cold-start.ts builds with exactly these settings).
 * ESM with the packages' `module` builds, so esbuild drops what a handler never calls, the AWS SDK
 * included. The SDK is bundled: the function runs the client versions the tests ran, and a
 * minified bundle initializes several times faster than the runtime's own copy of the SDK.
 * The source map ships in the asset without `--enable-source-maps`: Node would parse it at every
 * cold start, and a stack trace from the logs maps back offline with the same file (the numbers
 * are in bench/results.md). Text stays UTF-8 instead of \u escapes: the Chinese of the holiday
 * data and the emails takes half the bytes.
 */
export const FUNCTION_BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  charset: Charset.UTF8,
  target: 'node22',
  externalModules: [],
} as const satisfies BundlingOptions;

/** Node options every function starts with (none: see FUNCTION_BUNDLING on source maps). */
export const FUNCTION_NODE_OPTIONS: string | undefined = undefined;

export interface ComplaintFunctionProps {
  /** The handler: `functions/handlers/<handlerName>.ts`, exporting `handler`. */
  readonly handlerName: HandlerName;
  /** Encrypts the function's log group. */
  readonly encryptionKey: kms.IKey;
  /**
   * Memory in MB.
   * @default 512 (MB): Powertools and the SDK start noticeably faster than at 128
   */
  readonly memorySize?: number;
  /**
   * What the function does, shown in the console.
   * @default - none
   */
  readonly description?: string;
  /**
   * How long one invocation may run.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's log group keeps log events.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * POWERTOOLS_METRICS_NAMESPACE.
   * @default 'ComplaintLoop'
   */
  readonly metricsNamespace?: string;
  /**
   * LOG_LEVEL for the Powertools logger.
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Settings that are not tied to a grant (time zone, SLA policy overrides).
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Log group removal policy. Logs are audit material, so they outlive the stack by default.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class ComplaintFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly handlerName: HandlerName;
  readonly grantPrincipal: iam.IPrincipal;
  /** The variables set through this construct (props and addEnvironment), to refuse a conflicting second value. */
  private readonly environment = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ComplaintFunctionProps) {
    super(scope, id);
    this.handlerName = props.handlerName;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `complaint-loop ${props.handlerName} function`,
    });
    // Instead of AWSLambdaBasicExecutionRole (any log group): only this function's own.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntryAbsolute(props.handlerName),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      bundling: { ...FUNCTION_BUNDLING, mainFields: [...FUNCTION_BUNDLING.mainFields], externalModules: [] },
      environment: {
        ...(FUNCTION_NODE_OPTIONS ? { NODE_OPTIONS: FUNCTION_NODE_OPTIONS } : {}),
        // One service; Powertools adds the function name to each log line and trace itself.
        POWERTOOLS_SERVICE_NAME: 'complaint-loop',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'ComplaintLoop',
        LOG_LEVEL: props.logLevel ?? 'INFO',
        // Events and responses can hold a customer's contact details (H-42): never log or trace them.
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        ...props.environment,
      },
    });
    for (const [key, value] of Object.entries(props.environment ?? {})) this.environment.set(key, value);
    this.grantPrincipal = this.function.grantPrincipal;
    dependOnRolePolicyOnly(this.function.node.defaultChild as CfnResource, this.role);
    (this.function.node.defaultChild as CfnResource).addMetadata(ENTRY_METADATA_KEY, handlerEntryRelative(props.handlerName));

    acknowledge(
      this.function,
      'AwsSolutions-L1',
      'nodejs22.x is the runtime the handlers are built (esbuild target node22) and tested for; moving to a newer runtime is a tested change, not an automatic one.',
    );
    acknowledgeWildcards(
      this.role,
      ['Resource::*'],
      'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions (active tracing).',
    );
  }

  /**
   * Sets a variable the function reads at module load; used by the construct that grants the access.
   * Setting a key again with the same value does nothing; with a different value it throws, since
   * two constructs would each believe the function uses their resource.
   */
  addEnvironment(key: string, value: string): this {
    const existing = this.environment.get(key);
    if (existing === value) return this;
    if (existing !== undefined) {
      throw new Error(`${this.node.path}: environment variable ${key} is already set to "${existing}"; refusing to set it to "${value}"`);
    }
    this.environment.set(key, value);
    this.function.addEnvironment(key, value);
    return this;
  }

  /** Records why wildcards in this function's policy are needed (cdk-nag AwsSolutions-IAM5 findings). */
  explainWildcards(reason: string, findings: readonly string[]): void {
    acknowledgeWildcards(this.role, findings, reason);
  }

  get functionArn(): string {
    return this.function.functionArn;
  }
}

/** Sets a variable on the grantee when it is a ComplaintFunction (other grantees are configured by their owner). */
export function setEnvironmentOf(grantee: iam.IGrantable, key: string, value: string): void {
  if (grantee instanceof ComplaintFunction) grantee.addEnvironment(key, value);
}

/** Records why wildcards in the grantee's policy are needed, on its function or on its principal when that is a construct. */
export function explainWildcardsOf(grantee: iam.IGrantable, reason: string, findings: readonly string[]): void {
  if (grantee instanceof ComplaintFunction) grantee.explainWildcards(reason, findings);
  else if (Construct.isConstruct(grantee.grantPrincipal)) acknowledgeWildcards(grantee.grantPrincipal, findings, reason);
}
