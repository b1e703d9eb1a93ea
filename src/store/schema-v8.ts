/**
 * Schema version 8 of the plan (issue 12): alerts. Documented for users in docs/SCHEMA.md: change
 * both together. Versions 6 and 7 belong to other work (issue 9's live executions, issue 11's
 * rebalances); MIGRATIONS keeps the list sequential, so until those are merged in front of it this
 * step runs at its position in the list (see migrations.ts).
 *
 * - `alerts`: one row per alert raised (engine/alerts/), by a simulated run into its record, by a
 *   paper or live execution as it happens. `run_id` is NULL while a live execution is still
 *   running (its run is recorded at its end, which then claims its alerts). An execution raises
 *   each kind at most once, hence the unique index; a rebalance alert names `rebalance_id`
 *   instead of an execution.
 * - `executions` keeps the cost alert's bound and the pre-market spread class it came from, so
 *   an alert read back says what it was judged against (NULL in rows recorded before).
 * - `ladder_events` keeps the alert rule of the decision log's `alert` entries (`alert_code`).
 */
export const SCHEMA_V8 = `
ALTER TABLE executions ADD COLUMN alert_bound_bps REAL;
ALTER TABLE executions ADD COLUMN alert_bound_class TEXT CHECK (alert_bound_class IS NULL OR alert_bound_class IN ('tight', 'normal', 'wide'));
ALTER TABLE ladder_events ADD COLUMN alert_code TEXT CHECK (alert_code IS NULL OR kind = 'alert');

CREATE TABLE alerts (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER REFERENCES runs (id) ON DELETE CASCADE,
  execution_key TEXT    CHECK (execution_key IS NULL OR execution_key <> ''),
  rebalance_id  TEXT    CHECK (rebalance_id IS NULL OR rebalance_id <> ''),
  symbol        TEXT,
  kind          TEXT    NOT NULL CHECK (kind <> ''),
  severity      TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message       TEXT    NOT NULL,
  time          INTEGER NOT NULL,
  recorded_at   INTEGER NOT NULL,
  -- Exactly one subject: an execution or a rebalance.
  CHECK ((execution_key IS NULL) <> (rebalance_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX alerts_once ON alerts (ifnull(run_id, 0), ifnull(execution_key, ''), ifnull(rebalance_id, ''), kind);
CREATE INDEX alerts_by_time ON alerts (time);
CREATE INDEX alerts_by_execution ON alerts (execution_key);
`;
