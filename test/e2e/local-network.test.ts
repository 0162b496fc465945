/**
 * The local runtime on a shared machine: every service listens on loopback only (DynamoDB Local
 * included), the API and the engine refuse a Host that is not a loopback name (DNS rebinding),
 * and the engine answers only requests signed with the local credentials.
 */

import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/engine/index';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { fixtureTemplate } from '../support/fixture-template';

const START = Date.UTC(2026, 2, 2, 1, 0, 0);
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    inMemory: true,
    clock: new VirtualClock(START),
    template: fixtureTemplate(),
    log: () => undefined,
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** An address of this machine that is not loopback, if it has one. */
function nonLoopbackAddress(): string | undefined {
  const all = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
  return all.find((a) => a.family === 'IPv4' && !a.internal)?.address;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(2000, () => done(false));
  });
}

/** A raw request with a chosen Host header (fetch does not let a caller set it). */
function requestWithHost(
  url: string,
  host: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: { ...init.headers, host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end(init.body);
  });
}

const servicePorts = () =>
  Object.fromEntries(
    (['api', 'engine', 'dynamodb', 'ses', 'awsLite'] as const).map((name) => [name, Number(new URL(stack.urls[name]).port)]),
  );

describe('local services on a shared machine', { timeout: 120_000 }, () => {
  it('listen on 127.0.0.1 and cannot be reached on a non-loopback address, DynamoDB Local included', async (ctx) => {
    const address = nonLoopbackAddress();
    if (!address) {
      ctx.skip(true, 'this machine has no non-loopback IPv4 address to try the ports on');
      return;
    }
    for (const [name, port] of Object.entries(servicePorts())) {
      expect(await connects('127.0.0.1', port), `${name} on 127.0.0.1:${port}`).toBe(true);
      expect(await connects(address, port), `${name} on ${address}:${port}`).toBe(false);
    }
  });

  it('fails a request to the API or the engine whose Host is not a loopback name (DNS rebinding)', async () => {
    const apiPort = servicePorts().api;
    expect(await requestWithHost(`${stack.urls.api}/things/x`, `rebound.example:${apiPort}`)).toBe(403);
    expect(await requestWithHost(`${stack.urls.api}/`, `localhost:${apiPort}`)).toBe(200);
    const target = { 'x-amz-target': 'AWSStepFunctions.ListStateMachines', 'content-type': 'application/x-amz-json-1.0' };
    expect(await requestWithHost(stack.urls.engine, 'rebound.example', { method: 'POST', headers: target, body: '{}' })).toBe(403);
  });

  it('answers the engine only when signed with the local credentials', async () => {
    const target = { 'x-amz-target': 'AWSStepFunctions.ListStateMachines', 'content-type': 'application/x-amz-json-1.0' };
    const unsigned = await fetch(stack.urls.engine, { method: 'POST', headers: target, body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');

    const client = (secretAccessKey: string) =>
      new SFNClient({
        endpoint: stack.urls.engine,
        region: stack.credentials.region,
        credentials: { accessKeyId: stack.credentials.accessKeyId, secretAccessKey },
      });
    await expect(client('not-the-secret').send(new ListStateMachinesCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    const listed = await client(stack.credentials.secretAccessKey).send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.length).toBe(1);
  });
});
