/**
 * The fixed complaint scenarios, as steps at virtual offsets from intake, and an executor that
 * runs any number of complaints through them on one virtual clock: steps due at the same instant
 * run concurrently (bounded), then the clock moves to the next instant. Every scenario ends with
 * the customer saying "solved", so every execution must end SUCCEEDED with the complaint closed.
 */

import { attribution, complaintBody, resolution } from '../test/workflow/harness';
import { type BenchStack, HOUR, MINUTE } from './loop-stack';

export type ScenarioName = 'happy-path' | 'first-response-breach' | 'pause-resume' | 'not-solved-reopen';
export const SCENARIOS: readonly ScenarioName[] = ['happy-path', 'first-response-breach', 'pause-resume', 'not-solved-reopen'];

export interface Ctx {
  readonly id: string;
  readonly b: BenchStack;
  readonly settle: boolean;
  event(type: string, fields?: Record<string, unknown>): Promise<void>;
  answerSurvey(solved: boolean): Promise<void>;
}

interface Step {
  at: number;
  run(c: Ctx): Promise<void>;
}

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const firstContact = async (c: Ctx) => {
  await c.event('dispatched', { owner: 'li.wei', team: 'network-operations' });
  await c.event('acknowledged');
};
const investigated = (c: Ctx) => c.event('investigated', { attribution });
const responded = (c: Ctx) =>
  c.event('responded', {
    measures: '更换板卡 / replace the card',
    timetable: '今天 18:00 前 / today by 18:00',
    opinion: '今天更换板卡 / card replaced today',
    followUpOwner: 'li.wei',
  });
const resolved = (c: Ctx) => c.event('resolved', { resolution });

/** Dispatch at `start`, then one hour per milestone, survey ten minutes after the result notice. */
function loopFrom(start: number, solved = true): Step[] {
  return [
    { at: start, run: firstContact },
    { at: start + HOUR, run: investigated },
    { at: start + 2 * HOUR, run: responded },
    { at: start + 3 * HOUR, run: resolved },
    { at: start + 3 * HOUR + 10 * MINUTE, run: (c) => c.answerSurvey(solved) },
  ];
}

export const STEPS: Record<ScenarioName, Step[]> = {
  'happy-path': loopFrom(5 * MINUTE),
  // Nobody answers for 41 minutes: H-01 escalates to the supervisor at 20 and management at 40.
  'first-response-breach': loopFrom(41 * MINUTE),
  'pause-resume': [
    { at: 5 * MINUTE, run: firstContact },
    { at: HOUR, run: (c) => c.event('paused', { reason: '等待用户在家 / waiting for the customer to be home' }) },
    { at: 4 * HOUR, run: (c) => c.event('resumed') },
    { at: 5 * HOUR, run: investigated },
    { at: 6 * HOUR, run: responded },
    { at: 7 * HOUR, run: resolved },
    { at: 7 * HOUR + 10 * MINUTE, run: (c) => c.answerSurvey(true) },
  ],
  'not-solved-reopen': [
    ...loopFrom(5 * MINUTE, false),
    // Reopened one level up, waiting for a new handling opinion (H-34).
    { at: 4 * HOUR, run: responded },
    { at: 5 * HOUR, run: resolved },
    { at: 5 * HOUR + 10 * MINUTE, run: (c) => c.answerSurvey(true) },
  ],
};

// The local SES runs in this process: its store is read directly (the HTTP store would be
// re-read whole for each complaint, quadratic at volume).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sesStore = require('aws-ses-v2-local/dist/store') as {
  getStoreReadonly(): { emails: Array<{ subject: string; body: { text?: string }; destination: { to: string[] } }> };
};

export interface MailIndex {
  /** The survey link of the latest result notice to this complaint. */
  surveyLink(id: string): string | undefined;
  /** Emails per complaint id (subjects carry the id). */
  countFor(id: string): number;
  total(): number;
}

export function mailIndex(): MailIndex {
  let seen = 0;
  const survey = new Map<string, string>();
  const counts = new Map<string, number>();
  const refresh = () => {
    const emails = sesStore.getStoreReadonly().emails;
    for (; seen < emails.length; seen++) {
      const m = emails[seen]!;
      const id = /\bc-[A-Za-z0-9]{8,}\b/.exec(m.subject)?.[0];
      if (!id) continue;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      const link = /https?:\/\/[^\s"<>]+\/survey\/[A-Za-z0-9_-]+/.exec(m.body.text ?? '')?.[0];
      if (link) survey.set(id, link);
    }
  };
  return {
    surveyLink: (id) => {
      refresh();
      return survey.get(id);
    },
    countFor: (id) => {
      refresh();
      return counts.get(id) ?? 0;
    },
    total: () => sesStore.getStoreReadonly().emails.length,
  };
}

// The workflow tests' complaint (Chinese and English text, phone and email).
export { complaintBody };

export interface Outcome {
  id: string;
  scenario: ScenarioName;
  status: string;
  view: string;
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * Runs `plan` (one scenario name per complaint), all taken in at the current virtual instant.
 * With settle=false the engine settles once per instant rather than after each request (volume).
 */
export async function runComplaints(
  b: BenchStack,
  plan: readonly ScenarioName[],
  opts: { concurrency?: number; settle?: boolean; mail?: MailIndex } = {},
): Promise<{ ids: string[] }> {
  const concurrency = opts.concurrency ?? 1;
  const settle = opts.settle ?? true;
  const mail = opts.mail ?? mailIndex();
  const start = b.clock.now();
  const ids: string[] = new Array(plan.length);
  await pool(
    plan.map((_, i) => i),
    concurrency,
    async (i) => {
      const res = await b.api('POST', '/complaints', complaintBody(), settle);
      if (res.status !== 202) throw new ScenarioError(`intake answered ${res.status}: ${JSON.stringify(res.body)}`);
      ids[i] = res.body.complaintId;
    },
  );
  await b.stack.engine.settle();

  const ctx = (i: number): Ctx => {
    const id = ids[i]!;
    return {
      id,
      b,
      settle,
      event: async (type, fields = {}) => {
        const res = await b.api(
          'POST',
          `/complaints/${id}/events`,
          { eventId: `${id}-${type}-${b.clock.now()}`, actor: 'agent-007', type, ...fields },
          settle,
        );
        if (res.status !== 200)
          throw new ScenarioError(`${plan[i]} ${id}: event ${type} answered ${res.status}: ${JSON.stringify(res.body)}`);
      },
      answerSurvey: async (solved) => {
        const link = mail.surveyLink(id);
        if (!link) throw new ScenarioError(`${plan[i]} ${id}: no result notice with a survey link`);
        // The customer opens the page, then answers it.
        const page = await b.link(link);
        const answer = await b.link(link, { solved: solved ? 'yes' : 'no', score: solved ? '5' : '2' });
        if (page !== 200 || answer !== 200) throw new ScenarioError(`${plan[i]} ${id}: survey answered ${page}/${answer}`);
      },
    };
  };

  const due = new Map<number, Array<{ i: number; step: Step }>>();
  plan.forEach((name, i) => {
    for (const step of STEPS[name]) {
      const at = start + step.at;
      if (!due.has(at)) due.set(at, []);
      due.get(at)!.push({ i, step });
    }
  });
  for (const at of [...due.keys()].sort((x, y) => x - y)) {
    if (at > b.clock.now()) await b.advance(at - b.clock.now());
    await pool(due.get(at)!, concurrency, ({ i, step }) => step.run(ctx(i)));
    await b.stack.engine.settle();
  }
  return { ids };
}

/** How each complaint ended: execution status and the complaint's own status. */
export async function outcomes(b: BenchStack, plan: readonly ScenarioName[], ids: readonly string[], concurrency = 16): Promise<Outcome[]> {
  const out: Outcome[] = new Array(ids.length);
  await pool(
    ids.map((_, i) => i),
    concurrency,
    async (i) => {
      const id = ids[i]!;
      const d: any = await b.stack.engine.describeExecution({ executionArn: b.executionArn(id) });
      const view = await b.api('GET', `/complaints/${id}`, undefined, false);
      out[i] = { id, scenario: plan[i]!, status: d.status, view: view.body?.status };
    },
  );
  return out;
}
