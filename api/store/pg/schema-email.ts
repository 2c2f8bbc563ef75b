// PostgreSQL tables of the email part (see the SQLite schema it mirrors).
export const EMAIL_SCHEMA = '';
