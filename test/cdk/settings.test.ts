import { describe, expect, it } from 'vitest';
import { RETENTION_DAYS, SENDER_ADDRESS, SLA_POLICY, TIME_ZONE } from '../../functions/contract/environment';
import { API_HANDLERS, WORKFLOW_HANDLERS } from '../../lib/paths';
import {
  environmentBytes,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  LOCAL_SETTINGS,
  loadSettings,
  SETTINGS_ENVIRONMENT_BUDGET_BYTES,
  SettingsError,
  settingsEnvironment,
} from '../../lib/settings';
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
const carrier = synthStack({ settings: CARRIER_SETTINGS });

/** A CloudFormation reference in a variable (table name, bus name, URL) counted at a generous 256 bytes. */
const TOKEN_BYTES = 256;

describe('settings', { timeout: 180_000 }, () => {
  it('fails the synth without carrier settings, naming the setting that is required', () => {
    expect(() => synthStack()).toThrow(
      /complaintLoop: required: the carrier settings \(senderAddress, contacts\.teams, contacts\.operations\)/,
    );
    expect(issuesOf(undefined)).toEqual([{ path: 'complaintLoop', message: expect.stringContaining('cdk.json') }]);
  });

  it('fails naming senderAddress, every team and operations when the object is empty', () => {
    expect(issuesOf({})).toEqual([
      { path: 'complaintLoop.senderAddress', message: expect.stringMatching(/^required: the From address/) },
      {
        path: 'complaintLoop.contacts.teams.network-operations',
        message: expect.stringMatching(/^required: the network-operations team's contacts/),
      },
      {
        path: 'complaintLoop.contacts.teams.customer-service',
        message: expect.stringMatching(/^required: the customer-service team's contacts/),
      },
      { path: 'complaintLoop.contacts.operations', message: expect.stringMatching(/^required: the operations addresses/) },
    ]);
  });

  it('fails naming the one list missing from a team', () => {
    const raw = structuredClone(CARRIER_SETTINGS) as any;
    delete raw.contacts.teams['customer-service'].supervisor;
    expect(issuesOf(raw)).toEqual([
      {
        path: 'complaintLoop.contacts.teams.customer-service.supervisor',
        message: expect.stringMatching(/^required: the customer-service supervisors' addresses/),
      },
    ]);
  });

  it('give the local runtime its own explicit addresses, with the documented defaults', () => {
    const settings = loadSettings(LOCAL_SETTINGS);
    expect(settings.senderAddress).toBe('complaints@example.com');
    expect(settings).toMatchObject({ timeZone: 'Asia/Shanghai', retentionDays: 1095, deletionProtection: true, slaPolicy: {} });
  });

  it('are read from the complaintLoop context, also as a JSON string from the command line', () => {
    const fromContext = synthStack(
      {},
      { complaintLoop: JSON.stringify({ ...CARRIER_SETTINGS, timeZone: 'Asia/Urumqi', retentionDays: 0 }) },
    );
    expect(envOf(fromContext.template, 'notify')).toMatchObject({
      [SENDER_ADDRESS.name]: CARRIER_SETTINGS.senderAddress,
      [TIME_ZONE.name]: 'Asia/Urumqi',
      [RETENTION_DAYS.name]: '0',
    });
  });

  it('pass SLA policy overrides through to every function after validating them', () => {
    const slaPolicy = { clocks: { 'H-01': { duration: 'PT15M' } } };
    const settings = loadSettings({ ...CARRIER_SETTINGS, slaPolicy });
    expect(settings.slaPolicy).toEqual(slaPolicy);
    const { template } = synthStack({ settings: { ...CARRIER_SETTINGS, slaPolicy } });
    expect(JSON.parse(envOf(template, 'clock-tick')[SLA_POLICY.name] as string)).toEqual(slaPolicy);
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

  it("fails for a time zone the calendar cannot use (the calendar's own check)", () => {
    for (const timeZone of ['Beijing', 'Asia/Peking', '']) {
      expect(issuesOf({ ...CARRIER_SETTINGS, timeZone }), timeZone).toEqual([
        { path: 'complaintLoop.timeZone', message: 'expected an IANA time zone such as Asia/Shanghai' },
      ]);
    }
    expect(loadSettings({ ...CARRIER_SETTINGS, timeZone: 'Asia/Urumqi' }).timeZone).toBe('Asia/Urumqi');
  });

  it("H-31: customer mail follows the complaint's language by default, or both languages; CUSTOMER_LANGUAGES carries it", () => {
    expect(loadSettings(CARRIER_SETTINGS).customerLanguages).toBe('complaint');
    expect(loadSettings({ ...CARRIER_SETTINGS, customerLanguages: 'both' }).customerLanguages).toBe('both');
    expect(envOf(synthStack({ settings: { ...CARRIER_SETTINGS, customerLanguages: 'both' } }).template, 'notify').CUSTOMER_LANGUAGES).toBe(
      'both',
    );
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

  it('fails when contacts and SLA overrides together are too large for a Lambda environment', () => {
    // Each alone is well under the budget; together they are over it.
    const raw = structuredClone(CARRIER_SETTINGS) as any;
    raw.contacts.teams['network-operations'].supervisor = Array.from({ length: 50 }, (_, i) => `supervisor-${i}@carrier.cn`);
    const alone = environmentBytes(settingsEnvironment(loadSettings(raw)));
    expect(alone).toBeLessThan(SETTINGS_ENVIRONMENT_BUDGET_BYTES);
    const slaPolicy = { clocks: { 'H-11': { note: 'Registered within 24 hours of receipt. '.repeat(35) } } };
    expect(environmentBytes(settingsEnvironment(loadSettings({ ...CARRIER_SETTINGS, slaPolicy })))).toBeLessThan(
      SETTINGS_ENVIRONMENT_BUDGET_BYTES,
    );
    const issues = issuesOf({ ...raw, slaPolicy });
    expect(issues.map((i) => i.path)).toEqual(['complaintLoop.contacts + complaintLoop.slaPolicy']);
    expect(issues[0]!.message).toMatch(/bytes together .* Lambda allows 4096 bytes/);
  });

  it("leave the stack's own variables room in every function: the settings budget plus the rest fit in 4 KB", () => {
    const { template } = carrier;
    for (const handler of [...WORKFLOW_HANDLERS, ...API_HANDLERS]) {
      const settingsNames = Object.keys(settingsEnvironment(loadSettings(CARRIER_SETTINGS)));
      const own = Object.entries(envOf(template, handler)).filter(([name]) => !settingsNames.includes(name));
      const bytes = own.reduce(
        (sum, [name, value]) => sum + name.length + (typeof value === 'string' ? Buffer.byteLength(value) : TOKEN_BYTES),
        0,
      );
      expect(bytes + SETTINGS_ENVIRONMENT_BUDGET_BYTES, handler).toBeLessThanOrEqual(LAMBDA_ENVIRONMENT_LIMIT_BYTES);
    }
  });

  it('fails for an SES configuration set name SES would refuse, and names a valid one in the send policy', () => {
    expect(issuesOf({ ...CARRIER_SETTINGS, sesConfigurationSet: 'events for bounces' }).map((i) => i.path)).toEqual([
      'complaintLoop.sesConfigurationSet',
    ]);
    expect(loadSettings({ ...CARRIER_SETTINGS, sesConfigurationSet: 'bounce-events' }).sesConfigurationSet).toBe('bounce-events');
  });

  it('fails for a context value that is not a JSON object', () => {
    expect(issuesOf('{not json')).toEqual([{ path: 'complaintLoop', message: 'expected a JSON object' }]);
    expect(issuesOf([1, 2])).toEqual([{ path: 'complaintLoop', message: 'expected an object' }]);
  });
});
