/** Builders shared by the domain unit tests (not a test file itself). */
import { classify } from '../../functions/domain/classify';
import { type NewComplaintInput, newComplaint, register } from '../../functions/domain/lifecycle';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../../functions/domain/sla-policy';
import type { Complaint, Severity } from '../../functions/domain/types';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** ISO instant `ms` after `base`. */
export const after = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();

export function intake(overrides: Partial<NewComplaintInput> = {}): NewComplaintInput {
  return {
    requestId: 'req-0001',
    customerId: 'cust-42',
    contact: { phone: '13812345678', email: 'zhang.san@example.com' },
    channel: 'phone',
    source: 'external',
    serviceType: 'network',
    description: '家里手机信号很差，经常掉线。',
    occurredAt: '2026-05-31T12:00:00.000Z',
    ...overrides,
  };
}

/** A classified, registered complaint: received at `t0`, registered at `t0` too. */
export function registered(
  t0: string,
  opts: { input?: Partial<NewComplaintInput>; severity?: Severity; complexity?: 'simple' | 'complex'; policy?: SlaPolicy } = {},
): Complaint {
  const policy = opts.policy ?? DEFAULT_SLA_POLICY;
  const input = intake(opts.input);
  let c = newComplaint(input, { id: 'c-test0001', receivedAt: t0, policyVersion: policy.version });
  const cls = classify(input);
  c = {
    ...c,
    classification: {
      ...cls,
      ...(opts.severity
        ? { severity: opts.severity, type: opts.severity === 'minor' ? 'general' : opts.severity === 'general' ? 'general' : opts.severity }
        : {}),
      ...(opts.complexity ? { complexity: opts.complexity } : {}),
    },
  };
  return register(c, t0, policy).complaint;
}

/** Deep-freezes a value so any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
