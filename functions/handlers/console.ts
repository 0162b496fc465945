/** GET /console, /console/complaints/{id}, /console/quality (IAM auth): the read-only complaint console. */
import { consoleHandler } from '../app/console';
import { policyFromEnv, storeFromEnv } from '../app/environment';

export const handler = consoleHandler({ store: storeFromEnv(), policy: policyFromEnv() });
