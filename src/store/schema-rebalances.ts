/**
 * The rebalances migration (issue 11): `rebalances`, one row per rebalance of a run, and
 * `executions.rebalance_id`, the link from each leg's execution to its rebalance. Its version is
 * its place in MIGRATIONS (migrations.ts), which stays sequential when other branches add theirs.
 * Documented for users in docs/SCHEMA.md: change both together.
 *
 * Money is INTEGER 1/10,000 dollar as prices are; the costs and drift are REAL (bps, dollars,
 * percentage points). The plan and summary are stored whole as JSON so that the alert rules and
 * reports read them without re-deriving anything.
 */
export const SCHEMA_REBALANCES = `
CREATE TABLE rebalances (
  id             INTEGER PRIMARY KEY,
  run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  rebalance_key  TEXT    NOT NULL,
  date           TEXT    NOT NULL,
  decision_time  INTEGER NOT NULL,
  plan_time      INTEGER NOT NULL,
  outcome        TEXT    NOT NULL CHECK (outcome IN ('completed', 'partial', 'failed')),
  reason         TEXT,
  cash_before    INTEGER NOT NULL,
  cash_after     INTEGER NOT NULL,
  equity_before  INTEGER NOT NULL,
  equity_after   INTEGER NOT NULL,
  cost_bps       REAL,
  cost_usd       REAL    NOT NULL,
  max_drift_pct  REAL    NOT NULL,
  targets_json   TEXT    NOT NULL CHECK (json_valid(targets_json)),
  plan_json      TEXT    NOT NULL CHECK (json_valid(plan_json)),
  summary_json   TEXT    NOT NULL CHECK (json_valid(summary_json)),
  cash_before_usd   REAL GENERATED ALWAYS AS (cash_before / 1e4) VIRTUAL,
  cash_after_usd    REAL GENERATED ALWAYS AS (cash_after / 1e4) VIRTUAL,
  equity_before_usd REAL GENERATED ALWAYS AS (equity_before / 1e4) VIRTUAL,
  equity_after_usd  REAL GENERATED ALWAYS AS (equity_after / 1e4) VIRTUAL,
  UNIQUE (run_id, rebalance_key)
) STRICT;

ALTER TABLE executions ADD COLUMN rebalance_id INTEGER REFERENCES rebalances (id) ON DELETE CASCADE;
CREATE INDEX executions_by_rebalance ON executions (rebalance_id) WHERE rebalance_id IS NOT NULL;
`;
