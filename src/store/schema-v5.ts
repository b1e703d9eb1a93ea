/**
 * Schema version 5: sweeps measure time to complete and every baseline (`tune --max-p95-seconds`,
 * issue 10). Documented for users in docs/SCHEMA.md: change both together.
 *
 * `sweeps` gains `open_keys_json`, the open (SYMBOL|YYYY-MM-DD) of each execution of the plan,
 * written when the sweep's first run has loaded its tapes, so that shards can be merged, and a
 * sweep reported, without the data. `sweep_results` gains `complete_ms`, each execution's time from decision to its last fill
 * (float64, +Infinity when it never filled completely), and accepts the progressive (-3) and
 * passive (-4) baselines. SQLite cannot widen a CHECK in place, so the table is rebuilt with the
 * rows it had (their `complete_ms` is NULL: a sweep stored before this version never measured it).
 */
export const SCHEMA_V5 = `
ALTER TABLE sweeps ADD COLUMN open_keys_json TEXT CHECK (open_keys_json IS NULL OR json_valid(open_keys_json));

CREATE TABLE sweep_results_v5 (
  sweep_id        INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  -- 0, 1, 2, ... index into the spec's candidates; -1 the default configuration, -2 market,
  -- -3 progressive, -4 passive.
  candidate_index INTEGER NOT NULL CHECK (candidate_index >= -4),
  candidate_json  TEXT    NOT NULL CHECK (json_valid(candidate_json)),
  costs           BLOB    NOT NULL,
  filled          BLOB    NOT NULL,
  fallback        BLOB    NOT NULL,
  -- NULL only if the objective was not a number (SQLite stores NaN as NULL).
  objective       REAL,
  fill_rate       REAL    NOT NULL,
  fallback_rate   REAL    NOT NULL,
  complete_ms     BLOB,
  -- The arrays describe the same executions.
  CHECK (length(costs) = 8 * length(filled) AND length(filled) = length(fallback)),
  CHECK (complete_ms IS NULL OR length(complete_ms) = length(costs)),
  PRIMARY KEY (sweep_id, candidate_index)
) STRICT;

INSERT INTO sweep_results_v5 (sweep_id, candidate_index, candidate_json, costs, filled, fallback, objective, fill_rate, fallback_rate)
SELECT sweep_id, candidate_index, candidate_json, costs, filled, fallback, objective, fill_rate, fallback_rate FROM sweep_results;

DROP TABLE sweep_results;
ALTER TABLE sweep_results_v5 RENAME TO sweep_results;
`;
