/** GET /console/sign-in, /console/callback, /console/sign-out, /console/signed-out (no authorizer). */
import { signInHandler } from '../app/console/sign-in';
import { signInFromEnv } from './compose/sign-in-environment';

export const handler = signInHandler(signInFromEnv());
