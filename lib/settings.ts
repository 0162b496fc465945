/**
 * A carrier's settings for the stack, validated at synth time so a wrong address or policy fails
 * `cdk synth` with the field's path instead of failing a complaint weeks later. They come from the
 * CDK context key `complaintLoop` (cdk.json or `-c complaintLoop='{...}'`) or from stack props.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { SlaPolicyError } from '../functions/domain/errors';
import { TEAMS, type Team } from '../functions/domain/types';
import { resolveSlaPolicy } from '../workflows/sla-policy';
import { customerLanguagesSchema, DEFAULT_CUSTOMER_LANGUAGES } from '../functions/config';

export const SETTINGS_CONTEXT_KEY = 'complaintLoop';

/** Lambda caps all environment variables of a function at 4 KB together; keep room for the others. */
const MAX_JSON_ENV_BYTES = 3000;

const email = z.email({ error: 'expected an email address' });
const emails = z.array(email).min(1, { error: 'expected at least one email address' });
const teamContacts = z.strictObject({
  /** Level 1: the team's supervisors get escalations at the deadline. */
  supervisor: emails,
  /** Level 2 and H-24 intake notices for major/urgent complaints. */
  management: emails,
});
const teamsShape = Object.fromEntries(TEAMS.map((team) => [team, teamContacts])) as Record<Team, typeof teamContacts>;

const LOG_RETENTION_VALUES = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');

function isIanaTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export const settingsSchema = z.strictObject({
  /** The From address of every email; must be (or be under a domain) verified in SES. */
  senderAddress: email,
  contacts: z.strictObject({
    teams: z.strictObject(teamsShape),
    /** Who takes over when the loop cannot go on (notify kind 'failure'). */
    operations: emails,
  }),
  /** H-31: customer mail in the complaint's language ('complaint') or in Chinese and English ('both'). */
  customerLanguages: customerLanguagesSchema.default(DEFAULT_CUSTOMER_LANGUAGES),
  /** Subscribed to the alarm topic (failed or timed-out executions, dead letters). */
  alarmEmail: email.optional(),
  timeZone: z
    .string()
    .refine(isIanaTimeZone, { error: 'expected an IANA time zone such as Asia/Shanghai' })
    .default('Asia/Shanghai'),
  /** Overrides merged into the default SLA policy (workflows/sla-policy.ts), by clock id. */
  slaPolicy: z.record(z.string(), z.unknown()).default({}),
  /** Days a closed complaint is kept before DynamoDB's TTL removes it; 0 keeps it forever. */
  retentionDays: z.int({ error: 'expected a whole number of days' }).min(0).max(36_500).default(1095),
  logRetentionDays: z
    .int()
    .refine((d) => LOG_RETENTION_VALUES.includes(d as RetentionDays), {
      error: `expected one of CloudWatch Logs' retention periods (${LOG_RETENTION_VALUES.join(', ')})`,
    })
    .default(RetentionDays.ONE_YEAR),
  /** Stops a `cdk destroy` or a console click from deleting every complaint. */
  deletionProtection: z.boolean().default(true),
  api: z
    .strictObject({
      /** Stage-wide steady requests per second. */
      rateLimit: z.number().positive().default(50),
      burstLimit: z.int().positive().default(100),
      /** Requests per source IP per 5 minutes before WAF blocks it. */
      wafRateLimit: z.int().min(10).max(2_000_000_000).default(1000),
      /** Create API Gateway's account-wide logging role; false when the account already has one. */
      cloudWatchRole: z.boolean().default(true),
    })
    .prefault({}),
});

export type ComplaintLoopSettingsInput = z.input<typeof settingsSchema>;
export type ComplaintLoopSettings = z.output<typeof settingsSchema>;
export type ContactSettings = ComplaintLoopSettings['contacts'];

export interface SettingsIssue {
  readonly path: string;
  readonly message: string;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(readonly issues: readonly SettingsIssue[]) {
    super(`Invalid ${SETTINGS_CONTEXT_KEY} settings:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  }
}

/** 'complaintLoop.contacts.teams.network-operations.supervisor[0]' */
export function formatSettingsPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    SETTINGS_CONTEXT_KEY,
  );
}

/** Placeholders that let `cdk synth` run with no context at all; never deploy them. */
export const PLACEHOLDER_SETTINGS = {
  senderAddress: 'complaints@example.com',
  contacts: {
    teams: Object.fromEntries(
      TEAMS.map((team) => [team, { supervisor: [`${team}-supervisor@example.com`], management: [`${team}-management@example.com`] }]),
    ) as Record<Team, { supervisor: string[]; management: string[] }>,
    operations: ['operations@example.com'],
  },
} as const;

export interface LoadedSettings {
  readonly settings: ComplaintLoopSettings;
  /** Paths of settings that were missing and fell back to example.com placeholders. */
  readonly placeholders: readonly string[];
}

/**
 * Validates raw settings (context value or props). A JSON string is accepted because
 * `-c complaintLoop=...` on the command line arrives as one.
 */
export function loadSettings(raw: unknown): LoadedSettings {
  let input: unknown = raw ?? {};
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      throw new SettingsError([{ path: SETTINGS_CONTEXT_KEY, message: 'expected a JSON object' }]);
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SettingsError([{ path: SETTINGS_CONTEXT_KEY, message: 'expected an object' }]);
  }
  const record = { ...(input as Record<string, unknown>) };
  const placeholders: string[] = [];
  for (const key of ['senderAddress', 'contacts'] as const) {
    if (record[key] === undefined) {
      record[key] = PLACEHOLDER_SETTINGS[key];
      placeholders.push(formatSettingsPath([key]));
    }
  }

  const parsed = settingsSchema.safeParse(record);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => ({ path: formatSettingsPath(i.path), message: i.message })));
  }
  const settings = parsed.data;
  const issues: SettingsIssue[] = [...slaPolicyIssues(settings.slaPolicy)];
  for (const key of ['contacts', 'slaPolicy'] as const) {
    const bytes = Buffer.byteLength(JSON.stringify(settings[key]), 'utf8');
    if (bytes > MAX_JSON_ENV_BYTES) {
      issues.push({
        path: formatSettingsPath([key]),
        message: `is ${bytes} bytes as JSON; Lambda environment variables are limited to 4 KB in all, keep it under ${MAX_JSON_ENV_BYTES}`,
      });
    }
  }
  if (issues.length > 0) throw new SettingsError(issues);
  return { settings, placeholders };
}

/** The SLA policy overrides are validated by the same function the Lambdas use at run time. */
function slaPolicyIssues(overrides: Record<string, unknown>): SettingsIssue[] {
  try {
    resolveSlaPolicy(overrides);
    return [];
  } catch (error) {
    if (error instanceof SlaPolicyError) {
      // Its paths are dotted strings ('clocks.H-01.duration'; '(root)' for the whole object).
      return error.issues.map((i) => ({
        path: i.path === '(root)' ? formatSettingsPath(['slaPolicy']) : `${formatSettingsPath(['slaPolicy'])}.${i.path}`,
        message: i.message,
      }));
    }
    throw error;
  }
}
