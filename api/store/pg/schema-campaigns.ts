// PostgreSQL tables of the campaigns part (see the SQLite schema it mirrors).
export const CAMPAIGN_SCHEMA = '';
