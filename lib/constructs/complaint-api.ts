/**
 * The HTTP face of complaint-loop: a REST API (API Gateway v1, Lambda proxy integrations) for
 * upstream systems, signed with AWS IAM (SigV4), plus the customer's survey page and the
 * escalation-acknowledgement page, whose single-use token in the URL is the credential.
 * Also the dead-letter queue for intake and callbacks that could not reach the workflow.
 */
import { Aws, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { DEAD_LETTER_QUEUE_URL, PUBLIC_BASE_URL } from '../../functions/contract/environment';
import { apiGatewayRequestModels } from '../../functions/contract/openapi';
import { acknowledge } from '../acknowledge';
import { API_HANDLERS, type ApiHandlerName, constructIdOf } from '../paths';
import { TABLE_ACCESS } from '../table-access';
import type { ComplaintAlarms } from './complaint-alarms';
import type { ComplaintData } from './complaint-data';
import { ComplaintFunction, explainWildcardsOf, setEnvironmentOf } from './complaint-function';
import { ComplaintSignIn, type ComplaintSignInProps } from './complaint-sign-in';
import type { ComplaintWorkflow } from './complaint-workflow';
import type { SharedFunctionProps } from './shared-function-props';

const DESCRIPTIONS: Record<ApiHandlerName, string> = {
  intake: 'POST /complaints: a new complaint (idempotent on the request id)',
  'complaint-events':
    'POST /complaints/{id}/events: lifecycle events; GET /complaints/{id}/links/{kind}: a customer link for an SMS gateway',
  'get-complaint': 'GET /complaints/{id}: status, clocks and history',
  survey: 'GET|POST /survey/{token}: the customer satisfaction survey (H-33)',
  'escalation-ack': 'GET|POST /ack/{token}: acknowledging an escalation',
  console: 'GET /console[/complaints/{id}|/quality|/workflow], POST /console/complaints/{id}/acknowledge: the complaint console',
};

export interface ComplaintApiProps {
  /** The complaint table: each API function gets exactly its TABLE_ACCESS. */
  readonly data: ComplaintData;
  /** The workflow intake starts and callbacks answer. */
  readonly workflow: ComplaintWorkflow;
  /** Where the dead-letter alarm goes. */
  readonly alarms: ComplaintAlarms;
  /** Key, log retention and settings every function shares. */
  readonly functionProps: SharedFunctionProps;
  /**
   * The stage name: the first path segment of every URL.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * Stage-wide steady-state requests per second.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Stage-wide burst of requests above the steady rate.
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Requests one source IP may make in 5 minutes before WAF blocks it.
   * @default 1000
   */
  readonly wafRateLimit?: number;
  /**
   * Create the account-wide role API Gateway uses to write logs. Set false when the account
   * already has one configured (it is one setting per account and region).
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * Sign-in for the console (supervisors, management, operations): an Amazon Cognito user pool with
   * its hosted login; the console's routes are then authorized from the signed-in session and each
   * person sees their own teams. `domainPrefix` defaults to `<stack name>-<account>`.
   * @default - no user pool: the console is behind IAM (SigV4) like /complaints, and an IAM caller sees every team
   */
  readonly signIn?: Partial<Pick<ComplaintSignInProps, 'domainPrefix' | 'identityProviders'>>;
}

/**
 * The access log line. resourcePath (/survey/{token}), never path: a token in a log would be a
 * usable credential.
 */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTimeEpoch: '$context.requestTimeEpoch',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  sourceIp: '$context.identity.sourceIp',
  caller: '$context.identity.userArn',
  wafStatus: '$context.waf.status',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  error: '$context.error.message',
};

/** The pages opened from an email link, by path segment: the token in the path is the credential. */
const LINK_PAGES = [
  ['survey', 'survey'],
  ['ack', 'escalation-ack'],
] as const;

/** A required path parameter, for the request validator. */
const pathParam = (param: string) => ({ [`method.request.path.${param}`]: true });

export class ComplaintApi extends Construct {
  readonly api: apigw.RestApi;
  readonly functions: Readonly<Record<ApiHandlerName, ComplaintFunction>>;
  readonly deadLetterQueue: sqs.Queue;
  readonly accessLogs: logs.LogGroup;
  /** API Gateway's execution log group, created here so it has the key and the retention. */
  readonly executionLogs: logs.LogGroup;
  readonly webAcl: wafv2.CfnWebACL;
  /**
   * Base of the links in emails (no trailing slash). Built from the API id and the stage name
   * rather than `api.url`, which references the stage and would make a dependency cycle
   * (stage → methods → intake → state machine → notify → stage).
   */
  readonly publicBaseUrl: string;
  /** The first path segment of every URL. */
  readonly stageName: string;
  /** The user pool people sign in to for the console (when the stack has one). */
  readonly signIn?: ComplaintSignIn;
  /** Verifies the console session on every console request (with `signIn`). */
  readonly consoleAuthorizer?: ComplaintFunction;
  /** Serves the sign-in routes (with `signIn`). */
  signInFunction?: ComplaintFunction;

  constructor(scope: Construct, id: string, props: ComplaintApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'v1';
    this.stageName = stageName;
    this.deadLetterQueue = this.createDeadLetterQueue(props.functionProps, props.alarms);
    this.functions = this.createFunctions(props.functionProps);
    this.grantFunctions(props.data, props.workflow);
    this.accessLogs = this.encryptedLogGroup('AccessLogs', props.functionProps);
    this.api = this.createRestApi(props, stageName);
    this.executionLogs = this.createExecutionLogs(props, stageName);
    this.publicBaseUrl = `https://${this.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${stageName}`;
    if (props.signIn) ({ signIn: this.signIn, authorizer: this.consoleAuthorizer } = this.createSignIn(props.signIn, props.functionProps));
    this.addRoutes();
    this.validateBodiesAtTheEdge();
    this.webAcl = this.createWebAcl(props.wafRateLimit ?? 1000);
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    this.excludeLinkPagesFromTraces();
  }

  /** The user pool, the sign-in routes' function settings, and the console's session authorizer. */
  private createSignIn(
    settings: NonNullable<ComplaintApiProps['signIn']>,
    functionProps: SharedFunctionProps,
  ): { signIn: ComplaintSignIn; authorizer: ComplaintFunction } {
    const signIn = new ComplaintSignIn(this, 'SignIn', {
      // Unique per account and region; a prefix may not contain "aws", "amazon" or "cognito".
      domainPrefix:
        settings.domainPrefix ??
        `${Stack.of(this)
          .stackName.toLowerCase()
          .replace(/[^a-z0-9-]/g, '-')}-${Aws.ACCOUNT_ID}`,
      consoleBaseUrl: this.publicBaseUrl,
      identityProviders: settings.identityProviders,
    });
    this.signInFunction = new ComplaintFunction(this, constructIdOf('console-sign-in'), {
      ...functionProps,
      handlerName: 'console-sign-in',
      description: 'GET /console/sign-in|callback|sign-out|signed-out: people sign in with the user pool (code flow with PKCE)',
      timeout: Duration.seconds(25),
    });
    signIn.configureSignIn(this.signInFunction);
    this.linkPublicPages(this.signInFunction);
    const authorizer = new ComplaintFunction(this, constructIdOf('console-authorizer'), {
      ...functionProps,
      handlerName: 'console-authorizer',
      description: 'API Gateway authorizer of the console: verifies the session cookie (the user pool ID token)',
      timeout: Duration.seconds(10),
    });
    signIn.configureVerifier(authorizer);
    return { signIn, authorizer };
  }

  /** For functions that put survey/ack links in emails; sets PUBLIC_BASE_URL (the pages need no grant). */
  linkPublicPages(fn: ComplaintFunction): void {
    fn.addEnvironment(PUBLIC_BASE_URL.name, this.publicBaseUrl);
  }

  /** Write to the dead-letter queue. On a ComplaintFunction it sets DEAD_LETTER_QUEUE_URL. */
  grantDeadLetters(grantee: iam.IGrantable): iam.Grant {
    const grant = this.deadLetterQueue.grantSendMessages(grantee);
    setEnvironmentOf(grantee, DEAD_LETTER_QUEUE_URL.name, this.deadLetterQueue.queueUrl);
    explainWildcardsOf(grantee, 'SQS with a customer-managed key needs kms:GenerateDataKey* on that key (scoped to it) to send.', [
      'Action::kms:GenerateDataKey*',
    ]);
    return grant;
  }

  /** Intake and callbacks that could not reach the workflow land here, and raise the alarm. */
  private createDeadLetterQueue(functionProps: SharedFunctionProps, alarms: ComplaintAlarms): sqs.Queue {
    const queue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: functionProps.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      queue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue: intake and callbacks that could not reach the workflow are written here, alarmed on and redriven by operators.',
    );
    alarms.alarmOnAny(
      this,
      'DeadLettersAlarm',
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'A complaint intake or callback is in the dead-letter queue: the complaint is recorded but its workflow did not hear of it.',
    );
    return queue;
  }

  private createFunctions(functionProps: SharedFunctionProps): Record<ApiHandlerName, ComplaintFunction> {
    return Object.fromEntries(
      API_HANDLERS.map((name) => [
        name,
        new ComplaintFunction(this, constructIdOf(name), {
          ...functionProps,
          handlerName: name,
          description: DESCRIPTIONS[name],
          // API Gateway gives up at 29 s; the function must answer (or fail) before.
          timeout: Duration.seconds(25),
        }),
      ]),
    ) as Record<ApiHandlerName, ComplaintFunction>;
  }

  /** Each function's table access, and the workflow and queue access of those that need them. */
  private grantFunctions(data: ComplaintData, workflow: ComplaintWorkflow): void {
    const functions = this.functions;
    for (const name of API_HANDLERS) data.grantAccess(functions[name], TABLE_ACCESS[name]);
    workflow.grantStartExecution(functions.intake);
    this.grantDeadLetters(functions.intake);
    workflow.grantTaskResponse(functions['complaint-events']);
    this.grantDeadLetters(functions['complaint-events']);
    workflow.grantTaskSuccess(functions.survey);
  }

  private encryptedLogGroup(id: string, functionProps: SharedFunctionProps, logGroupName?: string): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      logGroupName,
      encryptionKey: functionProps.encryptionKey,
      retention: functionProps.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: functionProps.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  private createRestApi(props: ComplaintApiProps, stageName: string): apigw.RestApi {
    return new apigw.RestApi(this, 'Api', {
      restApiName: `${Stack.of(this).stackName}-complaints`,
      description: 'complaint-loop: complaints from upstream systems (IAM), survey and acknowledgement pages',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      cloudWatchRole: props.cloudWatchRole ?? true,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        // ERROR, not INFO, and no data trace: INFO lines carry request paths (survey/ack tokens)
        // and data trace would log bodies with customers' contact details (H-42).
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
  }

  /**
   * API Gateway writes execution logs to this fixed name and creates the group itself when it is
   * missing (no key, kept forever); created first here, it is encrypted and expires.
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
   */
  private createExecutionLogs(props: ComplaintApiProps, stageName: string): logs.LogGroup {
    const group = this.encryptedLogGroup(
      'ExecutionLogs',
      props.functionProps,
      `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`,
    );
    this.api.deploymentStage.node.addDependency(group);
    if (props.cloudWatchRole ?? true) {
      acknowledge(
        this.api,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        "API Gateway's account-level logging role uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy, as AWS documents for access and execution logging.",
      );
    }
    return group;
  }

  /**
   * The routes: /complaints and /console behind IAM (SigV4), the link pages behind their token.
   * Parameters are checked here, and JSON bodies against models generated from the handlers' zod
   * schemas (validateBodiesAtTheEdge); the handlers check the rest and name each failing field.
   */
  private addRoutes(): void {
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'parameters-and-body',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const iamAuth = { authorizationType: apigw.AuthorizationType.IAM, requestValidator: validator };
    this.addComplaintRoutes(iamAuth);
    const signInMethods = this.addConsoleRoutes(validator, iamAuth);
    const linkPageMethods = this.addLinkPageRoutes(validator);
    this.acknowledgeAuthorization(linkPageMethods, signInMethods);
  }

  private integrate(name: ApiHandlerName): apigw.LambdaIntegration {
    return new apigw.LambdaIntegration(this.functions[name].function, { proxy: true, allowTestInvoke: false });
  }

  private addComplaintRoutes(iamAuth: apigw.MethodOptions): void {
    const complaints = this.api.root.addResource('complaints');
    complaints.addMethod('POST', this.integrate('intake'), iamAuth);
    const complaint = complaints.addResource('{id}');
    complaint.addMethod('GET', this.integrate('get-complaint'), { ...iamAuth, requestParameters: pathParam('id') });
    complaint
      .addResource('events')
      .addMethod('POST', this.integrate('complaint-events'), { ...iamAuth, requestParameters: pathParam('id') });
    // 12.8: an SMS gateway asks for a customer's link here (events carry only the link kind).
    complaint
      .addResource('links')
      .addResource('{kind}')
      .addMethod('GET', this.integrate('complaint-events'), {
        ...iamAuth,
        requestParameters: { ...pathParam('id'), ...pathParam('kind') },
      });
  }

  /**
   * The console: pages for people, behind the session authorizer (the user pool's ID token in an
   * HttpOnly cookie); the sign-in routes themselves are open. A request without a valid session is
   * sent to the sign-in instead of a bare 401.
   */
  private addConsoleRoutes(validator: apigw.IRequestValidator, iamAuth: apigw.MethodOptions): apigw.Method[] {
    const session = this.consoleAuthorizer ? this.sessionAuth(this.consoleAuthorizer, validator) : iamAuth;
    const consoleRoot = this.api.root.addResource('console');
    consoleRoot.addMethod('GET', this.integrate('console'), session);
    consoleRoot.addResource('quality').addMethod('GET', this.integrate('console'), session);
    consoleRoot.addResource('workflow').addMethod('GET', this.integrate('console'), session);
    const complaint = consoleRoot.addResource('complaints').addResource('{id}');
    complaint.addMethod('GET', this.integrate('console'), { ...session, requestParameters: pathParam('id') });
    complaint.addResource('acknowledge').addMethod('POST', this.integrate('console'), { ...session, requestParameters: pathParam('id') });
    return this.signInFunction ? this.addSignInRoutes(consoleRoot, this.signInFunction, validator) : [];
  }

  private sessionAuth(authorizerFunction: ComplaintFunction, validator: apigw.IRequestValidator): apigw.MethodOptions {
    const authorizer = new apigw.RequestAuthorizer(this, 'ConsoleSession', {
      handler: authorizerFunction.function,
      identitySources: [apigw.IdentitySource.header('Cookie')],
      // The decision covers every console route (its policy names them all), so one sign-in serves the visit.
      resultsCacheTtl: Duration.minutes(5),
    });
    return { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer, requestValidator: validator };
  }

  private addSignInRoutes(consoleRoot: apigw.Resource, fn: ComplaintFunction, validator: apigw.IRequestValidator): apigw.Method[] {
    const integration = new apigw.LambdaIntegration(fn.function, { proxy: true, allowTestInvoke: false });
    const open = { authorizationType: apigw.AuthorizationType.NONE, requestValidator: validator };
    const signInMethods = ['sign-in', 'callback', 'sign-out', 'signed-out'].map((segment) =>
      consoleRoot.addResource(segment).addMethod('GET', integration, open),
    );
    this.api.addGatewayResponse('ConsoleSignIn', {
      type: apigw.ResponseType.UNAUTHORIZED,
      statusCode: '302',
      responseHeaders: { Location: `'/${this.stageName}/console/sign-in'`, 'Cache-Control': "'no-store'" },
    });
    return signInMethods;
  }

  private addLinkPageRoutes(validator: apigw.IRequestValidator): apigw.Method[] {
    const methods: apigw.Method[] = [];
    for (const [segment, handler] of LINK_PAGES) {
      const page = this.api.root.addResource(segment).addResource('{token}');
      for (const verb of ['GET', 'POST']) {
        methods.push(
          page.addMethod(verb, this.integrate(handler), {
            authorizationType: apigw.AuthorizationType.NONE,
            requestValidator: validator,
            requestParameters: pathParam('token'),
          }),
        );
      }
    }
    return methods;
  }

  /** Why some routes have no authorizer and none a Cognito user pool authorizer (cdk-nag APIG4, COG4). */
  private acknowledgeAuthorization(linkPageMethods: readonly apigw.Method[], signInMethods: readonly apigw.Method[]): void {
    for (const method of signInMethods) {
      acknowledge(
        method,
        'AwsSolutions-APIG4',
        "The sign-in routes are how a person gets a session: they redirect to the user pool's hosted login and back.",
      );
      acknowledge(
        method,
        'AwsSolutions-COG4',
        'The sign-in routes precede any token: they run the authorization-code flow with PKCE against the user pool.',
      );
    }
    for (const method of this.api.methods.filter((m) => m.resource.path.startsWith('/console') && !signInMethods.includes(m))) {
      acknowledge(
        method,
        'AwsSolutions-COG4',
        "A REQUEST authorizer verifies the user pool's ID token (aws-jwt-verify) from an HttpOnly session cookie: the console is script-free pages, and the Cognito authorizer reads tokens from a header only.",
      );
    }
    for (const method of linkPageMethods) {
      acknowledge(
        method,
        'AwsSolutions-APIG4',
        'Customer and supervisor pages opened from an email: the single-use, expiring 256-bit token in the path is the credential (stored only as a SHA-256 hash); WAF rate-limits guessing.',
      );
      acknowledge(method, 'AwsSolutions-COG4', 'No user pool: the single-use link token is the credential (see APIG4).');
    }
    for (const method of this.api.methods.filter((m) => m.resource.path.startsWith('/complaints'))) {
      acknowledge(
        method,
        'AwsSolutions-COG4',
        'Upstream systems are AWS principals and sign requests with SigV4 (AuthorizationType AWS_IAM); there are no end users to put in a Cognito user pool.',
      );
    }
  }

  /**
   * JSON bodies are checked at the edge (400 before any function runs) against request models
   * generated from the zod schemas the handlers parse with (functions/contract/openapi.ts says what
   * draft-04 keeps of them). API Gateway checks a body only when its Content-Type has a model:
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
   */
  private validateBodiesAtTheEdge(): void {
    for (const { name, method: verb, path, schema } of apiGatewayRequestModels()) {
      const method = this.api.methods.find((m) => m.httpMethod === verb && m.resource.path === path);
      if (!method) throw new Error(`The ${name} request model is for ${verb} ${path}, which the API does not have`);
      const model = this.api.addModel(`${name}Model`, {
        modelName: name,
        contentType: 'application/json',
        description: `${verb} ${path} body (generated from the handler's zod schema)`,
        schema: schema as apigw.JsonSchema,
      });
      (method.node.defaultChild as apigw.CfnMethod).requestModels = { 'application/json': model.modelId };
      // A changed model or attachment must make a new deployment, or the stage keeps the old one.
      this.api.latestDeployment?.addToLogicalId({ requestModel: { verb, path, name, schema } });
    }
  }

  /**
   * The stage's trace segment records the request URL, and a survey or ack URL holds its token:
   * X-Ray never samples those two routes (rate 0, no reservoir, ahead of the default rule). The
   * functions behind them follow API Gateway's decision, so they are not traced either.
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-configuring-xray-sampling-rules.html
   */
  private excludeLinkPagesFromTraces(): void {
    for (const [priority, segment] of [
      [10, 'survey'],
      [11, 'ack'],
    ] as const) {
      new xray.CfnSamplingRule(this, `NoTraces${segment === 'survey' ? 'Survey' : 'Ack'}`, {
        samplingRule: {
          // Rule names are unique per account and at most 32 characters.
          ruleName: `${Names.uniqueResourceName(this, { maxLength: 24 })}-${segment}`,
          priority,
          fixedRate: 0,
          reservoirSize: 0,
          serviceName: '*',
          serviceType: 'AWS::ApiGateway::Stage',
          resourceArn: this.api.deploymentStage.stageArn,
          host: '*',
          httpMethod: '*',
          urlPath: `*/${segment}/*`,
          version: 1,
        },
      });
    }
  }

  private createWebAcl(rateLimit: number): wafv2.CfnWebACL {
    // No sampled requests: a sample keeps the request URI, and a survey or ack URI holds a usable
    // token. Metrics still count every rule. (WAF logging, if a carrier adds it, must redact the
    // URI path: RedactedFields [{ UriPath: {} }].)
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: false,
      metricName,
    });
    const managed = (name: string, priority: number, overrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[]) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides: overrides } },
      visibilityConfig: visibility(name),
    });
    return new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('complaint-loop-api'),
      rules: [
        {
          name: 'rate-limit-per-ip',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-limit-per-ip'),
        },
        // The common rule set blocks bodies over 8 KB; a Chinese description of 4,000 characters is
        // ~12 KB in UTF-8, so that one rule only counts: the handlers enforce their own 64 KiB limit.
        managed('AWSManagedRulesCommonRuleSet', 1, [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });
  }
}
