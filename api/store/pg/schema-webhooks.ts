// PostgreSQL tables of the webhooks part (see the SQLite schema it mirrors).
export const WEBHOOK_SCHEMA = '';
