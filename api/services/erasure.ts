// Erasure on request (DESIGN.md: personal data can be erased; the anonymous rating stays). One rule for
// the admin API and the CLI: which address, what is erased, what is kept, and how the answer reads.
import { z } from 'zod';
import type { ErasureCounts } from '../store/types-erasure.js';
import type { Site, Store } from '../store/types.js';

/** An email address as surveys store it: trimmed and lower-cased. */
export const contactSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'contact must be the email address the surveys were sent to' }))
  .transform((email) => email.toLowerCase());

/** What stays, said with every answer so nobody reads an erasure as a deleted rating. */
export const KEPT =
  'kept: each reaction as an anonymous rating (the score, the event chain and the public log do not change), ' +
  'and the opt-out list, which holds SHA-256 hashes of addresses, not addresses, so the person stays opted out';

export interface ErasureResult {
  site: string;
  contact: string;
  /** false: nothing about this contact was held (never surveyed on this site, or already erased). */
  erased: boolean;
  counts: ErasureCounts;
  kept: string;
  message: string;
}

export async function eraseContact(store: Store, site: Site, contact: string): Promise<ErasureResult> {
  const counts = await store.eraseContact(site.id, contact);
  const erased = Object.values(counts).some((n) => n > 0);
  const message = erased
    ? `erased ${contact} from ${counts.surveys} survey(s) of "${site.slug}": ${counts.comments} comment(s), ${counts.notes} follow-up note(s), ` +
      `${counts.heldComments} held comment(s), ${counts.webhookBodies} stored webhook body(ies), ${counts.emailErrors} email error(s), ${counts.campaignContacts} campaign contact list(s)`
    : `nothing to erase: "${site.slug}" holds no personal data for ${contact} (never surveyed here, or already erased)`;
  return { site: site.slug, contact, erased, counts, kept: KEPT, message };
}
