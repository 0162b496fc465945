/**
 * Local SES (`aws-ses-v2-local`), in this process: SES v1 and v2 SendEmail are captured; its page
 * (`/`) shows the mail and `GET /store` returns it as JSON. The store lives in this process's memory
 * and, given `dataFile`, in that file too (ses-capture-file.ts), so a restart keeps it.
 *
 * Sandbox mode reproduces a new AWS account: SES v2 SendEmail to a recipient outside the verified
 * list answers as SES does (HTTP 400, error type MessageRejected, "Email address is not verified.
 * The following identities failed the check in region …: <addresses>"), and nothing is captured.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import { closeServer, freePort } from './net';
import { keepCaptureInFile } from './ses-capture-file';

export interface SesLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The captured emails (the JSON of `GET /store`). */
  emails(): Promise<CapturedEmail[]>;
  /** Turns sandbox mode on (with the verified addresses or whole domains) or off (undefined). */
  setSandbox(sandbox: SesSandbox | undefined): void;
  stop(): Promise<void>;
}

export interface SesSandbox {
  /** Verified identities: addresses ('ops@example.com') or domains ('example.com'). */
  readonly verified: readonly string[];
  /** The region named in the rejection message. @default 'US-EAST-1' */
  readonly region?: string;
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

export async function startSesLocal(
  opts: { port?: number; now?: () => number; sandbox?: SesSandbox; dataFile?: string } = {},
): Promise<SesLocal> {
  const port = opts.port || (await freePort());
  if (opts.now) useClockForTimestamps(opts.now);
  const server: Server = await sesServer({ host: '127.0.0.1', port });
  let sandbox = opts.sandbox;
  guardSends(server, () => sandbox);
  const capture = opts.dataFile ? keepCaptureInFile(opts.dataFile) : undefined;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    emails: () => fetchEmails(endpoint),
    setSandbox: (next) => {
      sandbox = next;
    },
    stop: async () => {
      await closeServer(server);
      capture?.close();
    },
  };
}

const SEND_PATH = '/v2/email/outbound-emails';

/**
 * Puts the sandbox check in front of the package's app: a v2 SendEmail is read here; a refused
 * one is answered here, an allowed one goes on with its parsed body (the package's JSON parser
 * skips a request whose body was already read).
 */
function guardSends(server: Server, sandbox: () => SesSandbox | undefined): void {
  const [app] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!app) throw new Error('local SES: no request handler to guard');
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const current = sandbox();
    if (!current || req.method !== 'POST' || req.url?.split('?')[0] !== SEND_PATH) return app(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // left to the package's own validation
      }
      const refused = unverifiedRecipients(body, current.verified);
      if (refused.length === 0) {
        (req as IncomingMessage & { body?: unknown }).body = body;
        return app(req, res);
      }
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' });
      res.end(
        JSON.stringify({
          message: `Email address is not verified. The following identities failed the check in region ${current.region ?? 'US-EAST-1'}: ${refused.join(', ')}`,
        }),
      );
    });
  });
}

/** Recipients (To, Cc, Bcc) that are neither a verified address nor under a verified domain. */
export function unverifiedRecipients(body: Record<string, unknown>, verified: readonly string[]): string[] {
  const destination = (body.Destination ?? {}) as Record<string, unknown>;
  const all = ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((k) =>
    Array.isArray(destination[k]) ? (destination[k] as unknown[]).map(String) : [],
  );
  const ok = new Set(verified.map((v) => v.toLowerCase()));
  return all.filter((address) => {
    const a = address.toLowerCase();
    return !ok.has(a) && !ok.has(a.slice(a.lastIndexOf('@') + 1));
  });
}

/** Read the captured mail of a local SES at `endpoint` (also one in another process). */
export async function fetchEmails(endpoint: string): Promise<CapturedEmail[]> {
  const res = await fetch(`${endpoint}/store`);
  if (!res.ok) throw new Error(`local SES store answered ${res.status}`);
  const body = (await res.json()) as { emails: CapturedEmail[] };
  return body.emails;
}
