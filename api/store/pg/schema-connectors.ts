// PostgreSQL tables of the connectors part (see the SQLite schema it mirrors).
export const CONNECTOR_SCHEMA = '';
