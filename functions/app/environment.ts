/**
 * Builds what a handler needs from its environment, once per process (module load).
 * Each getter reads only its own variables, so a handler fails fast naming the one it lacks.
 */
import * as z from 'zod';
import { ComplaintStore } from '../adapters/complaint-store';
import { DeadLetters } from '../adapters/dead-letters';
import { EventPublisher } from '../adapters/event-publisher';
import { Mailer } from '../adapters/mailer';
import { Workflow } from '../adapters/workflow';
import {
  baseUrlEnv,
  type Contacts,
  type CustomerLanguagesSetting,
  contactsSchema,
  customerLanguagesEnv,
  integerEnv,
  jsonEnv,
  optionalEnv,
  requireEnv,
} from '../config';
import { DEFAULT_SLA_POLICY, resolveSlaPolicy, type SlaPolicy } from '../domain/sla-policy';
import { envValue } from '../env-scope';

export function storeFromEnv(): ComplaintStore {
  // Quality aggregates are kept per local day of the policy's time zone.
  return new ComplaintStore({
    tableName: requireEnv('TABLE_NAME'),
    retentionDays: integerEnv('RETENTION_DAYS', 0),
    timeZone: policyFromEnv().timeZone,
  });
}

/** SLA_POLICY overrides (JSON, may be "{}") on the default policy; TIME_ZONE unless the overrides name one. */
export function policyFromEnv(): SlaPolicy {
  const overrides = jsonEnv('SLA_POLICY', z.record(z.string(), z.unknown()), '{}');
  const timeZone = optionalEnv('TIME_ZONE', DEFAULT_SLA_POLICY.timeZone);
  // Only a different zone is an override: the default policy keeps its plain version string.
  const merged = 'timeZone' in overrides || timeZone === DEFAULT_SLA_POLICY.timeZone ? overrides : { ...overrides, timeZone };
  return resolveSlaPolicy(merged);
}

export function contactsFromEnv(): Contacts {
  return jsonEnv('CONTACTS', contactsSchema);
}

export function mailerFromEnv(): Mailer {
  return new Mailer(requireEnv('SENDER_ADDRESS'));
}

export function publisherFromEnv(): EventPublisher {
  return new EventPublisher(requireEnv('EVENT_BUS_NAME'));
}

export function workflowFromEnv(needsStart: boolean): Workflow {
  return new Workflow(needsStart ? requireEnv('STATE_MACHINE_ARN') : envValue('STATE_MACHINE_ARN'));
}

export function deadLettersFromEnv(): DeadLetters {
  return new DeadLetters(requireEnv('DEAD_LETTER_QUEUE_URL'));
}

export function publicBaseUrlFromEnv(): string {
  return baseUrlEnv('PUBLIC_BASE_URL');
}

/** H-31: customer mail in the complaint's language or in both (settings `customerLanguages`). */
export function customerLanguagesFromEnv(): CustomerLanguagesSetting {
  return customerLanguagesEnv('CUSTOMER_LANGUAGES');
}
