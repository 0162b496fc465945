/**
 * `npm run sfn-local -- --port <port> [--host H] [--state-dir DIR] [--time-scale N]`
 *
 * Runs the local engine alone behind its Step Functions HTTP API (no other service), e.g. for
 * `aws stepfunctions list-state-machines --endpoint-url http://127.0.0.1:8083`. Prints one line
 * with the endpoint URL on stdout; SIGINT/SIGTERM close the server, then the engine (which flushes
 * its state directory). With --state-dir the CLI also keeps the virtual time reached there
 * (`sfn-local-clock.json`), so a restart with a --time-scale does not turn the clock back.
 * Lambda tasks have no handlers here (no other service runs): they fail as the engine reports it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ScaledClock } from './clock';
import { Engine } from './engine';
import { startSfnServer } from './http-server';

export interface CliOptions {
  port: number;
  host: string;
  stateDir?: string;
  timeScale: number;
}

/** Step Functions Local's customary port, so existing `--endpoint-url` habits keep working. */
export const DEFAULT_PORT = 8083;

export const USAGE = `usage: sfn-local [--port <0-65535, default ${DEFAULT_PORT}>] [--host <address, default 127.0.0.1>]
                 [--state-dir <directory>] [--time-scale <virtual seconds per real second, default 1>]`;

/** A command line the CLI cannot run with; the message names the flag and what it expects. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'state-dir': { type: 'string' },
        'time-scale': { type: 'string' },
      },
    }));
  } catch (err) {
    // node:util's messages already name the offending option ("Unknown option '--prot'").
    throw new CliUsageError((err as Error).message);
  }

  const portText = values.port as string | undefined;
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) {
      throw new CliUsageError(`--port expects an integer from 0 to 65535 (0 = any free port), got '${portText}'`);
    }
  }

  const scaleText = values['time-scale'] as string | undefined;
  let timeScale = 1;
  if (scaleText !== undefined) {
    timeScale = Number(scaleText);
    if (scaleText.trim() === '' || !Number.isFinite(timeScale) || timeScale <= 0) {
      throw new CliUsageError(
        `--time-scale expects a positive number of virtual seconds per real second (e.g. 3600 = one hour per second), got '${scaleText}'`,
      );
    }
  }

  const host = (values.host as string | undefined) ?? '127.0.0.1';
  if (host.trim() === '') throw new CliUsageError(`--host expects an address to listen on, got ''`);

  const stateDirText = values['state-dir'] as string | undefined;
  if (stateDirText !== undefined && stateDirText.trim() === '') {
    throw new CliUsageError(`--state-dir expects a directory path, got ''`);
  }
  // A path the user typed is meant relative to where they typed it.
  const stateDir = stateDirText === undefined ? undefined : path.resolve(stateDirText);

  return { port, host, stateDir, timeScale };
}

export async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`sfn-local: ${err.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }

  if (options.stateDir !== undefined) fs.mkdirSync(options.stateDir, { recursive: true });
  const clock = new ScaledClock({ scale: options.timeScale, startMs: resumeVirtualTime(options.stateDir) });
  const engine = new Engine({ clock, stateDir: options.stateDir });
  const clockSaver = options.stateDir === undefined ? undefined : startClockSaver(options.stateDir, clock);
  let server;
  try {
    server = await startSfnServer(engine, { port: options.port, host: options.host });
  } catch (err) {
    await engine.close();
    clockSaver?.stop();
    process.stderr.write(`sfn-local: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const listening = server;

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal means "now": skip the orderly shutdown.
      process.stderr.write(`sfn-local: ${signal} again, exiting without flushing\n`);
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`sfn-local: ${signal}, shutting down\n`);
    listening
      .close()
      .then(() => engine.close())
      .then(() => clockSaver?.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`sfn-local: shutdown failed: ${err instanceof Error ? err.stack : String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const detail = [
    `time scale ${options.timeScale}`,
    options.stateDir === undefined ? 'no state dir' : `state dir ${options.stateDir}`,
  ].join(', ');
  process.stdout.write(`sfn-local listening on ${listening.url} (${detail})\n`);
}

/**
 * With --time-scale above 1 the engine's virtual time runs ahead of the wall clock. A restarted
 * engine on the same state directory must not start behind the time it had reached (history
 * timestamps would go backwards and persisted timers would wait out the gap again), so the CLI keeps
 * the virtual time it reached in the state directory and resumes from there: time stands still
 * while the server is down, and runs on from where it stopped.
 */
const CLOCK_FILE = 'sfn-local-clock.json';
const CLOCK_SAVE_INTERVAL_MS = 1000;

function resumeVirtualTime(stateDir: string | undefined): number {
  const wall = Date.now();
  if (stateDir === undefined) return wall;
  let saved: unknown;
  try {
    saved = JSON.parse(fs.readFileSync(path.join(stateDir, CLOCK_FILE), 'utf8'));
  } catch {
    return wall; // first start on this directory, or an unreadable file: wall-clock time is safe
  }
  const virtualMs = (saved as { virtualMs?: unknown } | null)?.virtualMs;
  return typeof virtualMs === 'number' && Number.isFinite(virtualMs) ? Math.max(wall, virtualMs) : wall;
}

function startClockSaver(stateDir: string, clock: ScaledClock): { stop(): void } {
  const file = path.join(stateDir, CLOCK_FILE);
  const save = () => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ virtualMs: clock.now(), savedAtMs: Date.now(), scale: clock.scale }));
    fs.renameSync(tmp, file); // atomic: a crash never leaves half a file
  };
  save();
  // Saved periodically too, so a crash (no shutdown hook) loses at most a second of real time.
  const timer = setInterval(save, CLOCK_SAVE_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      save();
    },
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`sfn-local: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
