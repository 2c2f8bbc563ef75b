// PostgreSQL tables of the held part (see the SQLite schema it mirrors).
export const HELD_SCHEMA = '';
