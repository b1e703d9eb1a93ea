/**
 * Schema version 9 (issue 11, live part): live rebalances. Documented for users in docs/SCHEMA.md:
 * change both together.
 *
 * - `live_rebalances`: one row per paper or live rebalance, written BEFORE its first order: the
 *   plan it was started with (engine units), the cash and positions it started from, its mode and
 *   its status (`running` until it ends; `working` when orders may still be working at the
 *   broker). It holds the lock of the process running it (as `live_executions` does for one
 *   execution), so a crash can be resumed by one process only. Each leg is a `live_executions` row
 *   keyed `${rebalance_key}:${symbol}`; when the rebalance ends, its `rebalances` row (record_id)
 *   links the legs' `executions` rows.
 */
export const SCHEMA_V9 = `
CREATE TABLE live_rebalances (
  rebalance_key  TEXT    PRIMARY KEY,
  kind           TEXT    NOT NULL CHECK (kind IN ('paper', 'live')),
  status         TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'partial', 'failed', 'working')),
  reason         TEXT,
  decision_time  INTEGER NOT NULL,
  cash_before    INTEGER NOT NULL,
  positions_json TEXT    NOT NULL CHECK (json_valid(positions_json)),
  targets_json   TEXT    NOT NULL CHECK (json_valid(targets_json)),
  plan_json      TEXT    NOT NULL CHECK (json_valid(plan_json)),
  settings_json  TEXT    NOT NULL CHECK (json_valid(settings_json)),
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER,
  lock_pid       INTEGER,
  lock_host      TEXT,
  locked_at      INTEGER,
  record_id      INTEGER REFERENCES rebalances (id) ON DELETE SET NULL
) STRICT;
`;
