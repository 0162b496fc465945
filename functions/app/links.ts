/**
 * Single-use, expiring link tokens (survey and escalation acknowledgement): 256 random bits in
 * the URL, only their SHA-256 in the table. A link is usable once, before its expiry, and only
 * while the step it belongs to is open.
 */
import { LinkUnusableError } from './errors';
import { complaintIdOfToken, LINK_TOKEN_PATTERN, newLinkToken, sha256Hex } from './ids';
import type { ComplaintRepository, LinkRecord, StoredComplaint } from './ports';

export const ACK_LINK_DAYS = 7;

/** A link made but not stored yet: its URL (with the token) and what the store keeps (the token's hash). */
export interface NewLink {
  readonly url: string;
  readonly tokenHash: string;
  readonly link: Omit<LinkRecord, 'usedAt'>;
}

/** Makes a link's token and URL; the caller stores it (alone, or with the claim of the email that carries it). */
export function newLink(baseUrl: string, link: Omit<LinkRecord, 'usedAt'>): NewLink {
  const { token, hash } = newLinkToken(link.complaintId);
  return { url: `${baseUrl}/${link.purpose === 'survey' ? 'survey' : 'ack'}/${token}`, tokenHash: hash, link };
}

export async function createLink(store: ComplaintRepository, baseUrl: string, link: Omit<LinkRecord, 'usedAt'>): Promise<string> {
  const made = newLink(baseUrl, link);
  await store.putLink(made.tokenHash, link);
  return made.url;
}

/**
 * The link behind a token, or LinkUnusableError (unknown, used, expired). A token that names its
 * complaint is read with the complaint in one request (`stored`); one that does not, alone.
 */
export async function usableLink(
  store: ComplaintRepository,
  token: string | undefined,
  purpose: LinkRecord['purpose'],
  now: string,
): Promise<{ link: LinkRecord; tokenHash: string; stored?: StoredComplaint }> {
  // Malformed tokens are refused without a table read.
  if (!token || !LINK_TOKEN_PATTERN.test(token)) throw new LinkUnusableError('unknown');
  const tokenHash = sha256Hex(token);
  const complaintId = complaintIdOfToken(token);
  const read = complaintId ? await store.getLinkWithComplaint(tokenHash, complaintId) : { link: await store.getLink(tokenHash) };
  const { link } = read;
  if (!link || link.purpose !== purpose || (complaintId !== undefined && link.complaintId !== complaintId)) {
    throw new LinkUnusableError('unknown');
  }
  if (link.usedAt) throw new LinkUnusableError('used');
  if (Date.parse(link.expiresAt) <= Date.parse(now)) throw new LinkUnusableError('expired');
  return { link, tokenHash, ...('stored' in read ? { stored: read.stored } : {}) };
}
