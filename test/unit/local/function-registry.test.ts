import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../../functions/adapters/clients';
import { envValue, withFunctionEnvironment } from '../../../functions/env-scope';
import { FunctionRegistry, localServiceEnv } from '../../../local/function-registry';
import type { LocalFunction } from '../../../local/stack/template';

const REPO_ROOT = path.resolve(__dirname, '../../..');

function fn(id: string, greeting: string): LocalFunction {
  return {
    logicalId: `${id}Function`,
    name: `greeting-${id}`,
    entry: `test/unit/local/fixtures/greeting-${id}.ts`,
    handlerExport: 'handler',
    environment: { GREETING: greeting, NODE_OPTIONS: '--enable-source-maps' },
    timeoutSeconds: 3,
    memoryMb: 128,
  };
}

const services = localServiceEnv({
  dynamodb: 'http://127.0.0.1:8000',
  ses: 'http://127.0.0.1:8001',
  engine: 'http://127.0.0.1:8002',
  awsLite: 'http://127.0.0.1:8003',
});

describe('the local runtime gives each function its own environment', () => {
  it('two functions with different values for one variable, invoked concurrently, each see their own', async () => {
    const a = fn('a', 'hello from a');
    const b = fn('b', 'hello from b');
    const registry = new FunctionRegistry([a, b], services, REPO_ROOT);
    const [fromA, fromB] = await Promise.all([registry.invoke(a, {}), registry.invoke(b, {})]);
    expect(fromA).toEqual({
      atLoad: 'hello from a',
      before: 'hello from a',
      after: 'hello from a',
      region: 'us-east-1',
      processGreeting: null,
    });
    expect(fromB).toEqual({
      atLoad: 'hello from b',
      before: 'hello from b',
      after: 'hello from b',
      region: 'us-east-1',
      processGreeting: null,
    });
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBeUndefined();
  });

  it('finds a function by name, logical id or ARN, and leaves NODE_OPTIONS to child processes', () => {
    const a = fn('a', 'x');
    const registry = new FunctionRegistry([a], services, REPO_ROOT);
    expect(registry.find('greeting-a')).toBe(a);
    expect(registry.find('aFunction')).toBe(a);
    expect(registry.find('arn:aws:lambda:us-east-1:000000000000:function:greeting-a:live')).toBe(a);
    expect(registry.find('nope')).toBeUndefined();
  });

  it('fails naming the function when its handler module does not exist', async () => {
    const missing = { ...fn('a', 'x'), logicalId: 'MissingFunction', entry: 'test/unit/local/fixtures/nowhere.ts' };
    await expect(new FunctionRegistry([missing], services, REPO_ROOT).invoke(missing, {})).rejects.toThrow(
      'function MissingFunction: handler module test/unit/local/fixtures/nowhere.ts does not exist',
    );
  });
});

describe('SDK clients in the local runtime', () => {
  it("are one set per function, configured from that function's own endpoints", async () => {
    const a = Object.freeze({ ...services });
    const b = Object.freeze({ ...services, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9000' });
    const [clientA, againA, clientB] = [a, a, b].map((env) => withFunctionEnvironment(env, () => dynamo()));
    expect(againA).toBe(clientA);
    expect(clientB).not.toBe(clientA);
    expect((await clientA.config.endpoint?.())?.port).toBe(8000);
    expect((await clientB.config.endpoint?.())?.port).toBe(9000);
  });
});

describe('envValue', () => {
  it('reads the scope the runtime entered, and the process environment outside any scope', async () => {
    process.env.ENV_SCOPE_PROBE = 'process';
    try {
      expect(envValue('ENV_SCOPE_PROBE')).toBe('process');
      const scoped = withFunctionEnvironment({ OTHER: 'x' }, async () => {
        await Promise.resolve();
        return [envValue('ENV_SCOPE_PROBE'), envValue('OTHER')];
      });
      expect(await scoped).toEqual([undefined, 'x']);
    } finally {
      delete process.env.ENV_SCOPE_PROBE;
    }
  });
});
