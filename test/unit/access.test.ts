import { describe, expect, it } from 'vitest';
import { ACCESS_GROUPS, accessOf, mayAcknowledge, maySee } from '../../functions/domain/access';

const viewer = (...groups: string[]) => ({ id: 'u-1', name: 'someone@carrier.example', groups });

describe('console access by group', () => {
  it('gives a supervisor their own team only, and the right to acknowledge its escalations', () => {
    const access = accessOf(viewer('customer-service:supervisor'));
    expect(access.teams).toEqual(['customer-service']);
    expect(maySee(access, 'customer-service')).toBe(true);
    expect(maySee(access, 'network-operations')).toBe(false);
    expect(mayAcknowledge(access, 'customer-service')).toBe(true);
    expect(mayAcknowledge(access, 'network-operations')).toBe(false);
  });

  it('gives management every team and every acknowledgement (H-24)', () => {
    const access = accessOf(viewer('management'));
    expect(access.allTeams).toBe(true);
    expect(maySee(access, 'network-operations')).toBe(true);
    expect(maySee(access, undefined)).toBe(true);
    expect(mayAcknowledge(access, 'network-operations')).toBe(true);
  });

  it('lets operations see every team without acknowledging', () => {
    const access = accessOf(viewer('operations'));
    expect(access.teams).toEqual(['network-operations', 'customer-service']);
    expect(mayAcknowledge(access, 'customer-service')).toBe(false);
  });

  it('combines a supervisor of two teams', () => {
    const access = accessOf(viewer('network-operations:supervisor', 'customer-service:supervisor'));
    expect(access.teams).toEqual(['network-operations', 'customer-service']);
    expect(access.allTeams).toBe(false);
    expect(maySee(access, undefined)).toBe(false);
  });

  it('fails closed: no known group sees nothing, whatever else it is called', () => {
    const access = accessOf(viewer('Management', 'customer-service:agent', 'admin'));
    expect(access.teams).toEqual([]);
    expect(maySee(access, 'customer-service')).toBe(false);
    expect(mayAcknowledge(access, 'customer-service')).toBe(false);
  });

  it('names every group the user pool must create', () => {
    expect(ACCESS_GROUPS).toEqual(['network-operations:supervisor', 'customer-service:supervisor', 'management', 'operations']);
  });
});
