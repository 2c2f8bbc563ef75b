// The erasure part of the Store interface: a contact's personal data removed from one site, the
// anonymous ratings kept (DESIGN.md, integrity: erasure never moves the published score).

/** How many of each kind of personal data one erasure removed; all zero when nothing was held. */
export interface ErasureCounts {
  /** Surveys that named the contact (their email and name are cleared). */
  surveys: number;
  /** Answers to those surveys whose comment was cleared (the reaction stays). */
  comments: number;
  /** Follow-up notes on those answers, whose text is replaced (they may quote the comment). */
  notes: number;
  /** Campaign contact lists that held the address (the contact is removed from them). */
  campaignContacts: number;
  /** Answers held for a person to confirm (scanner protection) whose comment was cleared. */
  heldComments: number;
  /** Stored webhook delivery bodies whose copy of the comment was cleared. */
  webhookBodies: number;
  /** Email outbox rows whose last error (which can quote the address) was cleared. */
  emailErrors: number;
}

export interface ErasureStore {
  /** Erases, in one transaction, what the site holds about the contact with this (lower-cased) email
   * address, then checkpoints the WAL so the erased text is left in neither file (secure_delete is on
   * at open). Ratings, events, daily counts and opt-outs (SHA-256 hashes) are kept. */
  eraseContact(siteId: number, email: string): Promise<ErasureCounts>;
}
