import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_SETTINGS, SettingsError, loadSettings } from '../../lib/settings';
import { CARRIER_SETTINGS, envOf, synthStack } from './support/synth';

function issuesOf(raw: unknown): { path: string; message: string }[] {
  try {
    loadSettings(raw);
  } catch (error) {
    if (error instanceof SettingsError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a SettingsError');
}

// Synthesized at import: the first synth loads most of aws-cdk-lib and is slow on a busy machine.
const offline = synthStack();

describe('settings', { timeout: 180_000 }, () => {
  it('fall back to example.com placeholders so synth works offline, with a warning for each', () => {
    const { settings, placeholders } = loadSettings(undefined);
    expect(settings.senderAddress).toBe(PLACEHOLDER_SETTINGS.senderAddress);
    expect(settings).toMatchObject({ timeZone: 'Asia/Shanghai', retentionDays: 1095, deletionProtection: true, slaPolicy: {} });
    expect(placeholders).toEqual(['complaintLoop.senderAddress', 'complaintLoop.contacts']);

    const { stack } = offline;
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholders'));
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining('complaintLoop.senderAddress is not set'),
      expect.stringContaining('complaintLoop.contacts is not set'),
    ]);
  });

  it('warn about nothing when the carrier set its addresses', () => {
    const { stack } = synthStack({ settings: CARRIER_SETTINGS });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholders'))).toEqual([]);
  });

  it('are read from the complaintLoop context, also as a JSON string from the command line', () => {
    const fromContext = synthStack({}, { complaintLoop: JSON.stringify({ ...CARRIER_SETTINGS, timeZone: 'Asia/Urumqi', retentionDays: 0 }) });
    expect(envOf(fromContext.template, 'notify')).toMatchObject({
      SENDER_ADDRESS: CARRIER_SETTINGS.senderAddress,
      TIME_ZONE: 'Asia/Urumqi',
      RETENTION_DAYS: '0',
    });
  });

  it('pass SLA policy overrides through to every function after validating them', () => {
    const slaPolicy = { clocks: { 'H-01': { duration: 'PT15M' } } };
    const { settings } = loadSettings({ ...CARRIER_SETTINGS, slaPolicy });
    expect(settings.slaPolicy).toEqual(slaPolicy);
    const { template } = synthStack({ settings: { ...CARRIER_SETTINGS, slaPolicy } });
    expect(JSON.parse(envOf(template, 'clock-tick').SLA_POLICY as string)).toEqual(slaPolicy);
  });

  it('fails with the path of a malformed supervisor address', () => {
    const raw = structuredClone(CARRIER_SETTINGS) as any;
    raw.contacts.teams['network-operations'].supervisor[0] = 'not-an-address';
    expect(issuesOf(raw)).toEqual([
      { path: 'complaintLoop.contacts.teams.network-operations.supervisor[0]', message: 'expected an email address' },
    ]);
  });

  it('fails the synth itself with the field names in the message', () => {
    expect(() => synthStack({ settings: { ...CARRIER_SETTINGS, senderAddress: 'nobody' } })).toThrow(
      /complaintLoop\.senderAddress: expected an email address/,
    );
  });

  it('fails for a team without management addresses, a missing team and an unknown field', () => {
    const raw = structuredClone(CARRIER_SETTINGS) as any;
    raw.contacts.teams['customer-service'].management = [];
    delete raw.contacts.teams['network-operations'];
    raw.senderAdress = 'typo@carrier.cn';
    const issues = issuesOf(raw);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'complaintLoop.contacts.teams.customer-service.management', message: 'expected at least one email address' },
        expect.objectContaining({ path: 'complaintLoop.contacts.teams.network-operations' }),
        expect.objectContaining({ path: 'complaintLoop', message: expect.stringContaining('senderAdress') }),
      ]),
    );
  });

  it('fails for a time zone that is not IANA', () => {
    expect(issuesOf({ ...CARRIER_SETTINGS, timeZone: 'Beijing' })).toEqual([
      { path: 'complaintLoop.timeZone', message: 'expected an IANA time zone such as Asia/Shanghai' },
    ]);
  });

  it("H-31: customer mail follows the complaint's language by default, or both languages; CUSTOMER_LANGUAGES carries it", () => {
    expect(loadSettings(CARRIER_SETTINGS).settings.customerLanguages).toBe('complaint');
    expect(loadSettings({ ...CARRIER_SETTINGS, customerLanguages: 'both' }).settings.customerLanguages).toBe('both');
    expect(envOf(synthStack({ settings: { ...CARRIER_SETTINGS, customerLanguages: 'both' } }).template, 'notify').CUSTOMER_LANGUAGES).toBe('both');
  });

  it('fails for a customerLanguages value it does not know, naming the field', () => {
    expect(issuesOf({ ...CARRIER_SETTINGS, customerLanguages: 'en' })).toEqual([
      { path: 'complaintLoop.customerLanguages', message: 'expected one of complaint, both' },
    ]);
  });

  it('fails for negative retention and a log retention CloudWatch does not offer', () => {
    const paths = issuesOf({ ...CARRIER_SETTINGS, retentionDays: -1, logRetentionDays: 42 }).map((i) => i.path);
    expect(paths.sort()).toEqual(['complaintLoop.logRetentionDays', 'complaintLoop.retentionDays']);
  });

  it('fails for an SLA override the policy rejects, naming the clock field', () => {
    const issues = issuesOf({ ...CARRIER_SETTINGS, slaPolicy: { clocks: { 'H-01': { duration: 'twenty minutes' } } } });
    expect(issues.map((i) => i.path)).toContain('complaintLoop.slaPolicy.clocks.H-01.duration');
  });

  it('fails for contacts too large for a Lambda environment', () => {
    const many = Array.from({ length: 120 }, (_, i) => `supervisor-${i}@carrier.cn`);
    const raw = structuredClone(CARRIER_SETTINGS) as any;
    raw.contacts.teams['network-operations'].supervisor = many;
    expect(issuesOf(raw)).toEqual([
      { path: 'complaintLoop.contacts', message: expect.stringMatching(/4 KB/) },
    ]);
  });

  it('fails for a context value that is not a JSON object', () => {
    expect(issuesOf('{not json')).toEqual([{ path: 'complaintLoop', message: 'expected a JSON object' }]);
    expect(issuesOf([1, 2])).toEqual([{ path: 'complaintLoop', message: 'expected an object' }]);
  });
});
