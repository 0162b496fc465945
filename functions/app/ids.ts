/** Deterministic ids and hashes (no randomness where a retry must land on the same thing). */
import { createHash, randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The complaint id of a caller's request id: 'c-' + 26 base32 characters (130 bits) of its
 * SHA-256. The execution is named by it, so a duplicate intake can never start a second one.
 */
export function complaintIdFor(requestId: string): string {
  return `c-${base32(createHash('sha256').update(requestId, 'utf8').digest()).slice(0, 26)}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted, so equal content hashes equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A link token: 32 random bytes (256 bits), base64url, after the complaint id and '_' (complaint
 * ids have no '_'), so the link and its complaint are read together. Only its SHA-256 is stored;
 * the random part alone is the secret.
 */
export function newLinkToken(complaintId?: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  const token = complaintId ? `${complaintId}_${secret}` : secret;
  return { token, hash: sha256Hex(token) };
}

/** Link tokens as they appear in URLs: 43 base64url characters, after a complaint id and '_' (or alone). Anything else is refused unread. */
export const LINK_TOKEN_PATTERN = /^(?:[A-Za-z0-9-]{8,64}_)?[A-Za-z0-9_-]{43}$/;

/** The complaint id a link token names (undefined for a token without one). */
export function complaintIdOfToken(token: string): string | undefined {
  return token.length > 44 && token.at(-44) === '_' ? token.slice(0, -44) : undefined;
}
