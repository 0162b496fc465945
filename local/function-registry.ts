/**
 * The template's functions, run in this process. Each function gets its own environment: the
 * template's variables plus the local service endpoints. The registry enters that function's
 * scope (functions/env-scope.ts) for its module load and for every invocation, so the functions'
 * variable lookups and SDK clients see their own values and the process's environment is untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FunctionEnvironment, withFunctionEnvironment } from '../functions/env-scope';
import type { LambdaHandler } from './engine/index';
import { createLambdaContext } from './lambda-context';
import { LOCAL_REGION } from './services/aws-lite';
import { LOCAL_CREDENTIALS } from './services/dynamodb-local';
import type { LocalFunction } from './stack/template';

/** Endpoints the functions' SDK clients use (a fault proxy may stand in front of a service). */
export interface ServiceEndpoints {
  dynamodb: string;
  ses: string;
  engine: string;
  awsLite: string;
}

export class FunctionLoadError extends Error {
  override readonly name = 'FunctionLoadError';
}

/** Variables every local function sees besides the template's: region, credentials, endpoints. */
export function localServiceEnv(urls: ServiceEndpoints): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SFN: urls.engine,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    AWS_ENDPOINT_URL_SES: urls.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.awsLite,
    AWS_ENDPOINT_URL_SQS: urls.awsLite,
  };
}

/** One function's environment as Lambda would set it (NODE_OPTIONS only affects child processes). */
export function functionEnvironment(f: LocalFunction, serviceEnv: Record<string, string>): FunctionEnvironment {
  const { NODE_OPTIONS: _childProcessesOnly, ...own } = f.environment;
  return Object.freeze({ ...own, ...serviceEnv });
}

export class FunctionRegistry {
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();
  private readonly byName = new Map<string, LocalFunction>();
  private readonly environments = new Map<string, FunctionEnvironment>();

  constructor(
    functions: LocalFunction[],
    serviceEnv: Record<string, string>,
    private readonly repoRoot: string,
  ) {
    for (const f of functions) {
      this.byName.set(f.name, f);
      this.byName.set(f.logicalId, f);
      this.environments.set(f.logicalId, functionEnvironment(f, serviceEnv));
    }
  }

  /** Function name, logical id or ARN (`...:function:<name>[:qualifier]`) to its definition. */
  find(nameOrArn: string): LocalFunction | undefined {
    const m = /:function:([^:]+)/.exec(nameOrArn);
    return this.byName.get(m ? m[1] : nameOrArn);
  }

  /** The function's handler, loaded once; every call runs in the function's environment. */
  load(f: LocalFunction): Promise<LambdaHandler> {
    let handler = this.loaded.get(f.logicalId);
    if (!handler) {
      handler = this.importHandler(f);
      this.loaded.set(f.logicalId, handler);
    }
    return handler;
  }

  async invoke(f: LocalFunction, event: unknown): Promise<unknown> {
    return (await this.load(f))(event, {});
  }

  private async importHandler(f: LocalFunction): Promise<LambdaHandler> {
    const environment = this.environments.get(f.logicalId)!;
    const file = path.join(this.repoRoot, f.entry);
    if (!fs.existsSync(file)) throw new FunctionLoadError(`function ${f.logicalId}: handler module ${f.entry} does not exist`);
    // Module-level reads (a handler builds its deps at load) happen inside the function's scope.
    const mod = await withFunctionEnvironment(environment, () => import(pathToFileURL(file).href));
    const handler = exportedHandler(f, mod as HandlerModule);
    const context = () => createLambdaContext(f.name, f.timeoutSeconds, f.memoryMb);
    // The Lambda boundary is JSON both ways: handlers never share objects with the caller.
    return (event: unknown) =>
      withFunctionEnvironment(environment, async () => {
        const result = await handler(JSON.parse(JSON.stringify(event ?? null)), context());
        return result === undefined ? null : JSON.parse(JSON.stringify(result));
      });
  }
}

type HandlerModule = Record<string, unknown> & { default?: Record<string, unknown> };

function exportedHandler(f: LocalFunction, mod: HandlerModule): (event: unknown, context: unknown) => Promise<unknown> {
  const fn = mod[f.handlerExport] ?? mod.default?.[f.handlerExport];
  if (typeof fn !== 'function') throw new FunctionLoadError(`function ${f.logicalId}: ${f.entry} exports no '${f.handlerExport}' function`);
  return fn as (event: unknown, context: unknown) => Promise<unknown>;
}
