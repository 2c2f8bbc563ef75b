// PostgreSQL table of the reaction rate limit shared by every instance (api/store/pg/rate-limit.ts). It has
// no SQLite counterpart: one SQLite server counts in memory. A row is one client key's current window.
export const RATE_LIMIT_SCHEMA = `
CREATE TABLE rate_limit_hits (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  hits INTEGER NOT NULL CHECK (hits >= 0)
);
-- The sweep deletes windows that ended by this column, without reading live rows.
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start);
`;
