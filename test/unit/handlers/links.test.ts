import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ackHandler } from '../../../functions/app/pages/ack';
import { surveyHandler } from '../../../functions/app/pages/survey';
import type { LinkRecord } from '../../../functions/app/ports';
import { applyClockEvents, dueClockEvents } from '../../../functions/domain/clocks';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import { epochAt, minutesAfter, registeredComplaint, surveyingComplaint } from './fixtures';
import { apiEvent, captureOutput, inMemoryApp, sha256Hex } from './support';

let app: ReturnType<typeof inMemoryApp>;
let survey: ReturnType<typeof surveyHandler>;
let ack: ReturnType<typeof ackHandler>;

beforeEach(() => {
  app = inMemoryApp();
  survey = surveyHandler(app);
  ack = ackHandler(app);
});

const saves = () => app.store.calls.filter((m) => m === 'save');

const newToken = () => randomBytes(32).toString('base64url');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function seedSurvey(extra: Partial<LinkRecord> = {}) {
  const c = surveyingComplaint();
  app.store.seed(c, { waitMilestone: 'survey', waitToken: 'token-survey' });
  const token = newToken();
  await app.store.putLink(sha256Hex(token), {
    purpose: 'survey',
    complaintId: c.id,
    createdAt: minutesAfter(30),
    expiresAt: minutesAfter(30 + 3 * 1440),
    ...extra,
  });
  return { c, token };
}

const surveyRequest = (method: string, token: string, minutes: number, body?: string) =>
  survey(
    apiEvent({
      method,
      pathParameters: { token },
      path: `/survey/${token}`,
      body: body ?? null,
      headers: body ? FORM : {},
      requestTimeEpoch: epochAt(minutes),
    }),
  );

describe('survey (GET|POST /survey/{token})', () => {
  it('GET renders an accessible bilingual form', async () => {
    const { token } = await seedSurvey();
    const res = await surveyRequest('GET', token, 60);
    expect(res.statusCode).toBe(200);
    expect(res.headers!['Content-Type']).toBe('text/html; charset=utf-8');
    expect(res.headers!['Referrer-Policy']).toBe('no-referrer');
    expect(res.body).toContain('<html lang="zh-CN">');
    expect(res.body).toMatch(/<legend>问题是否已解决？.*Is your problem solved\?/);
    expect(res.body).toContain('name="score" value="5"');
  });

  it('POST records the answer, marks the link used and tells the survey milestone (not solved)', async () => {
    const { c, token } = await seedSurvey();
    const res = await surveyRequest('POST', token, 60, 'solved=no&score=2&comment=%E8%BF%98%E6%98%AF%E4%B8%8D%E8%A1%8C');

    expect(res.statusCode).toBe(200);
    expect(app.store.peek(c.id)!.complaint.survey).toMatchObject({ solved: false, score: 2, comment: '还是不行' });
    expect((await app.store.getLink(sha256Hex(token)))!.usedAt).toBe(new Date(epochAt(60)).toISOString());
    expect(app.workflow.successes).toEqual([
      { taskToken: 'token-survey', output: expect.objectContaining({ milestone: 'survey', outcome: 'not-solved' }) },
    ]);
  });

  it('fails with 410 on a used token and changes nothing', async () => {
    const { c, token } = await seedSurvey({ usedAt: minutesAfter(40) });
    const before = app.store.peek(c.id);
    const get = await surveyRequest('GET', token, 60);
    const post = await surveyRequest('POST', token, 60, 'solved=yes');
    expect(get.statusCode).toBe(410);
    expect(post.statusCode).toBe(410);
    expect(post.body).toContain('Link already used');
    expect(app.store.peek(c.id)).toEqual(before);
    expect(saves()).toHaveLength(0);
    expect(app.workflow.successes).toHaveLength(0);
  });

  it('fails with 410 on an expired token and changes nothing', async () => {
    const { token } = await seedSurvey({ expiresAt: minutesAfter(50) });
    const post = await surveyRequest('POST', token, 60, 'solved=yes');
    expect(post.statusCode).toBe(410);
    expect(post.body).toContain('Link expired');
    expect(saves()).toHaveLength(0);
  });

  it('fails with 404 on a forged or malformed token without reading the table for malformed ones', async () => {
    await seedSurvey();
    const forged = await surveyRequest('POST', newToken(), 60, 'solved=yes');
    expect(forged.statusCode).toBe(404);
    const callsBefore = app.store.calls.length;
    const malformed = await surveyRequest('GET', '<script>', 60);
    expect(malformed.statusCode).toBe(404);
    expect(malformed.body).not.toContain('<script>');
    expect(app.store.calls).toHaveLength(callsBefore);
  });

  it('fails with 400 naming the fields of an invalid form, and 415 for a non-form body; nothing changes', async () => {
    const { token } = await seedSurvey();
    const bad = await surveyRequest('POST', token, 60, 'solved=maybe&score=9&admin=1');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('solved');
    expect(bad.body).toContain('score');
    expect(bad.body).toContain('admin');
    const json = await survey(
      apiEvent({
        method: 'POST',
        pathParameters: { token },
        body: '{"solved":"yes"}',
        headers: { 'content-type': 'application/json' },
        requestTimeEpoch: epochAt(60),
      }),
    );
    expect(json.statusCode).toBe(415);
    expect(saves()).toHaveLength(0);
  });

  it('fails with 410 when the survey is no longer open (a second link after an answer)', async () => {
    const { token } = await seedSurvey();
    await surveyRequest('POST', token, 60, 'solved=yes&score=5');
    // The reminder's link for the same survey: the survey is answered, so it is closed.
    const other = newToken();
    await app.store.putLink(sha256Hex(other), {
      purpose: 'survey',
      complaintId: surveyingComplaint().id,
      createdAt: minutesAfter(30),
      expiresAt: minutesAfter(5000),
    });
    const res = await surveyRequest('POST', other, 61, 'solved=no');
    expect(res.statusCode).toBe(410);
  });
});

describe('escalation-ack (GET|POST /ack/{token})', () => {
  async function seedEscalated() {
    const registered = registeredComplaint();
    const now = minutesAfter(20);
    const escalated = applyClockEvents(registered, dueClockEvents(registered, now, DEFAULT_SLA_POLICY), now);
    app.store.seed({ ...escalated, version: 3 });
    const token = newToken();
    await app.store.putLink(sha256Hex(token), {
      purpose: 'ack',
      complaintId: registered.id,
      clockId: 'H-01',
      level: 1,
      to: 'supervisor',
      createdAt: now,
      expiresAt: minutesAfter(20 + 7 * 1440),
    });
    return { id: registered.id, token };
  }
  const ackRequest = (method: string, token: string, minutes: number, body?: string) =>
    ack(
      apiEvent({
        method,
        pathParameters: { token },
        body: body ?? null,
        headers: body !== undefined ? FORM : {},
        requestTimeEpoch: epochAt(minutes),
      }),
    );

  it('GET shows what will be acknowledged; POST records it once and marks the link used', async () => {
    const { id, token } = await seedEscalated();
    const page = await ackRequest('GET', token, 25);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('H-01');
    expect(page.body).toContain(id);

    const res = await ackRequest('POST', token, 25, 'name=%E7%8E%8B%E4%B8%BB%E7%AE%A1');
    expect(res.statusCode).toBe(200);
    const escalation = app.store.peek(id)!.complaint.clocks['H-01']!.escalations[0]!;
    expect(escalation).toMatchObject({ level: 1, ackedAt: new Date(epochAt(25)).toISOString(), ackedBy: '王主管' });

    const again = await ackRequest('POST', token, 26, '');
    expect(again.statusCode).toBe(410);
  });

  it('logs the acknowledged escalation level under a key Powertools keeps', async () => {
    const { id, token } = await seedEscalated();
    const { result, output } = await captureOutput(() => ackRequest('POST', token, 25, 'name=Wang'));
    expect(result.statusCode).toBe(200);
    const line = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'escalation acknowledged');
    expect(line).toMatchObject({ complaintId: id, clockId: 'H-01', escalationLevel: 1 });
    expect(output).not.toContain('is a reserved key');
  });

  it('fails with 404 for a survey token used on the ack page', async () => {
    const { token } = await seedSurvey();
    const res = await ackRequest('GET', token, 60);
    expect(res.statusCode).toBe(404);
  });
});
