/** GET|POST /ack/{token} (no IAM: the single-use token is the credential): acknowledge an escalation. */
import { showAck, submitAck } from '../app/ack';
import { policyFromEnv, storeFromEnv } from '../app/environment';
import { linkHandler } from '../app/link-handler';

const deps = { store: storeFromEnv(), policy: policyFromEnv() };

export const handler = linkHandler({
  get: (token, now) => showAck(deps, token, now),
  post: (token, form, now) => submitAck(deps, token, form, now),
});
