/**
 * The environment variables the stack sets on the functions and the functions read at module load.
 * Each construct that grants access to a resource sets the variable naming it in the same call, so a
 * function has a variable exactly when its role may use what the variable names.
 * The names are defined here only: lib/ sets them, functions/handlers/compose/environment.ts reads them, and the
 * local runtime gets them from the synthesized template.
 */

/** One variable: its name, what its value is, which construct sets it, and a valid example value. */
export interface EnvironmentVariable<Name extends string = string> {
  readonly name: Name;
  /** What the value is, and what the function does with it. */
  readonly holds: string;
  /** The construct method that sets it (with the grant that makes it usable, where there is one). */
  readonly setBy: string;
  /** A value the functions accept (for docs, tests and benches that load handlers outside the stack). */
  readonly example: string;
}

function variable<const Name extends string>(name: Name, holds: string, setBy: string, example: string): EnvironmentVariable<Name> {
  return { name, holds, setBy, example };
}

export const TABLE_NAME = variable(
  'TABLE_NAME',
  "The complaint table's name: complaints, audit trail, markers, links, quality data.",
  'ComplaintData.grantAccess',
  'complaints',
);

export const RETENTION_DAYS = variable(
  'RETENTION_DAYS',
  'Days a closed complaint is kept before its items expire (whole number; 0 keeps them). Only functions that write get it.',
  'ComplaintData.grantAccess (write actions)',
  '1095',
);

export const STATE_MACHINE_ARN = variable(
  'STATE_MACHINE_ARN',
  "The complaint-loop state machine's ARN: intake starts one execution per complaint on it.",
  'ComplaintWorkflow.grantStartExecution',
  'arn:aws:states:us-east-1:123456789012:stateMachine:complaint-loop',
);

export const DEAD_LETTER_QUEUE_URL = variable(
  'DEAD_LETTER_QUEUE_URL',
  'The URL of the dead-letter queue for intake and callbacks that could not reach the workflow.',
  'ComplaintApi.grantDeadLetters',
  'https://sqs.us-east-1.amazonaws.com/123456789012/complaint-dead-letters',
);

export const PUBLIC_BASE_URL = variable(
  'PUBLIC_BASE_URL',
  "The API stage's public URL (http(s), no trailing slash): the base of survey and acknowledgement links in emails.",
  'ComplaintApi.linkPublicPages',
  'https://complaints.example.com/v1',
);

export const SENDER_ADDRESS = variable(
  'SENDER_ADDRESS',
  'The From address of every email (a verified SES identity).',
  'ComplaintNotifications.grantSend',
  'complaints@example.com',
);

export const CONTACTS = variable(
  'CONTACTS',
  'JSON (contactsSchema): supervisor and management addresses per team, and operations.',
  'ComplaintNotifications.grantSend',
  JSON.stringify({
    teams: {
      'network-operations': { supervisor: ['noc-lead@example.com'], management: ['noc-director@example.com'] },
      'customer-service': { supervisor: ['cs-lead@example.com'], management: ['cs-director@example.com'] },
    },
    operations: ['operations@example.com'],
  }),
);

export const CUSTOMER_LANGUAGES = variable(
  'CUSTOMER_LANGUAGES',
  "H-31: 'complaint' (customer mail in the complaint's language) or 'both' (Chinese and English); 'complaint' when unset.",
  'ComplaintNotifications.grantSend',
  'complaint',
);

export const EVENT_BUS_NAME = variable(
  'EVENT_BUS_NAME',
  "The notification event bus's name: one event per notification, for an SMS gateway to subscribe to.",
  'ComplaintNotifications.grantSend',
  'complaint-loop-notifications',
);

export const TIME_ZONE = variable(
  'TIME_ZONE',
  'The IANA time zone of working days and local dates, unless SLA_POLICY names one.',
  'ComplaintLoopStack (every function)',
  'Asia/Shanghai',
);

export const SLA_POLICY = variable(
  'SLA_POLICY',
  'JSON (slaPolicyOverridesSchema): overrides merged into the default SLA policy; "{}" for none.',
  'ComplaintLoopStack (every function)',
  '{}',
);

/** Every variable of the contract, in the order above. */
export const ENVIRONMENT_VARIABLES = [
  TABLE_NAME,
  RETENTION_DAYS,
  STATE_MACHINE_ARN,
  DEAD_LETTER_QUEUE_URL,
  PUBLIC_BASE_URL,
  SENDER_ADDRESS,
  CONTACTS,
  CUSTOMER_LANGUAGES,
  EVENT_BUS_NAME,
  TIME_ZONE,
  SLA_POLICY,
] as const;

export type EnvironmentVariableName = (typeof ENVIRONMENT_VARIABLES)[number]['name'];

/** Every variable of the contract set to its example: what a handler needs to load outside the stack. */
export function exampleEnvironment(): Record<EnvironmentVariableName, string> {
  return Object.fromEntries(ENVIRONMENT_VARIABLES.map((v) => [v.name, v.example])) as Record<EnvironmentVariableName, string>;
}
