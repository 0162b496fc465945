/** API Gateway REQUEST authorizer for the console routes: the session cookie's ID token → who is asking. */
import { consoleAuthorizer } from '../app/console/console-authorizer';
import { idTokensFromEnv } from './compose/sign-in-environment';

export const handler = consoleAuthorizer({ verifier: idTokensFromEnv() });
