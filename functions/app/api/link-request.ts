/**
 * GET /complaints/{id}/links/{kind} (IAM-signed, for an SMS gateway): a fresh, short-lived link
 * for a customer notice. Notification events carry only the complaint id and the link kind, never
 * a token (a token is a credential: anyone reading the bus could use it), so a gateway that texts
 * the customer asks for the link here when it sends.
 */

import { CUSTOMER_LINK_KINDS } from '../../contract/events';
import { SURVEY_CLOCK_ID } from '../../domain/clocks';
import { ComplaintNotFoundError } from '../../domain/errors';
import { HttpError } from '../http';
import { createLink } from '../links';
import type { ComplaintRepository } from '../ports';

export type CustomerLinkKind = (typeof CUSTOMER_LINK_KINDS)[number];

/** A requested link lives a day at most (and never past the survey's close): the gateway asks when it sends. */
export const REQUESTED_LINK_TTL_MS = 24 * 3_600_000;

export interface LinkRequestDeps {
  readonly store: ComplaintRepository;
  readonly publicBaseUrl: string;
}

export interface IssuedLink {
  readonly complaintId: string;
  readonly kind: CustomerLinkKind;
  readonly url: string;
  readonly expiresAt: string;
}

export async function issueCustomerLink(deps: LinkRequestDeps, id: string, kind: string | undefined, now: string): Promise<IssuedLink> {
  if (!CUSTOMER_LINK_KINDS.includes(kind as CustomerLinkKind)) {
    throw new HttpError(404, `Unknown link kind '${kind ?? ''}'; expected one of ${CUSTOMER_LINK_KINDS.join(', ')}`);
  }
  const stored = await deps.store.get(id);
  if (!stored) throw new ComplaintNotFoundError(id);
  const c = stored.complaint;
  const closesAt = c.clocks[SURVEY_CLOCK_ID]?.deadline;
  const open =
    c.status === 'surveying' && c.milestone === 'survey' && !c.survey && closesAt !== undefined && Date.parse(closesAt) > Date.parse(now);
  if (!open) throw new HttpError(409, `The survey of complaint ${id} is not open (status ${c.status})`);
  const expiresAt = new Date(Math.min(Date.parse(closesAt!), Date.parse(now) + REQUESTED_LINK_TTL_MS)).toISOString();
  const url = await createLink(deps.store, deps.publicBaseUrl, { purpose: 'survey', complaintId: id, createdAt: now, expiresAt });
  return { complaintId: id, kind: 'survey', url, expiresAt };
}
