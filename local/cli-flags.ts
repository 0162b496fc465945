/** Flags of `npm start`, parsed strictly: a wrong flag names itself and what was expected. */
import { FlagError, parseFlags } from './flags';

export { FlagError };

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

const START_OPTIONS = {
  port: { type: 'string' },
  'time-scale': { type: 'string' },
  'data-dir': { type: 'string' },
  'start-at': { type: 'string' },
  fresh: { type: 'boolean' },
  'in-memory': { type: 'boolean' },
  'ses-sandbox': { type: 'boolean' },
  'ses-verify': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseStartFlags(argv: string[]): StartFlags {
  const { values } = parseFlags(argv, START_OPTIONS);
  const flags: StartFlags = {
    port: values.port === undefined ? 3000 : parsePort(values.port),
    timeScale: values['time-scale'] === undefined ? 1 : parseTimeScale(values['time-scale']),
    ...(values['data-dir'] === undefined ? {} : { dataDir: parseDataDir(values['data-dir']) }),
    fresh: values.fresh ?? false,
    inMemory: values['in-memory'] ?? false,
    sesSandbox: values['ses-sandbox'] ?? false,
    sesVerify: (values['ses-verify'] ?? []).flatMap(parseVerifyList),
    ...(values['start-at'] === undefined ? {} : { startAt: parseInstant(values['start-at']) }),
    help: values.help ?? false,
  };
  if (flags.inMemory && (flags.dataDir !== undefined || flags.fresh))
    throw new FlagError('--in-memory keeps nothing on disk: drop --data-dir and --fresh');
  if (flags.sesVerify.length > 0 && !flags.sesSandbox) throw new FlagError('--ses-verify only applies with --ses-sandbox');
  return flags;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535 || (n !== 0 && n > 65531)) {
    throw new FlagError(`--port expects an integer from 0 to 65531 (the next four ports are used too), got '${v}'`);
  }
  return n;
}

function parseTimeScale(v: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0))
    throw new FlagError(`--time-scale expects a positive number (virtual seconds per real second), got '${v}'`);
  return n;
}

function parseDataDir(v: string): string {
  if (!v.trim()) throw new FlagError('--data-dir expects a directory path');
  return v;
}

function parseVerifyList(v: string): string[] {
  const list = v
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = list.find((item) => !/^([^\s@,]+@)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(item));
  if (list.length === 0 || bad !== undefined)
    throw new FlagError(`--ses-verify expects email addresses or domains separated by commas, got '${bad ?? ''}'`);
  return list;
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
