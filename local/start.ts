/**
 * `npm start`: the whole complaint loop on this machine (see local-stack.ts). Prints every URL and
 * the credentials once ready. SIGINT, SIGTERM or SIGHUP sent to this process (or to npm, which
 * forwards them: the start script execs Node, no shell in between) stops every server and child
 * process within STOP_DEADLINE_MS. If the parent dies without a signal, this process notices that
 * it was re-parented and stops too.
 */
import { FlagError, parseStartFlags, USAGE } from './cli-flags';
import { ClockStateError } from './clock-state';
import { type LocalStack, startLocalStack, useLocalPowertoolsDefaults } from './local-stack';
import { JavaMissingError } from './services/dynamodb-local';

/** The line tests wait for: everything is up once it is printed. */
export const READY_LINE = 'complaint-loop is running locally';

/** A stop that takes longer is cut short: the process exits, and its exit handler kills the JVM. */
const STOP_DEADLINE_MS = 4_000;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function banner(stack: LocalStack, timeScale: number, inMemory: boolean, sandbox: boolean): string {
  const u = stack.urls;
  const c = stack.credentials;
  const lines = [
    '',
    `${READY_LINE} (time scale ${timeScale}: ${timeScale === 1 ? 'real time' : `${timeScale} virtual seconds per real second`})`,
    '',
    `  API (REST, API Gateway format)   ${u.api}/`,
    `    POST /complaints etc. need AWS SigV4 (service execute-api, region ${c.region}), e.g.`,
    `    curl --aws-sigv4 "aws:amz:${c.region}:execute-api" --user ${c.accessKeyId}:${c.secretAccessKey} ...`,
    ...consoleLines(stack),
    `  Emails (local SES)               ${u.emails}   (JSON: ${u.emailsJson})${sandbox ? '  sandbox: unverified recipients are refused' : ''}`,
    `  EventBridge events               ${u.events}`,
    `  SQS queues (dead letters)        ${u.queues}`,
    `  Step Functions engine            ${u.engine}   (aws stepfunctions --endpoint-url ${u.engine} ...)`,
    `  DynamoDB Local                   ${u.dynamodb}   (aws dynamodb --endpoint-url ${u.dynamodb} ...)`,
    `  State machine                    ${stack.stateMachineArn}`,
    `  Loop clock                       ${loopClockLine(stack, timeScale, inMemory)}`,
    '',
    `  Credentials: AWS_ACCESS_KEY_ID=${c.accessKeyId} AWS_SECRET_ACCESS_KEY=${c.secretAccessKey} AWS_REGION=${c.region} AWS_DEFAULT_REGION=${c.region}`,
    `  Data: ${inMemory ? 'in memory (--in-memory): gone when this stops' : stack.dataDir}`,
    ...nodeVersionNote(),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  return lines.join('\n');
}

/** An example supervisor for the second login link: one team's complaints only. */
const EXAMPLE_SUPERVISOR = { email: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] };

/** The console and its one-time login links (each signs one browser in through the stack's own sign-in). */
function consoleLines(stack: LocalStack): string[] {
  const console = `${stack.urls.api}/${stack.app.stage}/console`;
  if (!stack.app.signInClient) return [`  Console (SigV4, IAM)             ${console}`];
  return [
    `  Console                          ${console}   (sign-in as on AWS; the local hosted login takes one-time links)`,
    `    as a manager (all teams)       ${stack.browserLoginUrl('/console')}`,
    `    as a supervisor (one team)     ${stack.browserLoginUrl('/console', EXAMPLE_SUPERVISOR)}`,
    '    each link works once; change as=<email>&groups=<group,...> to sign in as someone else',
  ];
}

/** Node 22 is what Lambda runs and what AWS SDK releases after early January 2027 require. */
const RECOMMENDED_NODE_MAJOR = 22;

function nodeVersionNote(): string[] {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= RECOMMENDED_NODE_MAJOR) return [];
  return [
    `  Node ${process.version}: fine with the pinned AWS SDK; SDK releases after early January 2027 need Node ${RECOMMENDED_NODE_MAJOR} (see the README)`,
  ];
}

function loopClockLine(stack: LocalStack, timeScale: number, inMemory: boolean): string {
  const { origin, startedAt } = stack.loopClock;
  if (origin === 'wall clock' && timeScale === 1) return `the wall clock (${startedAt})`;
  const notes: Record<typeof origin, string> = {
    'wall clock': 'from the wall clock',
    'start-at': 'set by --start-at',
    'continued from the data dir': 'continued from the data dir',
    injected: 'given by the caller',
  };
  const from = `${startedAt}, ${notes[origin]}`;
  if (inMemory) return from;
  if (timeScale === 1) return `${from} (this run only: a restart at time scale 1 uses the wall clock)`;
  return `${from}; kept in the data dir and continued by a restart with --time-scale ${timeScale}`;
}

async function main(): Promise<void> {
  // The SDK's NodeVersionSupportWarning is about SDK releases after early January 2027; the versions
  // this project pins support Node 20, so the banner's one line replaces the multi-line warning.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  useLocalPowertoolsDefaults();
  let flags;
  try {
    flags = parseStartFlags(process.argv.slice(2));
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`npm start: ${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const lifecycle = new Lifecycle();
  lifecycle.watch();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      port: flags.port,
      timeScale: flags.timeScale,
      dataDir: flags.dataDir,
      fresh: flags.fresh,
      inMemory: flags.inMemory,
      ...(flags.sesSandbox ? { sesSandbox: { verify: flags.sesVerify } } : {}),
      startAt: flags.startAt,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof JavaMissingError || err instanceof ClockStateError) process.stderr.write(`npm start: ${e.message}\n`);
    else if (e.code === 'EADDRINUSE')
      process.stderr.write(`npm start: a port is already in use (${e.message}); choose another with --port\n`);
    else process.stderr.write(`npm start: could not start: ${e.stack ?? String(err)}\n`);
    process.exit(1);
  }
  lifecycle.ready(stack);
  process.stdout.write(`${banner(stack, flags.timeScale, flags.inMemory, flags.sesSandbox)}\n`);
}

/**
 * Stops the stack once, whatever asks first: a signal, or the parent process going away. A request
 * that comes while the stack is still starting exits at once (the exit handler kills the JVM).
 */
class Lifecycle {
  private stack: LocalStack | undefined;
  private stopping = false;
  private readonly parentPid = process.ppid;

  watch(): void {
    for (const signal of STOP_SIGNALS) process.on(signal, () => this.stop(signal));
    // A parent or terminal that went away may take stdout with it: a failed write must not cut the
    // stop short (the stores flush on stop).
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    const watchdog = setInterval(() => {
      if (process.ppid !== this.parentPid) this.stop(`parent process ${this.parentPid} exited`);
    }, 500);
    watchdog.unref();
  }

  ready(stack: LocalStack): void {
    this.stack = stack;
  }

  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    process.stdout.write(`\n${reason}: stopping...\n`);
    setTimeout(() => {
      process.stderr.write(`npm start: not stopped after ${STOP_DEADLINE_MS} ms: exiting anyway\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    if (this.stack) this.stopStack();
    else process.exit(1);
  }

  private stopStack(): void {
    this.stack!.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`npm start: stop failed: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  }
}

void main();
