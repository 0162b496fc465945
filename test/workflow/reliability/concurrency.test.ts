/**
 * Concurrency on the real local stack: duplicates arriving at the same instant.
 * A Step Functions StartExecution with the name and input of a running execution is idempotent:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody, type Harness, startHarness } from '../harness';
import { allExecutions, callApi, callApiPersistently, tableReader } from './stack';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

async function auditLines(complaintId: string): Promise<Record<string, any>[]> {
  const reader = tableReader(h.stack);
  try {
    return (await reader.itemsOf(complaintId)).filter((it) => String(it.sk).startsWith('EV#'));
  } finally {
    reader.close();
  }
}

describe('simultaneous requests', () => {
  it('answers 200 identical intakes at once with one complaint, one execution and identical answers', async () => {
    const body = complaintBody();
    const answers = await Promise.all(Array.from({ length: 200 }, () => callApi(h.stack, 'POST', '/complaints', body)));
    await h.stack.engine.settle();

    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(202));
    const first = answers[0]!.text;
    expect(answers.filter((a) => a.text !== first)).toEqual([]);
    const id: string = answers[0]!.body.complaintId;

    const reader = tableReader(h.stack);
    const metas = await reader.scanAll((it) => it.sk === 'META' && it.id === id);
    reader.close();
    expect(metas).toHaveLength(1);
    const executions = (await allExecutions(h.stack)).filter((e) => e.name === id);
    expect(executions).toHaveLength(1);
  });

  it('applies a lifecycle event delivered 50 times at once exactly once', async () => {
    const control = await h.intake();
    const c = await h.intake();
    const baseline = (await auditLines(control.id)).length;
    const before = (await auditLines(c.id)).length;
    expect(before).toBe(baseline);

    // The control complaint gets the event once: its audit growth is what one application writes.
    const event = { actor: 'agent-007', type: 'dispatched', owner: 'li.wei', team: 'network-operations' };
    expect((await callApi(h.stack, 'POST', `/complaints/${control.id}/events`, { eventId: `${control.id}-d`, ...event })).status).toBe(200);
    await h.stack.engine.settle();
    const perApplication = (await auditLines(control.id)).length - baseline;
    expect(perApplication).toBeGreaterThan(0);

    const deliveries = await Promise.all(
      Array.from({ length: 50 }, () => callApi(h.stack, 'POST', `/complaints/${c.id}/events`, { eventId: `${c.id}-d`, ...event })),
    );
    await h.stack.engine.settle();
    expect(deliveries.map((d) => d.status)).toEqual(Array(50).fill(200));
    expect(deliveries.filter((d) => d.body.applied.duplicate === false)).toHaveLength(1);
    expect(new Set(deliveries.map((d) => d.body.applied.appliedAt)).size).toBe(1);

    expect((await auditLines(c.id)).length - before).toBe(perApplication);
    const view = await c.view();
    expect(view.owner).toBe('li.wei');
    expect(view.history.filter((e: any) => e.type === 'dispatched')).toHaveLength(1);
  });

  it('keeps every one of many different events sent to one complaint at once (no lost update)', async () => {
    const c = await h.intake();
    const versionBefore = (await c.view()).version;
    const notes = Array.from({ length: 20 }, (_, k) => `备注 ${k} / note ${k}`);
    // A writer that keeps losing the version race answers 503 + Retry-After; callers re-send.
    const answers = await Promise.all([
      callApiPersistently(h.stack, 'POST', `/complaints/${c.id}/events`, {
        eventId: `${c.id}-dispatch`,
        actor: 'agent-007',
        type: 'dispatched',
        owner: 'zhao.lei',
        team: 'customer-service',
      }),
      ...notes.map((text, k) =>
        callApiPersistently(h.stack, 'POST', `/complaints/${c.id}/events`, {
          eventId: `${c.id}-note-${k}`,
          actor: 'agent-007',
          type: 'note',
          text,
        }),
      ),
    ]);
    await h.stack.engine.settle();
    expect(answers.map((a) => `${a.status} ${a.status === 200 ? '' : a.text}`)).toEqual(Array(21).fill('200 '));
    // A re-sent event whose first try was applied after all answers as a duplicate: fine, once is once.
    expect(answers.filter((a) => a.body.applied.duplicate === false).length).toBeGreaterThanOrEqual(
      answers.filter((a) => a.attempts === 1).length,
    );

    const view = await c.view();
    expect(view.owner).toBe('zhao.lei');
    expect(view.team).toBe('customer-service');
    const texts = view.history.flatMap((e: any) => (e.type === 'note' ? [JSON.stringify(e.detail)] : []));
    for (const text of notes)
      expect(
        texts.some((t: string) => t.includes(text)),
        text,
      ).toBe(true);
    expect(texts.filter((t: string) => t.includes('note'))).toHaveLength(notes.length);
    expect(view.version).toBeGreaterThanOrEqual(versionBefore + 1);
    expect(view.points.dispatched).toBeTruthy();
    // First contact also awaits 'acknowledged': the milestone has not moved.
    expect(view.milestone).toBe('first-contact');
  });
});
