/**
 * Classification on the local engine with the virtual clock, DynamoDB Local and local SES:
 * repeat complaints counted through the customer index (H-25), receipt time from upstream
 * (H-11), and a reclassification that puts a late complaint on the 2-hour clock (H-06).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attribution, complaintBody, type Harness, HOUR, MINUTE, startHarness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

describe('classification on the local engine', () => {
  it("H-25: counts the customer's earlier complaints; the fourth in 30 days is major, and its reasons say why", async () => {
    const customerId = `repeat-${process.pid}`;
    const body = { customerId, serviceType: 'network', description: '家里手机信号又很差 / weak signal at home again' };
    const first = await h.intake(body);
    expect((await first.view()).classification).toMatchObject({ priorComplaints: 0, severity: 'general', complexity: 'simple' });
    await h.advance(HOUR);
    await h.intake(body);
    await h.advance(HOUR);
    const third = await h.intake(body);
    expect((await third.view()).classification).toMatchObject({ priorComplaints: 2, severity: 'general', complexity: 'complex' });
    await h.advance(HOUR);
    const fourth = await h.intake(body);
    const view = await fourth.view();
    expect(view.classification).toMatchObject({ priorComplaints: 3, severity: 'major', management: true, complexity: 'complex' });
    expect(view.classification.reasons.join(' | ')).toContain('3 earlier complaints by this customer in 30 days (H-25)');
    // Another customer's history is their own.
    const other = await h.intake({ ...body, customerId: `other-${process.pid}` });
    expect((await other.view()).classification).toMatchObject({ priorComplaints: 0, severity: 'general' });
  });

  it("H-11: the upstream's receivedAt is the receipt; acceptedAt is the intake", async () => {
    const now = Date.parse((await (await h.intake()).view()).acceptedAt);
    const receivedAt = new Date(now - 30 * MINUTE).toISOString();
    const c = await h.intake({ receivedAt });
    const view = await c.view();
    expect(view.receivedAt).toBe(receivedAt);
    expect(Date.parse(view.acceptedAt)).toBe(c.receivedAt);
    expect(view.clocks.find((k: any) => k.id === 'H-11')).toMatchObject({ status: 'met', startedAt: receivedAt });
    const tooOld = await h.api('POST', '/complaints', { ...complaintBody(), receivedAt: new Date(now - 25 * HOUR).toISOString() });
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.errors).toEqual([{ path: 'receivedAt', message: expect.stringContaining('24 h') }]);
  });

  it('H-06: a complaint found major 3 h after registration is escalated at once, its waiting state re-armed', async () => {
    const c = await h.intake({ serviceType: 'network', description: '宽带晚上偶尔断线 / broadband drops now and then' });
    expect((await c.view()).clocks.some((k: any) => k.id === 'H-06')).toBe(false);
    await c.event('dispatched', { owner: 'zhao.lei', team: 'network-operations' });
    await c.event('acknowledged');
    await c.event('investigated', { attribution });
    await h.advance(3 * HOUR);
    const res = await c.event('reclassified', { severity: 'major', reason: '整栋楼断网 / the whole building is offline' });
    expect(res.status).toBe(200);
    const h06 = res.body.complaint.clocks.find((k: any) => k.id === 'H-06');
    expect(Date.parse(h06.deadline) - c.receivedAt).toBe(2 * HOUR);
    const escalation = (await c.emails()).find((m) => m.subject.includes('H-06') && m.subject.includes('Escalation level 1'));
    expect(escalation, 'H-06 level 1 escalation').toBeDefined();
    expect(escalation!.at * 1000 - c.receivedAt).toBeGreaterThanOrEqual(3 * HOUR);
    expect((await c.view()).history.some((e: any) => e.type === 'reclassified' && e.detail.after.severity === 'major')).toBe(true);
  });
});
