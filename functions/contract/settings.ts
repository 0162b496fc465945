/**
 * The settings that cross from the stack to the functions as JSON or enumerated variables: the
 * stack validates a carrier's settings against these (with stricter, synth-time messages where it
 * adds its own), and the functions parse the variables with the same schemas.
 */
import * as z from '../domain/zod';

const emails = z._default(z.array(z.email()), []);

/**
 * CONTACTS: who gets warnings, escalations and failure notices. The functions read it tolerantly
 * (a missing list is empty, a team may name more roles); the stack's settings require every team
 * with both lists (lib/settings.ts).
 */
export const contactsSchema = z.object({
  teams: z.record(z.string(), z.catchall(z.object({ supervisor: emails, management: emails }), emails)),
  operations: emails,
});
export type Contacts = z.infer<typeof contactsSchema>;

/**
 * H-31: the language of the customer's mail. 'complaint': the complaint's own (`en` English,
 * `zh-CN` Chinese); 'both': Chinese and English in every customer email. Staff mail is always both.
 * The stack's settings (`customerLanguages`) and the CUSTOMER_LANGUAGES variable share this definition.
 */
export const CUSTOMER_LANGUAGES_SETTINGS = ['complaint', 'both'] as const;
export type CustomerLanguagesSetting = (typeof CUSTOMER_LANGUAGES_SETTINGS)[number];
export const customerLanguagesSchema = z.enum(CUSTOMER_LANGUAGES_SETTINGS, {
  error: `expected one of ${CUSTOMER_LANGUAGES_SETTINGS.join(', ')}`,
});
export const DEFAULT_CUSTOMER_LANGUAGES: CustomerLanguagesSetting = 'complaint';

/**
 * SLA_POLICY: overrides merged into the default policy by clock id (functions/domain/sla-policy.ts
 * `resolveSlaPolicy` checks their content, at synth and at run time alike).
 */
export const slaPolicyOverridesSchema = z.record(z.string(), z.unknown());
export type SlaPolicyOverrides = z.infer<typeof slaPolicyOverridesSchema>;
