// PostgreSQL tables of the core part (see the SQLite schema it mirrors).
export const CORE_SCHEMA = '';
