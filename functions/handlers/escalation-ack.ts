/** GET|POST /ack/{token} (no IAM: the single-use token is the credential): acknowledge an escalation. */
import { ackHandler } from '../app/pages/ack';
import { policyFromEnv, storeFromEnv } from './compose/environment';

export const handler = ackHandler({ store: storeFromEnv(), policy: policyFromEnv() });
