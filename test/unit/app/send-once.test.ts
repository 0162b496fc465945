/**
 * Send-once with the sent mark in the complaint save: the claim is taken before the email, the
 * save that records the notification marks it sent, and a save that fails leaves it 'mailed' so
 * the retry does not mail again.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { notifyHandler } from '../../../functions/app/tasks/notify';
import { registeredComplaint, T0 } from '../handlers/fixtures';
import { inMemoryApp, named } from '../handlers/support';

let app: ReturnType<typeof inMemoryApp>;
let notify: ReturnType<typeof notifyHandler>;

beforeEach(() => {
  app = inMemoryApp();
  notify = notifyHandler(app.notifyDeps);
});

describe('send-once', () => {
  it('marks the notification sent in the save that records it (no write of its own)', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    await notify({ complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] });
    expect(app.store.notification(c.id, 'intake-acknowledgment')).toMatchObject({ status: 'sent' });
    expect(app.store.calls.filter((m) => m === 'markNotification')).toHaveLength(0);
    expect(app.store.calls.filter((m) => m === 'get')).toHaveLength(1);
  });

  it('fails when the save that records an email fails, and the retry records it without a second email', async () => {
    const c = registeredComplaint();
    app.store.seed(c);
    app.store.failNext('save', named('ProvisionedThroughputExceededException', 'slow down'));
    const payload = { complaintId: c.id, now: T0, kinds: ['intake-acknowledgment'] };

    await expect(notify(payload)).rejects.toMatchObject({ name: 'TransientError' });
    expect(app.store.notification(c.id, 'intake-acknowledgment')).toMatchObject({ status: 'mailed' });
    await notify(payload);

    expect(app.mailbox.sent).toHaveLength(1);
    expect(app.store.notification(c.id, 'intake-acknowledgment')).toMatchObject({ status: 'sent' });
    expect(app.store.peek(c.id)!.complaint.version).toBe(c.version + 1);
  });
});
