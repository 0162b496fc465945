/** Small networking helpers shared by the local services: free ports, readiness polling, server close. */

import type { Server } from 'node:http';
import * as net from 'node:net';

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** True once something accepts TCP connections on host:port. */
function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

export class ServiceStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

/**
 * Poll until host:port accepts connections. `failed` is checked between polls so a child that
 * died is reported at once instead of after the whole timeout.
 */
export async function waitForPort(
  port: number,
  opts: { host?: string; timeoutMs?: number; what: string; failed?: () => string | undefined },
): Promise<void> {
  const host = opts.host ?? '127.0.0.1';
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const failure = opts.failed?.();
    if (failure) throw new ServiceStartError(`${opts.what} did not start: ${failure}`);
    if (await canConnect(port, host)) return;
    if (Date.now() > deadline)
      throw new ServiceStartError(`${opts.what} did not answer on ${host}:${port} within ${opts.timeoutMs ?? 30_000} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Close an HTTP server including its keep-alive connections, so nothing keeps listening. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/** Start `server` listening on host:port (0 = a free port) and answer the port it got. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}
