/**
 * The load → domain → save loop every writer uses: a save is conditional on the version that
 * was loaded, and a conflict (someone else saved in between) reloads and applies again.
 */

import { ComplaintNotFoundError } from '../domain/errors';
import type { AuditEvent, Complaint } from '../domain/types';
import { VersionConflictError } from './errors';
import type { ComplaintRepository, ExtraWrite, SaveOptions, StoredComplaint } from './ports';

export interface Change<R> {
  /** The changed complaint (its version is set here), or undefined to save nothing. */
  readonly complaint?: Complaint;
  readonly audit?: readonly AuditEvent[];
  readonly extra?: readonly ExtraWrite[];
  readonly waitToken?: SaveOptions['waitToken'];
  readonly result: R;
}

export type UpdateOutcome<R> =
  | { readonly ok: true; readonly stored: StoredComplaint; readonly saved: boolean; readonly result: R }
  | { readonly ok: false; readonly reason: 'event-marker' | 'link-used' };

export const MAX_ATTEMPTS = 8;

/**
 * `loaded`: the complaint as the caller already read it in this invocation; the first attempt
 * starts from it instead of reading again (the version condition still guards the save).
 */
export async function updateComplaint<R>(
  store: ComplaintRepository,
  id: string,
  nextDue: (c: Complaint) => string | null,
  change: (current: StoredComplaint) => Change<R> | Promise<Change<R>>,
  loaded?: StoredComplaint,
): Promise<UpdateOutcome<R>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = attempt === 1 && loaded ? loaded : await store.get(id);
    if (!current) throw new ComplaintNotFoundError(id);
    const proposed = await change(current);
    if (!proposed.complaint) return { ok: true, stored: current, saved: false, result: proposed.result };
    const complaint: Complaint = { ...proposed.complaint, version: current.complaint.version + 1 };
    const saved = await store.save(current, complaint, {
      expectedVersion: current.complaint.version,
      audit: proposed.audit,
      extra: proposed.extra,
      waitToken: proposed.waitToken,
      nextDueAt: nextDue(complaint),
    });
    if (saved.ok) return { ok: true, stored: saved.stored, saved: true, result: proposed.result };
    if (saved.reason !== 'version') return { ok: false, reason: saved.reason };
    // Back off a little (with jitter) so concurrent writers do not collide again at once.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt)));
  }
  throw new VersionConflictError(`complaint ${id} kept changing; gave up after ${MAX_ATTEMPTS} attempts`);
}
