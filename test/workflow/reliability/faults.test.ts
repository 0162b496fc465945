/**
 * Fault injection on the real local stack: 1,000 complaints while
 *  - 10% of the workflow's Lambda task invocations fail transiently, as Lambda does
 *    (Lambda.ServiceException), half before the handler ran and half after (answer lost);
 *  - a handful of complaints hit a permanent bug in classify (a non-transient error);
 *  - DynamoDB throttles some of the handlers' requests (ProvisionedThroughputExceededException,
 *    answered by a proxy in front of DynamoDB Local, so the SDK's retries run for real);
 *  - SES rejects some sends with throttling (TooManyRequestsException, same proxy).
 * Retry semantics (ErrorEquals, MaxAttempts, backoff, jitter):
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * Lambda's own errors worth retrying (Lambda.ServiceException...):
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 *
 * Afterwards every complaint is closed, escalated to a person, or open and waiting within its
 * deadlines; the three add up to all complaints; no email went out twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintIdFor } from '../../../functions/app/ids';
import { VirtualClock } from '../../../local/engine/index';
import { type FaultProxy, startFaultProxy } from '../../../local/fault-proxy';
import { type LocalStack, startLocalStack } from '../../../local/local-stack';
import { type CapturedEmail, fetchEmails } from '../../../local/services/ses-local';
import { type LambdaFaultStats, lambdaFaults, seededRandom, throttleDynamoDb, throttleSes } from '../../support/faults';
import {
  allExecutions,
  attribution,
  callApiPersistently,
  complaintRequest,
  MINUTE,
  pool,
  resolution,
  T0,
  tableReader,
  tempDataDir,
} from './stack';

// npm test runs 200 complaints (a few minutes); the full 1,000-complaint run:
// FAULT_COMPLAINTS=1000 npx vitest run --project integration test/workflow/reliability/faults.test.ts
const COMPLAINTS = Number(process.env.FAULT_COMPLAINTS ?? 200);
const SEED = Number(process.env.FAULT_SEED ?? 20261128);
const LAMBDA_TRANSIENT_RATE = Number(process.env.FAULT_LAMBDA_RATE ?? 0.1);
const DYNAMODB_THROTTLE_RATE = Number(process.env.FAULT_DYNAMODB_RATE ?? 0.02);
const SES_THROTTLE_RATE = Number(process.env.FAULT_SES_RATE ?? 0.05);
const PERMANENT_FAILURES = 5;
// API calls in flight at once: enough to overlap the SDK's backoff, few enough for a 2-core machine.
const PARALLEL = 24;

const OPERATIONS = 'operations@example.com';
const isStaff = (address: string) => address.endsWith('@example.com');

/**
 * What the upstream systems do with each complaint:
 *  complete: contact in 5 min, investigate, respond, resolve; the customer answers "solved";
 *  silent:   nobody ever contacts the customer (H-05 escalates at 15 min, H-01 at 20 min);
 *  stalled:  contacted in time, then nothing more yet (still within H-13's 24 h);
 *  unanswered: resolved, the survey is still open;
 *  broken:   classify always throws a non-transient error.
 */
type Plan = 'complete' | 'silent' | 'stalled' | 'unanswered' | 'broken';

function planFor(i: number): Plan {
  if (i < PERMANENT_FAILURES) return 'broken';
  const r = i % 20;
  if (r < 9) return 'complete';
  if (r < 14) return 'silent';
  if (r < 17) return 'stalled';
  return 'unanswered';
}

let stack: LocalStack;
let clock: VirtualClock;
let dataDir: string;
let dynamoProxy: FaultProxy | undefined;
let sesProxy: FaultProxy | undefined;
let lambdaStats: LambdaFaultStats;
const random = seededRandom(SEED);
const complaints = Array.from({ length: COMPLAINTS }, (_, i) => {
  const requestId = `fault-${SEED}-${i}`;
  return { i, requestId, id: complaintIdFor(requestId), plan: planFor(i) };
});
const brokenIds = new Set(complaints.filter((c) => c.plan === 'broken').map((c) => c.id));
let apiRetries = 0;

beforeAll(async () => {
  clock = new VirtualClock(T0);
  dataDir = tempDataDir('faults');
  const faults = lambdaFaults({
    transientRate: LAMBDA_TRANSIENT_RATE,
    permanent: { task: 'classify', complaintIds: brokenIds },
    random,
    taskOf: (name) => {
      const f = stack?.app.functions.find((fn) => fn.name === name);
      return f ? f.entry.replace(/^.*\/|\.ts$/g, '') : name;
    },
  });
  lambdaStats = faults.stats;
  stack = await startLocalStack({
    port: 0,
    clock,
    dataDir,
    fresh: true,
    log: () => undefined,
    schedules: false,
    wrapLambda: faults.wrap,
    interpose: {
      dynamodb: async (target) =>
        (dynamoProxy = await startFaultProxy({ target, decide: throttleDynamoDb(DYNAMODB_THROTTLE_RATE, random) })).endpoint,
      ses: async (target) => (sesProxy = await startFaultProxy({ target, decide: throttleSes(SES_THROTTLE_RATE, random) })).endpoint,
    },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await dynamoProxy?.stop();
  await sesProxy?.stop();
  if (dataDir) (await import('node:fs')).rmSync(dataDir, { recursive: true, force: true });
});

const phaseStart = Date.now();
function phase(name: string): void {
  if (process.env.FAULT_TRACE) console.info(`[faults] ${name} at ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`);
}

async function advanceTo(at: number): Promise<void> {
  phase(`advance to +${(at - T0) / MINUTE} min`);
  if (at > clock.now()) await clock.advance(at - clock.now());
  await stack.engine.settle();
}

async function send(method: string, route: string, body?: unknown) {
  const res = await callApiPersistently(stack, method, route, body);
  apiRetries += res.attempts - 1;
  return res;
}

async function event(id: string, type: string, fields: Record<string, unknown> = {}) {
  const res = await send('POST', `/complaints/${id}/events`, { eventId: `${id}-${type}`, actor: 'agent-007', type, ...fields });
  expect(res.status, `${type} on ${id}: ${res.text} (after ${JSON.stringify(res.earlier)})`).toBe(200);
}

function byComplaint(emails: CapturedEmail[]): Map<string, CapturedEmail[]> {
  const map = new Map<string, CapturedEmail[]>();
  for (const m of emails) {
    const id = /c-[a-z2-7]{26}/.exec(m.subject)?.[0] ?? '';
    map.set(id, [...(map.get(id) ?? []), m]);
  }
  return map;
}

describe(`${COMPLAINTS} complaints under injected faults`, () => {
  it(
    'ends each complaint closed, escalated to a person or waiting in time, with no email sent twice',
    async () => {
      const started = Date.now();
      const of = (plan: Plan) => complaints.filter((c) => c.plan === plan);

      // T0: every complaint arrives.
      phase('intake');
      const intakes = await pool(complaints, PARALLEL, (c) => send('POST', '/complaints', complaintRequest(c.requestId, c.i)));
      intakes.forEach((res, i) => {
        expect(res.status, `intake ${i}: ${res.text}`).toBe(202);
        expect(res.body.complaintId).toBe(complaints[i]!.id);
      });
      await stack.engine.settle();

      // +5 min: first contact for everyone but the silent and the broken.
      await advanceTo(T0 + 5 * MINUTE);
      await pool([...of('complete'), ...of('stalled'), ...of('unanswered')], PARALLEL, async (c) => {
        await event(c.id, 'dispatched', { owner: `owner-${c.i}`, team: c.i % 2 === 0 ? 'network-operations' : 'customer-service' });
        await event(c.id, 'acknowledged');
      });
      await stack.engine.settle();

      // +10 min: investigated, responded, resolved (the result notice carries the survey link).
      await advanceTo(T0 + 10 * MINUTE);
      await pool([...of('complete'), ...of('unanswered')], PARALLEL, async (c) => {
        await event(c.id, 'investigated', { attribution });
        await event(c.id, 'responded', {
          measures: '更换板卡 / replace the card',
          timetable: '今天 18:00 前 / today by 18:00',
          opinion: '今天更换板卡 / card replaced today',
          followUpOwner: `owner-${c.i}`,
        });
        await event(c.id, 'resolved', { resolution });
      });
      await stack.engine.settle();

      // +15 min: the customers who answer say it is solved.
      await advanceTo(T0 + 15 * MINUTE);
      const mailSoFar = byComplaint(await fetchEmails(stack.urls.ses));
      await pool(of('complete'), PARALLEL, async (c) => {
        const notice = (mailSoFar.get(c.id) ?? []).find((m) => /投诉处理结果通知|result of your complaint/.test(m.subject));
        expect(notice, `result notice of ${c.id}`).toBeDefined();
        const link = /https?:\/\/[^\s"<>]+\/survey\/[A-Za-z0-9_-]+/.exec(notice!.body.text ?? '')![0];
        const res = await fetch(link, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ solved: 'yes', score: '5' }).toString(),
        });
        expect(res.status, `survey of ${c.id}`).toBe(200);
      });
      await stack.engine.settle();

      // +21 min: past H-05's (15 min) and H-01's (20 min) escalations for the silent ones; well
      // before any deadline of the others (H-13's 24 h). Later ladder steps add run time, not proof.
      const end = T0 + 21 * MINUTE;
      await advanceTo(end);
      const driveSeconds = (Date.now() - started) / 1000;

      phase('read back');
      // ---- read back ----
      const executions = new Map((await allExecutions(stack)).map((e) => [e.name, e]));
      const emails = await fetchEmails(stack.urls.ses);
      const mail = byComplaint(emails);
      const reader = tableReader(stack);
      const items = await reader.scanAll();
      reader.close();
      const meta = new Map(items.filter((it) => it.sk === 'META').map((it) => [it.id as string, it]));
      const markers = items.filter((it) => String(it.sk).startsWith('NOTIF#'));

      let closed = 0;
      let escalated = 0;
      let waiting = 0;
      for (const c of complaints) {
        const exec = executions.get(c.id);
        const record = meta.get(c.id);
        const toStaff = (mail.get(c.id) ?? []).filter((m) => m.destination.to.some(isStaff));
        const label = `${c.plan} complaint ${c.i} (${c.id})`;
        expect(exec, label).toBeDefined();
        expect(record, label).toBeDefined();
        if (exec!.status === 'SUCCEEDED') {
          expect(record!.status, label).toBe('closed');
          closed += 1;
        } else if (
          toStaff.some((m) => /Escalation level/.test(m.subject)) ||
          // EscalateFailure's notice: "[Action needed] complaint loop stopped (<id>)".
          toStaff.some((m) => m.destination.to.includes(OPERATIONS) && m.subject.includes('[Action needed]'))
        ) {
          escalated += 1;
        } else {
          // Open and waiting: still running, on a milestone, nothing overdue.
          expect(exec!.status, label).toBe('RUNNING');
          expect(record!.escalationLevel, label).toBe(0);
          expect(record!.waitToken, label).toBeTruthy();
          expect(Date.parse(record!.nextDueAt), label).toBeGreaterThan(end);
          waiting += 1;
        }
        // What each plan must come to.
        if (c.plan === 'complete') expect(exec!.status, label).toBe('SUCCEEDED');
        if (c.plan === 'silent') {
          expect(exec!.status, label).toBe('RUNNING');
          expect(
            toStaff.some((m) => m.subject.includes('H-01') && m.subject.includes('Escalation level 1')),
            label,
          ).toBe(true);
        }
        if (c.plan === 'broken') {
          // EscalateFailure told operations, and the execution failed (raising the stack's alarm).
          expect(exec!.status, label).toBe('FAILED');
          expect(record!.status, label).toBe('failed');
          expect(
            toStaff.some((m) => m.destination.to.includes(OPERATIONS) && m.subject.includes('[Action needed]')),
            label,
          ).toBe(true);
        }
        if (c.plan === 'stalled' || c.plan === 'unanswered') expect(exec!.status, label).toBe('RUNNING');
      }
      expect(closed + escalated + waiting).toBe(COMPLAINTS);
      expect(closed).toBe(of('complete').length);
      expect(escalated).toBe(of('silent').length + of('broken').length);
      expect(waiting).toBe(of('stalled').length + of('unanswered').length);
      // Only the broken ones failed: every transient fault was retried away.
      expect([...executions.values()].filter((e) => e.status === 'FAILED').length).toBe(PERMANENT_FAILURES);

      // No email twice: every captured email belongs to exactly one notification marker (its
      // idempotency record), and no recipient got the same subject for the same key twice.
      const keyOfMessage = new Map<string, string>();
      for (const m of markers) {
        for (const id of (m.messageIds as string[] | undefined) ?? []) {
          expect(keyOfMessage.has(id), `message ${id} in two markers`).toBe(false);
          keyOfMessage.set(id, `${m.pk}|${m.sk}`);
        }
      }
      const seen = new Map<string, string>();
      for (const m of emails) {
        const key = keyOfMessage.get(m.messageId);
        expect(key, `email "${m.subject}" to ${m.destination.to.join(',')} has no notification marker`).toBeDefined();
        for (const to of m.destination.to) {
          const identity = `${to}|${m.subject}|${key}`;
          expect(seen.get(identity), `sent twice: ${identity}`).toBeUndefined();
          seen.set(identity, m.messageId);
        }
      }
      expect(emails.length).toBe(keyOfMessage.size);

      // The faults really happened (a suite that injects nothing proves nothing).
      const dynamoThrottled = dynamoProxy!.stats.injected.ProvisionedThroughputExceededException ?? 0;
      const sesThrottled = sesProxy!.stats.injected.TooManyRequestsException ?? 0;
      expect(lambdaStats.failedBefore + lambdaStats.failedAfter).toBeGreaterThan(lambdaStats.invocations * 0.07);
      expect(lambdaStats.failedAfter).toBeGreaterThan(0);
      expect(lambdaStats.permanent).toBeGreaterThanOrEqual(PERMANENT_FAILURES * 3);
      expect(dynamoThrottled).toBeGreaterThan(0);
      expect(sesThrottled).toBeGreaterThan(0);

      console.info(
        `faults: ${COMPLAINTS} complaints in ${driveSeconds.toFixed(0)} s; closed ${closed}, escalated ${escalated}, waiting ${waiting}; ` +
          `lambda ${lambdaStats.invocations} calls, ${lambdaStats.failedBefore}+${lambdaStats.failedAfter} transient, ${lambdaStats.permanent} permanent; ` +
          `DynamoDB ${dynamoThrottled} throttled of ${dynamoProxy!.stats.forwarded + dynamoThrottled}; SES ${sesThrottled} throttled; ` +
          `${emails.length} emails; API re-sends ${apiRetries}`,
      );
      // A budget for a loaded machine; the suite prints its own drive time above.
    },
    Math.max(600_000, COMPLAINTS * 1_500),
  );
});
