// `csat erase <site> --contact <email>`: the CLI side of erasure on request (api/services/erasure.ts),
// for operators who run the server themselves. Same rule and the same answer as the admin API.
import { contactSchema, eraseContact } from '../services/erasure.js';
import type { Site, Store } from '../store/types.js';

export const ERASE_OPTIONS = { contact: { type: 'string' } } as const;

export const ERASE_USAGE = `  erase <site> --contact <email>   erase a contact's personal data (email, name, comments, notes on
                                   them); each reaction stays as an anonymous rating, the score unchanged`;

/** 0 after an erasure or when nothing was held (said so); 2 for a missing or malformed address. */
export async function runErase(store: Store, site: Site, contact: unknown, io: { out: (line: string) => void; err: (line: string) => void }): Promise<number> {
  const parsed = contactSchema.safeParse(contact ?? '');
  if (!parsed.success) {
    io.err('name the contact by email address: csat erase <site> --contact person@example.com');
    return 2;
  }
  const result = await eraseContact(store, site, parsed.data);
  io.out(`${result.message}.`);
  io.out(`${result.kept[0]!.toUpperCase()}${result.kept.slice(1)}.`);
  return 0;
}
