// PostgreSQL tables of the log part (see the SQLite schema it mirrors).
export const LOG_SCHEMA = '';
