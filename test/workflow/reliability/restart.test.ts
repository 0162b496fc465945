/**
 * Restart: stop the local stack while executions wait on task tokens and on timers,
 * start a new one on the same data dir once virtual time has passed some deadlines. Every
 * execution resumes, overdue timers fire at once, nothing is lost.
 * Task timeouts raise States.Timeout: https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/engine/index';
import { type LocalStack, startLocalStack } from '../../../local/local-stack';
import { fetchEmails } from '../../../local/services/ses-local';
import { linkIn } from '../harness';
import {
  allExecutions,
  attribution,
  callApi,
  complaintRequest,
  executionArnOf,
  executionHistory,
  HOUR,
  MINUTE,
  resolution,
  T0,
  tableReader,
  tempDataDir,
} from './stack';

const dataDir = tempDataDir('restart');
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const port = (url: string) => Number(new URL(url).port);

async function ok(s: LocalStack, method: string, route: string, body?: unknown) {
  const res = await callApi(s, method, route, body);
  expect(res.status, `${method} ${route}: ${res.text}`).toBeLessThan(300);
  await s.engine.settle();
  return res.body;
}

const event = (s: LocalStack, id: string, type: string, fields: Record<string, unknown> = {}) =>
  ok(s, 'POST', `/complaints/${id}/events`, { eventId: `${id}-${type}`, actor: 'agent-007', type, ...fields });

async function statesOf(s: LocalStack, id: string): Promise<string[]> {
  return (await executionHistory(s, executionArnOf(s, id)))
    .filter((e) => e.type.endsWith('StateEntered'))
    .map((e) => e.stateEnteredEventDetails.name);
}

describe('stopping and restarting the local stack', () => {
  it('resumes every waiting execution and fires the timers that fell due while it was down', async () => {
    const clock1 = new VirtualClock(T0);
    stack = await startLocalStack({ port: 0, clock: clock1, dataDir, fresh: true, schedules: false, log: () => undefined });
    const s1 = stack;
    const intake = async (n: number) => (await ok(s1, 'POST', '/complaints', complaintRequest(`restart-${n}`, n))).complaintId as string;

    // silent: waits on first contact, its H-01 timer due at 20 min.
    const silent = await intake(1);
    // investigating: contacted, waits on a token for 'investigated' (clocks due in hours).
    const investigating = await intake(2);
    // surveyed: resolved, waits on the survey token (reminder after a day).
    const surveyed = await intake(3);
    await clock1.advance(5 * MINUTE);
    for (const id of [investigating, surveyed]) {
      await event(s1, id, 'dispatched', { owner: 'li.wei', team: 'network-operations' });
      await event(s1, id, 'acknowledged');
    }
    await event(s1, surveyed, 'investigated', { attribution });
    await event(s1, surveyed, 'responded', {
      measures: '更换板卡 / replace the card',
      timetable: '今天 18:00 前 / today by 18:00',
      opinion: '更换板卡 / replace the card',
      followUpOwner: 'li.wei',
    });
    await event(s1, surveyed, 'resolved', { resolution });
    await s1.engine.settle();

    const emailsBefore = await fetchEmails(s1.urls.ses);
    const notice = emailsBefore.find((m) => m.subject.includes(surveyed) && /投诉处理结果通知|result of your complaint/.test(m.subject));
    expect(notice).toBeDefined();
    expect(emailsBefore.filter((m) => m.subject.includes(silent) && /Escalation/.test(m.subject))).toEqual([]);
    const runningBefore = (await allExecutions(s1))
      .filter((e) => e.status === 'RUNNING')
      .map((e) => e.name)
      .sort();
    expect(runningBefore).toEqual([silent, investigating, surveyed].sort());
    const ports = {
      api: port(s1.urls.api),
      engine: port(s1.urls.engine),
      dynamodb: port(s1.urls.dynamodb),
      ses: port(s1.urls.ses),
      awsLite: port(s1.urls.awsLite),
    };

    await s1.stop();
    stack = undefined;

    // An hour later: the silent complaint's H-01 escalations (20 and 40 min) are overdue.
    const restartAt = T0 + 65 * MINUTE;
    const clock2 = new VirtualClock(restartAt);
    // Same ports: the handler modules (and their SDK clients) stay loaded in this process.
    stack = await startLocalStack({
      port: ports.api,
      servicePorts: { engine: ports.engine, dynamodb: ports.dynamodb, ses: ports.ses, awsLite: ports.awsLite },
      clock: clock2,
      dataDir,
      schedules: false,
      log: () => undefined,
    });
    const s2 = stack;
    await clock2.advance(0);
    await s2.engine.settle();

    // Nothing lost: the same executions, still running, and their complaints.
    const after = await allExecutions(s2);
    expect(after.map((e) => e.name).sort()).toEqual(runningBefore);
    expect(after.every((e) => e.status === 'RUNNING')).toBe(true);
    const reader = tableReader(s2);
    const metas = await reader.scanAll((it) => it.sk === 'META');
    reader.close();
    expect(metas.map((m) => m.id).sort()).toEqual(runningBefore);

    // Overdue timers fired at once: the escalation is stamped with the restart instant.
    const escalations = (await fetchEmails(s2.urls.ses)).filter(
      (m) => m.subject.includes(silent) && m.subject.includes('H-01') && /Escalation level 1/.test(m.subject),
    );
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.at * 1000).toBe(restartAt);
    expect((await statesOf(s2, silent)).filter((n) => n === 'FirstContactClock').length).toBeGreaterThan(0);

    // Waiting tokens survived: later events complete what was waiting.
    await event(s2, investigating, 'investigated', { attribution });
    expect((await statesOf(s2, investigating)).at(-1)).toBe('AwaitHandlingOpinion');
    const survey = await fetch(linkIn(notice!, 'survey'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ solved: 'yes', score: '4' }).toString(),
    });
    expect(survey.status).toBe(200);
    await s2.engine.settle();
    expect(((await s2.engine.describeExecution({ executionArn: executionArnOf(s2, surveyed) })) as any).status).toBe('SUCCEEDED');
    await event(s2, silent, 'dispatched', { owner: 'zhao.lei', team: 'network-operations' });
    await event(s2, silent, 'acknowledged');
    expect((await statesOf(s2, silent)).at(-1)).toBe('AwaitInvestigation');

    // And the resumed executions keep time on the new clock.
    await clock2.advance(HOUR);
    await s2.engine.settle();
    expect(((await s2.engine.describeExecution({ executionArn: executionArnOf(s2, investigating) })) as any).status).toBe('RUNNING');
  }, 300_000);
});
