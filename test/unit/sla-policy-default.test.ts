/**
 * The default policy is a constant with the schema's defaults filled in by hand, so that no
 * function runs the schema at a cold start: it must be exactly what the schema makes of it.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, DEFAULT_SLA_POLICY_SOURCE, policySchemas, resolveSlaPolicy } from '../../functions/domain/sla-policy';

describe('the default SLA policy', () => {
  it('is exactly what the schema parses its source to (every default filled in, stops as lists)', () => {
    expect(DEFAULT_SLA_POLICY).toStrictEqual(policySchemas().policy.parse(DEFAULT_SLA_POLICY_SOURCE));
  });

  it('is a valid policy as it stands: parsing it again changes nothing', () => {
    expect(policySchemas().policy.parse(DEFAULT_SLA_POLICY)).toStrictEqual(DEFAULT_SLA_POLICY);
  });

  it('an override still goes through the schema, naming the failing field', () => {
    expect(() => resolveSlaPolicy({ clocks: { 'H-01': { duration: '20 minutes' } } })).toThrow(/clocks\.H-01\.duration/);
  });
});
