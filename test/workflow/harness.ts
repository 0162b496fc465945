/**
 * Drives the whole loop as the local runtime runs it (synthesized template, the project's engine on
 * a virtual clock, DynamoDB Local, local SES, the real handlers behind the local API) and reads back
 * what happened: which states ran at which virtual time, which emails went out.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualClock } from '../../local/engine/index';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/local-stack';
import { type CapturedEmail, fetchEmails } from '../../local/services/ses-local';
import { signedFetch } from '../../local/signed-fetch';
import { consoleSession } from '../support/console-session';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface StateRun {
  readonly name: string;
  /** Virtual ms since the complaint's intake. */
  readonly at: number;
}

export interface Harness {
  readonly stack: LocalStack;
  readonly clock: VirtualClock;
  api(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
  intake(overrides?: Record<string, unknown>): Promise<Complaint>;
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export interface Complaint {
  readonly id: string;
  readonly receivedAt: number;
  readonly executionArn: string;
  event(type: string, fields?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  view(): Promise<any>;
  states(): Promise<StateRun[]>;
  status(): Promise<string>;
  transitions(): Promise<number>;
  emails(): Promise<CapturedEmail[]>;
}

/** A five-step attribution (H-35) and a written result (H-32) for driving complaints along. */
export const attribution = {
  description: '小区光交箱板卡故障 / faulty line card in the cabinet',
  scope: '该小区约 120 户 / about 120 homes',
  occurredAt: '2026-03-01T12:00:00.000Z',
  affectedParty: '宽带用户 / broadband customers',
  measures: '更换板卡 / replace the card',
};
export const resolution = { what: '宽带断线 / broadband drops', how: '更换板卡 / card replaced', followUp: '观察一周 / watch for a week' };

let sequence = 0;

export function complaintBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    requestId: `wf-${process.pid}-${Date.now().toString(36)}-${sequence}`,
    customerId: `cust-${sequence}`,
    contact: { phone: '+86 138 0013 8000', email: `customer${sequence}@example.net` },
    channel: 'phone',
    source: 'external',
    serviceType: 'data',
    description: '家里宽带晚上经常断线，影响工作。Broadband drops every evening.',
    occurredAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

/** Monday 2 March 2026, 09:00 in Shanghai: no holiday within two weeks. */
export const T0 = Date.parse('2026-03-02T01:00:00.000Z');

export interface HarnessOptions {
  /** Run the template's schedules (the sweep) every few virtual minutes; costs a query each. @default false */
  readonly schedules?: boolean;
  /** Wraps each workflow task's handler (fault injection). */
  readonly wrapLambda?: LocalStackOptions['wrapLambda'];
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const clock = new VirtualClock(T0);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-wf-'));
  const stack = await startLocalStack({
    port: 0,
    clock,
    dataDir,
    fresh: true,
    log: () => undefined,
    schedules: opts.schedules ?? false,
    wrapLambda: opts.wrapLambda,
  });
  const { engine } = stack;

  // The console is behind the stack's sign-in: a manager's session; the rest of the API takes SigV4.
  let consoleCookie: Promise<string> | undefined;
  const api = async (method: string, route: string, body?: unknown) => {
    const init = {
      method,
      headers: (body === undefined ? {} : { 'content-type': 'application/json' }) as Record<string, string>,
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    const res = route.startsWith('/console')
      ? await fetch(`${stack.urls.api}${route}`, {
          ...init,
          headers: { ...init.headers, cookie: await (consoleCookie ??= consoleSession(stack.browserLoginUrl())) },
        })
      : await signedFetch(`${stack.urls.api}${route}`, init);
    const text = await res.text();
    await engine.settle();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // an HTML page (survey, ack)
    }
    return { status: res.status, body: parsed as any };
  };

  const historyOf = async (executionArn: string) => {
    const events: any[] = [];
    let nextToken: string | undefined;
    do {
      const page: any = await engine.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  };

  const intake = async (overrides: Record<string, unknown> = {}): Promise<Complaint> => {
    const receivedAt = clock.now();
    const res = await api('POST', '/complaints', complaintBody(overrides));
    if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.body)}`);
    const id: string = res.body.complaintId;
    const executionArn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
    return {
      id,
      receivedAt,
      executionArn,
      event: (type, fields = {}) =>
        api('POST', `/complaints/${id}/events`, { eventId: `${id}-${type}-${clock.now()}`, actor: 'agent-007', type, ...fields }),
      view: async () => (await api('GET', `/complaints/${id}`)).body,
      states: async () =>
        (await historyOf(executionArn))
          .filter((e) => e.type.endsWith('StateEntered'))
          .map((e) => ({ name: e.stateEnteredEventDetails.name, at: new Date(e.timestamp).getTime() - receivedAt })),
      status: async () => ((await engine.describeExecution({ executionArn })) as any).status,
      // Step Functions bills each state entered as a transition.
      transitions: async () => (await historyOf(executionArn)).filter((e) => e.type.endsWith('StateEntered')).length,
      emails: async () => (await fetchEmails(stack.urls.ses)).filter((m) => m.subject.includes(id)),
    };
  };

  return {
    stack,
    clock,
    api,
    intake,
    advance: async (ms) => {
      await clock.advance(ms);
      await engine.settle();
    },
    stop: async () => {
      await stack.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The link of a given path (/survey/ or /ack/) in an email's text. */
export function linkIn(email: CapturedEmail, kind: 'survey' | 'ack'): string {
  const m = new RegExp(`https?://[^\\s"<>]+/${kind}/[A-Za-z0-9_-]+`).exec(email.body.text ?? '');
  if (!m) throw new Error(`no ${kind} link in "${email.subject}"`);
  return m[0];
}

export const runsOf = (states: StateRun[], name: string) => states.filter((s) => s.name === name).map((s) => s.at);
