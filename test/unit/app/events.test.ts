/**
 * The events API reads the complaint once and writes once: the EVID marker's condition in the
 * save refuses a repeated eventId, and the answer's history is the audit lines the save wrote.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { postLifecycleEvent } from '../../../functions/app/api/events';
import { minutesAfter, registeredComplaint } from '../handlers/fixtures';
import { inMemoryApp } from '../handlers/support';

let app: ReturnType<typeof inMemoryApp>;
const complaint = registeredComplaint();

beforeEach(() => {
  app = inMemoryApp();
  app.store.seed(complaint, { waitMilestone: 'first-contact', waitToken: 'token-first-contact' });
});

const acknowledged = { eventId: 'ev-1', actor: 'agent-7', type: 'acknowledged' } as const;

describe('postLifecycleEvent', () => {
  it('reads the complaint once, saves once, and answers with the audit lines it wrote', async () => {
    const answer = await postLifecycleEvent(app, complaint.id, acknowledged, minutesAfter(5), 'caller');
    expect(app.store.calls).toEqual(['get', 'save']);
    const history = answer.complaint.history as { type: string; detail: { signedBy?: string } }[];
    expect(history.map((h) => h.type)).toContain('acknowledged');
    expect(history.every((h) => h.detail.signedBy === 'caller')).toBe(true);
    const written = (await app.store.history(complaint.id)).filter((h) => h.at === minutesAfter(5)).map((h) => h.type);
    expect(history.map((h) => h.type)).toEqual(written);
  });

  it('answers a repeated eventId as a duplicate, refused by the marker in the save', async () => {
    await postLifecycleEvent(app, complaint.id, acknowledged, minutesAfter(5), 'caller');
    const version = app.store.peek(complaint.id)!.complaint.version;
    const again = await postLifecycleEvent(app, complaint.id, acknowledged, minutesAfter(6), 'caller');
    expect(again.applied).toMatchObject({ eventId: 'ev-1', duplicate: true, appliedAt: minutesAfter(5) });
    expect(again.complaint.history).toEqual([]);
    expect(app.store.peek(complaint.id)!.complaint.version).toBe(version);
  });
});
