// What an erasure request leaves behind: the anonymous rating stays (so the score never moves), the
// personal text goes.

/** What an operator's note on an erased answer says afterwards: its follow-up state and time stay. */
export const ERASED_NOTE = '[erased]';
