/** Flags of `npm start`, parsed strictly: a wrong flag names itself and what was expected. */

export interface StartFlags {
  port: number;
  timeScale: number;
  dataDir?: string;
  fresh: boolean;
  inMemory: boolean;
  /** Local SES rejects recipients that are not verified, as SES does in a new account. */
  sesSandbox: boolean;
  /** Verified in sandbox mode besides the staff contacts (addresses or domains). */
  sesVerify: string[];
  /** Epoch ms: begin a fresh virtual run at this instant. */
  startAt?: number;
  help: boolean;
}

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

export const USAGE = `Usage: npm start -- [--port N] [--time-scale N] [--data-dir DIR] [--fresh] [--in-memory]
                         [--ses-sandbox [--ses-verify a@b,example.org]]
                      [--start-at ISO-TIME]

  --port N          API port (default 3000); the engine, DynamoDB Local, local SES and the
                    EventBridge/SQS endpoint use the next four ports. 0 = free ports.
  --time-scale N    virtual seconds per real second (default 1; e.g. 3600: an hour per second).
                    At 1 the loop's clock is the wall clock; a scaled run keeps its own clock
                    in the data dir and continues it when restarted with a time scale
  --start-at T      begin a fresh run with the loop's clock at T, an ISO 8601 time with its
                    offset (e.g. 2026-09-30T16:00:00+08:00); needs an empty data dir (or --fresh)
  --data-dir DIR    where complaints, executions and timers persist (default .local-data/)
  --fresh           start empty (wipes the data dir)
  --in-memory       keep nothing on disk (faster; everything is gone when it stops)
  --ses-sandbox     local SES acts as SES in a new account: mail to an address that is not
                    verified (the staff contacts are) is refused with MessageRejected
  --ses-verify LIST more verified addresses or domains, comma-separated (with --ses-sandbox)
  --help            this text`;

export function parseStartFlags(argv: string[]): StartFlags {
  const flags: StartFlags = { port: 3000, timeScale: 1, fresh: false, inMemory: false, sesSandbox: false, sesVerify: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new FlagError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535 || (n !== 0 && n > 65531)) {
          throw new FlagError(`--port expects an integer from 0 to 65531 (the next four ports are used too), got '${v}'`);
        }
        flags.port = n;
        break;
      }
      case '--time-scale': {
        const v = value();
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0))
          throw new FlagError(`--time-scale expects a positive number (virtual seconds per real second), got '${v}'`);
        flags.timeScale = n;
        break;
      }
      case '--data-dir': {
        const v = value();
        if (!v.trim()) throw new FlagError('--data-dir expects a directory path');
        flags.dataDir = v;
        break;
      }
      case '--start-at': {
        const v = value();
        flags.startAt = parseInstant(v);
        break;
      }
      case '--fresh':
        if (inline !== undefined) throw new FlagError('--fresh takes no value');
        flags.fresh = true;
        break;
      case '--in-memory':
        if (inline !== undefined) throw new FlagError('--in-memory takes no value');
        flags.inMemory = true;
        break;
      case '--ses-sandbox':
        if (inline !== undefined) throw new FlagError('--ses-sandbox takes no value');
        flags.sesSandbox = true;
        break;
      case '--ses-verify': {
        const list = value()
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
        const bad = list.find((v) => !/^([^\s@,]+@)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(v));
        if (list.length === 0 || bad !== undefined)
          throw new FlagError(`--ses-verify expects email addresses or domains separated by commas, got '${bad ?? ''}'`);
        flags.sesVerify.push(...list);
        break;
      }
      case '--help':
      case '-h':
        flags.help = true;
        break;
      default:
        throw new FlagError(`unknown flag '${arg}'`);
    }
  }
  if (flags.inMemory && (flags.dataDir !== undefined || flags.fresh))
    throw new FlagError('--in-memory keeps nothing on disk: drop --data-dir and --fresh');
  if (flags.sesVerify.length > 0 && !flags.sesSandbox) throw new FlagError('--ses-verify only applies with --ses-sandbox');
  return flags;
}

/** An ISO 8601 date-time with its offset (Z or ±hh:mm): a time without one would be ambiguous. */
function parseInstant(v: string): number {
  const ms = Date.parse(v);
  const [year, month, day] = v.slice(0, 10).split('-').map(Number);
  const realDate = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
  if (!realDate || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(ms)) {
    throw new FlagError(`--start-at expects an ISO 8601 time with its offset, e.g. 2026-09-30T16:00:00+08:00, got '${v}'`);
  }
  return ms;
}
