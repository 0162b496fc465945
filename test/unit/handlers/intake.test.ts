import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { intakeHandler } from '../../../functions/app/api/intake';
import { apiEvent, captureOutput, inMemoryApp, load, named, setEnv } from './support';

let app: ReturnType<typeof inMemoryApp>;
let handler: ReturnType<typeof intakeHandler>;

beforeEach(() => {
  app = inMemoryApp();
  handler = intakeHandler(app);
});
afterEach(() => vi.restoreAllMocks());

const validBody = {
  requestId: 'crm-2026-000123',
  customerId: 'cust-42',
  contact: { phone: '13812345678', email: 'li.lei@example.com' },
  channel: 'phone',
  source: 'external',
  serviceType: 'network',
  description: '家里宽带从昨晚开始无法上网，已重启光猫多次仍无效。',
  occurredAt: '2026-03-01T20:00:00+08:00',
};

function post(body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return handler(
    apiEvent({
      method: 'POST',
      path: '/complaints',
      resource: '/complaints',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers,
    }),
  );
}

const stored = (id: string) => app.store.peek(id);

describe('intake (POST /complaints)', () => {
  it('accepts a complaint: 202 with the id and status URL, one record, one execution named by the id', async () => {
    const res = await post(validBody);

    expect(res.statusCode).toBe(202);
    const body = JSON.parse(res.body);
    expect(body).toEqual({
      complaintId: expect.stringMatching(/^c-[a-z2-7]{26}$/),
      status: 'accepted',
      statusUrl: `/complaints/${body.complaintId}`,
    });
    const record = stored(body.complaintId)!;
    expect(record.complaint).toMatchObject({
      id: body.complaintId,
      requestId: 'crm-2026-000123',
      status: 'open',
      version: 0,
      description: validBody.description,
    });
    expect(record.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await app.store.history(body.complaintId)).map((e) => e.type)).toEqual(['received']);
    expect(app.workflow.started).toEqual([body.complaintId]);
  });

  it('answers a duplicate (same request id, same body) identically and starts no second execution', async () => {
    const first = await post(validBody);
    // Same content, other key order: the same body.
    const { description, ...rest } = validBody;
    const second = await post({ description, ...rest });

    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.body).toBe(first.body);
    expect(app.workflow.started).toHaveLength(1);
    expect(app.deadLetters.letters).toHaveLength(0);
  });

  it('takes the idempotency key from the Idempotency-Key header when the body has none', async () => {
    const { requestId: _r, ...noId } = validBody;
    const viaHeader = await post(noId, { 'content-type': 'application/json; charset=utf-8', 'Idempotency-Key': 'crm-2026-000123' });
    expect(viaHeader.statusCode).toBe(202);
    // The same key in the body lands on the same complaint.
    const viaBody = await post(validBody);
    expect(JSON.parse(viaBody.body).complaintId).toBe(JSON.parse(viaHeader.body).complaintId);
  });

  it('fails with 409 when the request id comes again with a different body, and starts nothing', async () => {
    await post(validBody);

    const res = await post({ ...validBody, description: '另一个问题' });

    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body).message).toMatch(/different body/);
    expect(app.workflow.started).toHaveLength(1);
  });

  it('fails with 400 naming each failing field, and writes or starts nothing', async () => {
    const res = await post({
      ...validBody,
      contact: {},
      channel: 'fax',
      occurredAt: 'yesterday',
      description: 'x'.repeat(4001),
      colour: 'red',
    });

    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.message).toBe('Invalid request');
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['contact', 'channel', 'occurredAt', 'description', 'colour']));
    expect(app.store.calls).toHaveLength(0);
    expect(app.workflow.started).toHaveLength(0);
  });

  it("keeps the upstream's receivedAt (H-11) as the receipt, the request time as acceptedAt, and hashes it into the body", async () => {
    // The request is at 2026-03-02T02:00:00Z (support.apiEvent); the call was taken 3 h earlier, in Beijing time.
    const res = await post({ ...validBody, receivedAt: '2026-03-02T07:00:00+08:00' });
    expect(res.statusCode).toBe(202);
    const id = JSON.parse(res.body).complaintId;
    expect(stored(id)!.complaint).toMatchObject({ receivedAt: '2026-03-01T23:00:00.000Z', acceptedAt: '2026-03-02T02:00:00.000Z' });
    const [received] = await app.store.history(id);
    expect(received).toMatchObject({
      type: 'received',
      at: '2026-03-01T23:00:00.000Z',
      detail: { acceptedAt: '2026-03-02T02:00:00.000Z', receivedUpstream: true },
    });
    const again = await post({ ...validBody, receivedAt: '2026-03-02T07:30:00+08:00' });
    expect(again.statusCode).toBe(409);
  });

  it('defaults receivedAt to the request time', async () => {
    const res = await post(validBody);
    expect(stored(JSON.parse(res.body).complaintId)!.complaint).toMatchObject({
      receivedAt: '2026-03-02T02:00:00.000Z',
      acceptedAt: '2026-03-02T02:00:00.000Z',
    });
  });

  it.each([
    ['more than 1 minute in the future', '2026-03-02T02:01:01Z', /future/],
    ['more than 24 h old', '2026-03-01T01:59:59Z', /24 h/],
    ['without an offset', '2026-03-02T01:00:00', /ISO 8601/],
    ['not a time', 'yesterday', /ISO 8601/],
  ])('fails with 400 naming receivedAt when it is %s, writing and starting nothing', async (_what, receivedAt, message) => {
    const res = await post({ ...validBody, receivedAt });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors).toEqual([{ path: 'receivedAt', message: expect.stringMatching(message) }]);
    expect(app.store.calls).toHaveLength(0);
    expect(app.workflow.started).toHaveLength(0);
  });

  it('accepts receivedAt within the minute of clock skew and at 24 h', async () => {
    expect((await post({ ...validBody, requestId: 'skew-1', receivedAt: '2026-03-02T02:01:00Z' })).statusCode).toBe(202);
    expect((await post({ ...validBody, requestId: 'old-1', receivedAt: '2026-03-01T02:00:00Z' })).statusCode).toBe(202);
  });

  it('fails with 400 naming requestId when neither the body nor the header gives one', async () => {
    const { requestId: _r, ...noId } = validBody;
    const res = await post(noId);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors).toEqual([{ path: 'requestId', message: expect.any(String) }]);
    expect(app.store.calls).toHaveLength(0);
  });

  it('fails with 400 when the header and the body name different request ids', async () => {
    const res = await post(validBody, { 'Content-Type': 'application/json', 'Idempotency-Key': 'other-id' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors[0].path).toBe('requestId');
  });

  it('fails with 400 on malformed JSON', async () => {
    const res = await post('{"customerId": ');
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors).toEqual([{ path: '(body)', message: 'body is not valid JSON' }]);
    expect(app.store.calls).toHaveLength(0);
  });

  it('fails with 413 when the body is over 64 KiB, before parsing it', async () => {
    const res = await post({ ...validBody, description: '投'.repeat(30_000) }); // 90,000 UTF-8 bytes
    expect(res.statusCode).toBe(413);
    expect(app.store.calls).toHaveLength(0);
  });

  it('fails with 415 when the content type is not JSON', async () => {
    const res = await post(validBody, { 'Content-Type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    const latin1 = await post(validBody, { 'Content-Type': 'application/json; charset=iso-8859-1' });
    expect(latin1.statusCode).toBe(415);
    expect(app.store.calls).toHaveLength(0);
  });

  it('keeps the record and answers 202 when StartExecution fails, sending the start to the dead-letter queue', async () => {
    app.workflow.failNext('start', named('ServiceUnavailable', 'Service unavailable'));

    const res = await post(validBody);

    expect(res.statusCode).toBe(202);
    const { complaintId } = JSON.parse(res.body);
    expect(stored(complaintId)).toBeDefined();
    expect(app.workflow.started).toHaveLength(0);
    expect(app.deadLetters.letters).toEqual([expect.objectContaining({ op: 'start-execution', complaintId })]);
  });

  it('fails with 503 when both StartExecution and the dead-letter queue fail (the record is kept for a retry)', async () => {
    app.workflow.failNext('start', named('ServiceUnavailable'));
    app.deadLetters.failNext(named('ServiceUnavailable'));

    const res = await post(validBody);
    expect(res.statusCode).toBe(503);

    // The caller's retry heals it: the same answer as a first success.
    const retry = await post(validBody);
    expect(retry.statusCode).toBe(202);
    expect(app.workflow.started).toEqual([JSON.parse(retry.body).complaintId]);
  });

  it('fails with 503 (not 500) when DynamoDB throttles, writing nothing else', async () => {
    app.store.failNext('createIfAbsent', named('ProvisionedThroughputExceededException'));
    const res = await post(validBody);
    expect(res.statusCode).toBe(503);
    expect(app.store.all()).toHaveLength(0);
    expect(app.workflow.started).toHaveLength(0);
  });

  it('logs no contact details and no description', async () => {
    app.workflow.failNext('start', named('ServiceUnavailable'));
    const { output } = await captureOutput(() => post(validBody));
    expect(output).toContain('complaint accepted');
    expect(output).not.toContain('13812345678');
    expect(output).not.toContain('li.lei@example.com');
    expect(output).not.toContain('光猫');
  });
});

describe('intake configuration', () => {
  it('fails at module load naming a missing variable', async () => {
    setEnv({ TABLE_NAME: undefined });
    vi.resetModules();
    await expect(load('../../../functions/handlers/intake')).rejects.toThrow('Missing environment variable TABLE_NAME');
    setEnv();
  });
});
