// A campaign's contact list, numbered: the number is part of the ticketRef of each contact's surveys,
// so a replaced list keeps the numbers of the addresses it keeps and never reuses one of a removed address.
import type { CampaignContact, CampaignStatus, NewCampaignContact } from '../store/types-campaigns.js';

/** The new list with its numbers: an address already on the list (in any case) keeps its number, a new
 * one takes the next never-used number. Returns the list and the next unused number to keep. */
export function numberContacts(
  known: ReadonlyArray<{ n: number; email: string }>,
  nextUnused: number,
  contacts: readonly NewCampaignContact[],
): { contacts: CampaignContact[]; nextUnused: number } {
  const numberOf = new Map(known.map((c) => [c.email, c.n]));
  let next = nextUnused;
  const numbered = contacts.map((contact): CampaignContact => {
    const email = contact.email.toLowerCase();
    return { n: numberOf.get(email) ?? next++, email, name: contact.name, locale: contact.locale };
  });
  return { contacts: numbered, nextUnused: next };
}

/** A stopped campaign is over: nothing stays scheduled. Pausing keeps the schedule for the resume. */
export function nextRunAtAfterStatus(status: CampaignStatus, nextRunAt: number | null): number | null {
  return status === 'stopped' ? null : nextRunAt;
}
