/** The clock tick under a policy with a pause cap (pause.maxTotal): the cap's end is a clock event. */
import { beforeEach, describe, expect, it } from 'vitest';
import { clockTickHandler } from '../../../functions/app/tasks/notify';
import { pauseClocks } from '../../../functions/domain/clocks';
import { resolveSlaPolicy } from '../../../functions/domain/sla-policy';
import { minutesAfter, registeredComplaint } from './fixtures';
import { inMemoryApp } from './support';

const CAP = { pause: { maxTotal: 'PT2H' } };
const policy = resolveSlaPolicy(CAP);
let app: ReturnType<typeof inMemoryApp>;
let clockTick: ReturnType<typeof clockTickHandler>;

beforeEach(() => {
  app = inMemoryApp();
  clockTick = clockTickHandler({ ...app.notifyDeps, policy });
});

const storedClocks = (id: string) => app.store.peek(id)!.complaint.clocks;

describe('clock-tick with a pause cap', () => {
  it('at the cap end the frozen clocks run again, with an audit line and no email; the complaint stays paused', async () => {
    const c = pauseClocks(registeredComplaint(), minutesAfter(60), 'customer away', policy, 'agent-7');
    expect(c.pause?.capEndsAt).toBe(minutesAfter(180));
    app.store.seed(c);

    const early = (await clockTick({ complaintId: c.id, now: minutesAfter(170), milestone: 'first-contact' })) as {
      nextDueAt: string | null;
    };
    expect(storedClocks(c.id)['H-02']!.status).toBe('paused');
    expect(early.nextDueAt! <= minutesAfter(180)).toBe(true);

    await clockTick({ complaintId: c.id, now: minutesAfter(180), milestone: 'first-contact' });
    const clocks = storedClocks(c.id);
    expect(clocks['H-02']).toMatchObject({
      status: 'running',
      deadline: new Date(Date.parse(c.clocks['H-02']!.deadline) + 2 * 3_600_000).toISOString(),
    });
    expect(app.store.peek(c.id)!.complaint.status).toBe('paused');
    const audit = await app.store.history(c.id);
    expect(audit.filter((a) => a.type === 'clock-pause-cap-reached').map((a) => (a.detail as { clockId: string }).clockId)).toContain(
      'H-02',
    );
    expect(app.mailbox.sent.filter((email) => email.subject.includes('H-02'))).toHaveLength(0);
  });
});
