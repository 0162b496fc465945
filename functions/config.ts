/**
 * Environment reading for the handlers. Each handler reads what it needs once, at module load,
 * so a missing or malformed variable fails the first invocation with a message naming it
 * (CDK sets every variable together with the grant that makes it usable).
 */
import {
  CUSTOMER_LANGUAGES_SETTINGS,
  type CustomerLanguagesSetting,
  customerLanguagesSchema,
  DEFAULT_CUSTOMER_LANGUAGES,
} from './contract/settings';
import type * as z from './domain/zod';
import { envValue } from './env-scope';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function requireEnv(name: string): string {
  const value = envValue(name);
  if (value === undefined || value.trim() === '') throw new ConfigError(`Missing environment variable ${name}`);
  return value;
}

export function optionalEnv(name: string, fallback: string): string {
  const value = envValue(name);
  return value === undefined || value.trim() === '' ? fallback : value;
}

/** A JSON variable validated with `schema`; errors name the variable and the failing path. */
export function jsonEnv<T>(name: string, schema: z.ZodMiniType<T>, fallback?: string): T {
  const raw = fallback === undefined ? requireEnv(name) : optionalEnv(name, fallback);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`Environment variable ${name} is not valid JSON`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first && first.path.length > 0 ? `.${first.path.join('.')}` : '';
    throw new ConfigError(`Environment variable ${name}${where}: ${first?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function integerEnv(name: string, fallback: number): number {
  const raw = optionalEnv(name, String(fallback));
  if (!/^\d+$/.test(raw)) throw new ConfigError(`Environment variable ${name} must be a non-negative integer`);
  return Number(raw);
}

/** PUBLIC_BASE_URL without a trailing slash, so links join cleanly. */
export function baseUrlEnv(name: string): string {
  const raw = requireEnv(name).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(`Environment variable ${name} must be an http(s) URL`);
  return raw;
}

/** CUSTOMER_LANGUAGES, 'complaint' when unset. */
export function customerLanguagesEnv(name: string): CustomerLanguagesSetting {
  const raw = optionalEnv(name, DEFAULT_CUSTOMER_LANGUAGES);
  const parsed = customerLanguagesSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Environment variable ${name} must be one of ${CUSTOMER_LANGUAGES_SETTINGS.join(', ')}`);
  return parsed.data;
}
