/**
 * The composition root: builds what a handler needs from its environment, once per process
 * (module load), and is the one module of the app that constructs adapters; everything else
 * sees the ports (ports.ts). Each getter reads only its own variables, so a handler fails fast
 * naming the one it lacks.
 */
import { ComplaintStore } from '../../adapters/complaint-store';
import { DeadLetters } from '../../adapters/dead-letters';
import { EventPublisher } from '../../adapters/event-publisher';
import { Mailer } from '../../adapters/mailer';
import { Workflow } from '../../adapters/workflow';
import type { ChangeStreamReader, ComplaintRepository, DeadLetterSink, EventSink, MailSender, WorkflowCallbacks } from '../../app/ports';
import { baseUrlEnv, customerLanguagesEnv, integerEnv, jsonEnv, optionalEnv, requireEnv } from '../../config';
import {
  CONTACTS,
  CUSTOMER_LANGUAGES,
  DEAD_LETTER_QUEUE_URL,
  EVENT_BUS_NAME,
  PUBLIC_BASE_URL,
  RETENTION_DAYS,
  SENDER_ADDRESS,
  SLA_POLICY,
  STATE_MACHINE_ARN,
  TABLE_NAME,
  TIME_ZONE,
} from '../../contract/environment';
import { type Contacts, type CustomerLanguagesSetting, contactsSchema, slaPolicyOverridesSchema } from '../../contract/settings';
import { DEFAULT_SLA_POLICY, resolveSlaPolicy, type SlaPolicy } from '../../domain/sla-policy';

export function storeFromEnv(): ComplaintRepository & ChangeStreamReader {
  // Quality aggregates are kept per local day of the policy's time zone.
  return new ComplaintStore({
    tableName: requireEnv(TABLE_NAME.name),
    retentionDays: integerEnv(RETENTION_DAYS.name, 0),
    timeZone: policyFromEnv().timeZone,
  });
}

/** SLA_POLICY overrides (JSON, may be "{}") on the default policy; TIME_ZONE unless the overrides name one. */
export function policyFromEnv(): SlaPolicy {
  const overrides = jsonEnv(SLA_POLICY.name, slaPolicyOverridesSchema, '{}');
  const timeZone = optionalEnv(TIME_ZONE.name, DEFAULT_SLA_POLICY.timeZone);
  // Only a different zone is an override: the default policy keeps its plain version string.
  const merged = 'timeZone' in overrides || timeZone === DEFAULT_SLA_POLICY.timeZone ? overrides : { ...overrides, timeZone };
  return resolveSlaPolicy(merged);
}

export function contactsFromEnv(): Contacts {
  return jsonEnv(CONTACTS.name, contactsSchema);
}

export function mailerFromEnv(): MailSender {
  return new Mailer(requireEnv(SENDER_ADDRESS.name));
}

export function publisherFromEnv(): EventSink {
  return new EventPublisher(requireEnv(EVENT_BUS_NAME.name));
}

export function workflowFromEnv(needsStart: boolean): WorkflowCallbacks {
  return new Workflow(needsStart ? requireEnv(STATE_MACHINE_ARN.name) : optionalEnv(STATE_MACHINE_ARN.name, '') || undefined);
}

export function deadLettersFromEnv(): DeadLetterSink {
  return new DeadLetters(requireEnv(DEAD_LETTER_QUEUE_URL.name));
}

export function publicBaseUrlFromEnv(): string {
  return baseUrlEnv(PUBLIC_BASE_URL.name);
}

/** H-31: customer mail in the complaint's language or in both (settings `customerLanguages`). */
export function customerLanguagesFromEnv(): CustomerLanguagesSetting {
  return customerLanguagesEnv(CUSTOMER_LANGUAGES.name);
}
