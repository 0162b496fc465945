/** What the notifying tasks (clock-tick, notify) need, from their environment. */

import type { NotifyDeps } from '../../app/tasks/notify';
import {
  contactsFromEnv,
  customerLanguagesFromEnv,
  mailerFromEnv,
  policyFromEnv,
  publicBaseUrlFromEnv,
  publisherFromEnv,
  storeFromEnv,
} from './environment';

export function notifyDepsFromEnv(): NotifyDeps {
  return {
    store: storeFromEnv(),
    mailer: mailerFromEnv(),
    publisher: publisherFromEnv(),
    policy: policyFromEnv(),
    contacts: contactsFromEnv(),
    publicBaseUrl: publicBaseUrlFromEnv(),
    customerLanguages: customerLanguagesFromEnv(),
  };
}
