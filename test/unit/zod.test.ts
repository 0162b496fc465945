/**
 * The schema modules speak zod's English: `zod/mini` loads no locale, so functions/domain/zod.ts
 * sets it, and the messages the API, the forms and the settings report are the ones zod writes.
 * Each case starts from no locale at all (other test files may have set one in this worker) and
 * loads the schema module afresh, so it passes only if loading the module sets English.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { en } from 'zod/locales';
import type * as ZodMini from 'zod/mini';
import { config } from 'zod/mini';
import type * as Api from '../../functions/contract/api';
import type * as Tasks from '../../functions/contract/tasks';
import type * as LifecycleEvents from '../../functions/domain/lifecycle-events';
import type * as SlaPolicy from '../../functions/domain/sla-policy';

/** The module at `path` (relative to this file), loaded anew after the locale is cleared. */
async function freshly<M>(path: string): Promise<M> {
  config({ localeError: undefined });
  vi.resetModules();
  return (await import(/* @vite-ignore */ path)) as M;
}

const messagesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('zod messages in English', () => {
  afterAll(() => {
    config(en());
  });

  it('the intake body: wrong type, too short, unknown key, bad option (contract/api)', async () => {
    const { intakeBodySchema } = await freshly<typeof Api>('../../functions/contract/api');
    const result = intakeBodySchema.safeParse({
      customerId: 7,
      contact: { email: 'someone@example.com' },
      channel: 'fax',
      source: 'external',
      serviceType: 'network',
      description: '   ',
      occurredAt: '2026-03-01T10:00:00+08:00',
      extra: true,
    });
    expect(messagesOf(result)).toEqual([
      { path: 'customerId', message: 'Invalid input: expected string, received number' },
      { path: 'channel', message: 'Invalid option: expected one of "phone"|"online"|"on-site"|"third-party-platform"' },
      { path: 'description', message: 'Too small: expected string to have >=1 characters' },
      { path: '', message: 'Unrecognized key: "extra"' },
    ]);
  });

  it('a lifecycle event and a task payload: too long, bad instant, too few items (domain, contract/tasks)', async () => {
    const { lifecycleEventSchema } = await freshly<typeof LifecycleEvents>('../../functions/domain/lifecycle-events');
    expect(messagesOf(lifecycleEventSchema.safeParse({ type: 'note', eventId: 'e-1', actor: 'a'.repeat(201), text: 'x' }))).toEqual([
      { path: 'actor', message: 'Too big: expected string to have <=200 characters' },
    ]);
    const { notifyRequestSchema } = await freshly<typeof Tasks>('../../functions/contract/tasks');
    expect(messagesOf(notifyRequestSchema.safeParse({ complaintId: 'c-12345678', now: 'yesterday', kinds: [] }))).toEqual([
      { path: 'now', message: 'Invalid ISO datetime' },
      { path: 'kinds', message: 'Too small: expected array to have >=1 items' },
    ]);
  });

  it('the SLA policy overrides name the field and say what was expected (domain/sla-policy)', async () => {
    const { resolveSlaPolicy } = await freshly<typeof SlaPolicy>('../../functions/domain/sla-policy');
    expect(() => resolveSlaPolicy({ clocks: { 'H-01': { pausable: 'yes' } } })).toThrow(
      'clocks.H-01.pausable: Invalid input: expected boolean, received string',
    );
  });

  it("without a locale zod/mini writes only 'Invalid input': what the cases above guard against", async () => {
    const { string } = await freshly<typeof ZodMini>('zod/mini');
    expect(string().safeParse(7).error?.issues[0]?.message).toBe('Invalid input');
  });
});
