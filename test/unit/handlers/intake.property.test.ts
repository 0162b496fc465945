import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { intakeHandler } from '../../../functions/app/api/intake';
import { apiEvent, inMemoryApp } from './support';

let app: ReturnType<typeof inMemoryApp>;
let handler: ReturnType<typeof intakeHandler>;

beforeEach(() => {
  app = inMemoryApp();
  handler = intakeHandler(app);
});

const valid: Record<string, unknown> = {
  requestId: 'req-1',
  customerId: 'cust-1',
  contact: { phone: '13812345678' },
  channel: 'online',
  source: 'external',
  serviceType: 'data',
  description: '流量扣费异常',
  occurredAt: '2026-03-01T08:00:00Z',
};
const REQUIRED = ['customerId', 'contact', 'channel', 'source', 'serviceType', 'description', 'occurredAt'];
const ENUMS = ['channel', 'source', 'serviceType', 'severityHint', 'language'];

/** One way to break a valid body, and the field the 400 must name. */
const invalid = fc.oneof(
  fc.constantFrom(...REQUIRED).map((field) => {
    const body = { ...valid };
    delete body[field];
    return { body, field };
  }),
  fc
    .tuple(
      fc.constantFrom(...ENUMS),
      fc
        .string({ maxLength: 30 })
        .filter(
          (s) =>
            !/^(phone|online|on-site|third-party-platform|internal|external|third-party|network|data|device|information-security|minor|general|major|urgent|zh-CN|en)$/.test(
              s,
            ),
        ),
    )
    .map(([field, value]) => ({ body: { ...valid, [field]: value }, field })),
  fc
    .tuple(
      fc.constantFrom(...REQUIRED, 'requestId'),
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })),
    )
    .map(([field, value]) => ({ body: { ...valid, [field]: value }, field })),
  fc
    .string({ minLength: 1, maxLength: 20 })
    .filter(
      (k) =>
        !(k in valid) &&
        !['severityHint', 'language', 'receivedAt', '__proto__', 'constructor'].includes(k) &&
        /^[A-Za-z][A-Za-z0-9_]*$/.test(k),
    )
    .map((key) => ({ body: { ...valid, [key]: 'x' }, field: key })),
  fc.integer({ min: 4001, max: 6000 }).map((n) => ({ body: { ...valid, description: '诉'.repeat(n) }, field: 'description' })),
  fc
    .string({ maxLength: 25 })
    .filter((s) => Number.isNaN(Date.parse(s)) || !/T/.test(s))
    .map((s) => ({ body: { ...valid, occurredAt: s }, field: 'occurredAt' })),
  fc
    .string({ maxLength: 25 })
    .filter((s) => Number.isNaN(Date.parse(s)) || !/T/.test(s))
    .map((s) => ({ body: { ...valid, receivedAt: s }, field: 'receivedAt' })),
  // H-11: a receipt more than 1 min after the request (2026-03-02T02:00Z) or more than 24 h before it.
  fc.oneof(fc.integer({ min: 60_001, max: 400 * 86_400_000 }), fc.integer({ min: -400 * 86_400_000, max: -86_400_001 })).map((ms) => ({
    body: { ...valid, receivedAt: new Date(Date.parse('2026-03-02T02:00:00Z') + ms).toISOString() },
    field: 'receivedAt',
  })),
  fc.constant({ body: { ...valid, contact: {} }, field: 'contact' }),
  fc
    .string({ maxLength: 20 })
    .filter((s) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s))
    .map((email) => ({ body: { ...valid, contact: { email } }, field: 'contact.email' })),
  fc
    .string({ minLength: 1, maxLength: 40 })
    .filter((s) => !/^[A-Za-z0-9._:-]{1,128}$/.test(s))
    .map((requestId) => ({ body: { ...valid, requestId }, field: 'requestId' })),
);

describe('intake rejects invalid payloads (property)', () => {
  it('fails with 400 naming the broken field for 500 generated invalid bodies, writing and starting nothing', async () => {
    await fc.assert(
      fc.asyncProperty(invalid, async ({ body, field }) => {
        const res = await handler(apiEvent({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }));
        expect(res.statusCode).toBe(400);
        const paths = (JSON.parse(res.body).errors as { path: string }[]).map((e) => e.path);
        expect(paths).toContain(field);
        expect(app.store.calls).toHaveLength(0);
        expect(app.workflow.started).toHaveLength(0);
      }),
      { numRuns: 500 },
    );
  });
});
