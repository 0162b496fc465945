/**
 * Local SES (`aws-ses-v2-local`), in this process: SES v1 and v2 SendEmail are captured; its page
 * (`/`) shows the mail and `GET /store` returns it as JSON. The store lives in this process's memory
 * and, given `dataFile`, in that file too (ses-capture-file.ts), so a restart keeps it.
 */
import type { Server } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import { freePort, closeServer } from './net';
import { keepCaptureInFile } from './ses-capture-file';

export interface SesLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The captured emails (the JSON of `GET /store`). */
  emails(): Promise<CapturedEmail[]>;
  stop(): Promise<void>;
}

/** The fields of a captured email this project reads (the package's `Email` type). */
export interface CapturedEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Epoch seconds: the engine's clock when started with `now`, else host time. */
  at: number;
}

/**
 * Stamp captured mail with `now` (the engine's clock) instead of the host clock, so the emails
 * page shows the times the loop lives in under --time-scale. The package reads its timestamp
 * helper through its module exports at each send, which is what makes this replaceable.
 */
function useClockForTimestamps(now: () => number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const util = require('aws-ses-v2-local/dist/util') as { getCurrentTimestamp?: () => number };
  if (typeof util.getCurrentTimestamp === 'function') util.getCurrentTimestamp = () => Math.floor(now() / 1000);
}

export async function startSesLocal(opts: { port?: number; now?: () => number; dataFile?: string } = {}): Promise<SesLocal> {
  const port = opts.port || (await freePort());
  if (opts.now) useClockForTimestamps(opts.now);
  const server: Server = await sesServer({ host: '127.0.0.1', port });
  const capture = opts.dataFile ? keepCaptureInFile(opts.dataFile) : undefined;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    emails: () => fetchEmails(endpoint),
    stop: async () => {
      await closeServer(server);
      capture?.close();
    },
  };
}

/** Read the captured mail of a local SES at `endpoint` (also one in another process). */
export async function fetchEmails(endpoint: string): Promise<CapturedEmail[]> {
  const res = await fetch(`${endpoint}/store`);
  if (!res.ok) throw new Error(`local SES store answered ${res.status}`);
  const body = (await res.json()) as { emails: CapturedEmail[] };
  return body.emails;
}
