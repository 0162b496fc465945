/**
 * A carrier's settings for the stack, validated at synth time so a wrong address, policy or size
 * fails `cdk synth` with the field's path instead of failing a complaint weeks later. They come
 * from the CDK context key `complaintLoop` (cdk.json or `-c complaintLoop='{...}'`) or from stack
 * props. There are no defaults for the addresses: a stack without them is refused, and the local
 * runtime, tests and benches pass LOCAL_SETTINGS explicitly.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { CONTACTS, SENDER_ADDRESS, SLA_POLICY, TIME_ZONE } from '../functions/contract/environment';
import { customerLanguagesSchema, DEFAULT_CUSTOMER_LANGUAGES, slaPolicyOverridesSchema } from '../functions/contract/settings';
import { isValidTimeZone } from '../functions/domain/calendar';
import { SlaPolicyError } from '../functions/domain/errors';
import { resolveSlaPolicy } from '../functions/domain/sla-policy';
import { TEAMS, type Team } from '../functions/domain/types';

export const SETTINGS_CONTEXT_KEY = 'complaintLoop';

/** Lambda's limit on all environment variables of one function together (names and values). */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;
/**
 * What the settings may use of that limit: the rest is kept for the variables the stack sets
 * itself (table, bus, queue, URLs, Powertools); test/cdk/settings.test.ts checks the largest
 * function's own variables fit in it.
 */
export const SETTINGS_ENVIRONMENT_BUDGET_BYTES = 2816;

/** A missing value says what it is for; a wrong one says what was expected. */
const requiredOr = (what: string, expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `required: ${what}` : expected;

const email = z.email({ error: 'expected an email address' });
const emailsFor = (what: string) =>
  z
    .array(email, { error: requiredOr(what, 'expected a list of email addresses') })
    .min(1, { error: 'expected at least one email address' });
const teamContacts = (team: Team) =>
  z.strictObject(
    {
      /** Level 1: the team's supervisors get escalations at the deadline. */
      supervisor: emailsFor(`the ${team} supervisors' addresses (escalations at the deadline)`),
      /** Level 2 and H-24 intake notices for major/urgent complaints. */
      management: emailsFor(`the ${team} management addresses (level-2 escalations, major complaints)`),
    },
    { error: requiredOr(`the ${team} team's contacts { supervisor: [...], management: [...] }`, 'expected an object') },
  );
const teamsShape = Object.fromEntries(TEAMS.map((team) => [team, teamContacts(team)])) as Record<Team, ReturnType<typeof teamContacts>>;

const LOG_RETENTION_VALUES = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');

/** A missing object is validated as an empty one, so each missing field inside it is named. */
const MISSING = {} as never;

/** SES configuration set names: letters, digits, '_' and '-', at most 64. */
const SES_CONFIGURATION_SET_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const settingsSchema = z.strictObject({
  /** The From address of every email; must be (or be under a domain) verified in SES. */
  senderAddress: z.email({
    error: requiredOr('the From address of every email, an address or domain verified in SES', 'expected an email address'),
  }),
  contacts: z
    .strictObject({
      teams: z.strictObject(teamsShape).prefault(MISSING),
      /** Who takes over when the loop cannot go on (notify kind 'failure'). */
      operations: emailsFor('the operations addresses, told when a complaint cannot go on'),
    })
    .prefault(MISSING),
  /** H-31: customer mail in the complaint's language ('complaint') or in Chinese and English ('both'). */
  customerLanguages: z._default(customerLanguagesSchema, DEFAULT_CUSTOMER_LANGUAGES),
  /** Subscribed to the alarm topic (failed or timed-out executions, dead letters). */
  alarmEmail: email.optional(),
  /**
   * The SES configuration set the sender identity uses by default, if it has one: SES authorizes a
   * send against it too, so the send policy names it. Without it, any configuration set of the
   * account and region is allowed (a default set the carrier did not mention still works).
   */
  sesConfigurationSet: z
    .string()
    .regex(SES_CONFIGURATION_SET_NAME, { error: "expected an SES configuration set name (letters, digits, '_' or '-', at most 64)" })
    .optional(),
  // The same check the calendar uses at run time, so synth refuses exactly what the Lambdas would.
  timeZone: z.string().refine(isValidTimeZone, { error: 'expected an IANA time zone such as Asia/Shanghai' }).default('Asia/Shanghai'),
  /** Overrides merged into the default SLA policy (functions/domain/sla-policy.ts), by clock id. */
  slaPolicy: z._default(slaPolicyOverridesSchema, {}),
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
  /** Console sign-in (Amazon Cognito user pool with hosted login); without it the console is behind IAM. */
  signIn: z
    .strictObject({
      /** The hosted login's prefix (`https://<prefix>.auth.<region>.amazoncognito.com`); default `<stack name>-<account>`. */
      domainPrefix: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { error: 'expected lowercase letters, digits and hyphens (1-63 characters)' })
        .refine((prefix) => !/aws|amazon|cognito/.test(prefix), { error: 'may not contain "aws", "amazon" or "cognito"' })
        .optional(),
      /** Names of SAML/OIDC identity providers added to the user pool, offered on the hosted login. */
      identityProviders: z.array(z.string().min(1).max(32)).default([]),
    })
    .optional(),
});

export type ComplaintLoopSettingsInput = z.input<typeof settingsSchema>;
export type ComplaintLoopSettings = z.output<typeof settingsSchema>;
/** The strict synth-time form of CONTACTS: ComplaintNotifications takes it as the contract's `Contacts`. */
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
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), SETTINGS_CONTEXT_KEY);
}

/**
 * The addresses `npm start`, the tests and the benches run with (local SES accepts any address),
 * and console sign-in, so the console runs locally behind the same authorizer as on AWS (the local
 * runtime stands in for the user pool). Never deployed: the stack only gets them when a caller
 * passes them as props.
 */
export const LOCAL_SETTINGS: ComplaintLoopSettingsInput & Pick<ComplaintLoopSettings, 'senderAddress' | 'contacts'> = {
  senderAddress: 'complaints@example.com',
  contacts: {
    teams: Object.fromEntries(
      TEAMS.map((team) => [team, { supervisor: [`${team}-supervisor@example.com`], management: [`${team}-management@example.com`] }]),
    ) as ContactSettings['teams'],
    operations: ['operations@example.com'],
  },
  signIn: {},
};

/**
 * Validates raw settings (context value or props). A JSON string is accepted because
 * `-c complaintLoop=...` on the command line arrives as one. Missing addresses are errors that
 * name the setting and what it is for.
 */
export function loadSettings(raw: unknown): ComplaintLoopSettings {
  const input = parseRaw(raw);
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => ({ path: formatSettingsPath(i.path), message: i.message })));
  }
  const settings = parsed.data;
  const issues: SettingsIssue[] = [...slaPolicyIssues(settings.slaPolicy), ...environmentSizeIssues(settings)];
  if (issues.length > 0) throw new SettingsError(issues);
  return settings;
}

function parseRaw(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) {
    throw new SettingsError([
      {
        path: SETTINGS_CONTEXT_KEY,
        message:
          'required: the carrier settings (senderAddress, contacts.teams, contacts.operations); ' +
          'put them under "context" in cdk.json or pass -c complaintLoop=\'{...}\' (README, "Deploy")',
      },
    ]);
  }
  let input: unknown = raw;
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
  return input as Record<string, unknown>;
}

/**
 * The settings that become environment variables of one function (notify and clock-tick carry
 * all of them), measured as Lambda measures them: names and values.
 */
export function settingsEnvironment(settings: ComplaintLoopSettings): Record<string, string> {
  return {
    [SENDER_ADDRESS.name]: settings.senderAddress,
    [CONTACTS.name]: JSON.stringify(settings.contacts),
    [SLA_POLICY.name]: JSON.stringify(settings.slaPolicy),
    [TIME_ZONE.name]: settings.timeZone,
  };
}

export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  return Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8'), 0);
}

function environmentSizeIssues(settings: ComplaintLoopSettings): SettingsIssue[] {
  const bytes = environmentBytes(settingsEnvironment(settings));
  if (bytes <= SETTINGS_ENVIRONMENT_BUDGET_BYTES) return [];
  return [
    {
      path: `${formatSettingsPath(['contacts'])} + ${formatSettingsPath(['slaPolicy'])}`,
      message:
        `are ${bytes} bytes together (with senderAddress and timeZone) as environment variables; Lambda allows ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes for all of a ` +
        `function's variables and the stack's own need the rest: keep these under ${SETTINGS_ENVIRONMENT_BUDGET_BYTES}`,
    },
  ];
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
