/** Link tokens name their complaint, so a link and its complaint are read in one request. */
import { describe, expect, it } from 'vitest';
import { LinkUnusableError } from '../../../functions/app/errors';
import { newLinkToken, sha256Hex } from '../../../functions/app/ids';
import { createLink, usableLink } from '../../../functions/app/links';
import { registeredComplaint } from '../handlers/fixtures';
import { InMemoryComplaintRepository } from '../support/in-memory';

const now = '2026-03-02T02:00:00.000Z';
const link = (complaintId: string) => ({ purpose: 'survey' as const, complaintId, createdAt: now, expiresAt: '2026-03-03T02:00:00.000Z' });

describe('usableLink', () => {
  it('reads a link and the complaint its token names together', async () => {
    const c = registeredComplaint();
    const store = new InMemoryComplaintRepository().seed(c);
    const url = await createLink(store, 'https://x.example', link(c.id));
    const token = url.split('/').at(-1)!;
    expect(token.startsWith(`${c.id}_`)).toBe(true);
    const calls = store.calls.length;
    const found = await usableLink(store, token, 'survey', now);
    expect(found).toMatchObject({ link: link(c.id), tokenHash: sha256Hex(token), stored: { complaint: { id: c.id } } });
    expect(store.calls.slice(calls)).toEqual(['getLinkWithComplaint']);
  });

  it('still reads a link whose token names no complaint (links mailed before tokens named it)', async () => {
    const c = registeredComplaint();
    const store = new InMemoryComplaintRepository().seed(c);
    const { token, hash } = newLinkToken();
    await store.putLink(hash, link(c.id));
    const found = await usableLink(store, token, 'survey', now);
    expect(found.link).toEqual(link(c.id));
    expect(found.stored).toBeUndefined();
  });

  it('fails as unknown when the token names another complaint than its link', async () => {
    const c = registeredComplaint();
    const store = new InMemoryComplaintRepository().seed(c);
    const { token, hash } = newLinkToken(c.id);
    await store.putLink(hash, link('c-other000000000000000000001'));
    await expect(usableLink(store, token, 'survey', now)).rejects.toBeInstanceOf(LinkUnusableError);
  });
});
