/** GET /console/sign-in, /console/callback, /console/sign-out, /console/signed-out (no authorizer). */
import { signInHandler } from '../app/sign-in';
import { signInFromEnv } from '../app/sign-in-environment';

export const handler = signInHandler(signInFromEnv());
