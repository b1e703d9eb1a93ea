/**
 * Schema version 2: parameter sweeps (`better-orders tune`). Documented for users in
 * docs/SCHEMA.md: change both together.
 *
 * A sweep's results are written one row per configuration as they arrive, so an interrupted
 * sweep keeps everything it computed and `tune --resume` only runs what is missing. The per
 * execution arrays are BLOBs of raw typed-array bytes rather than child rows: a sweep of 1,000
 * configurations over a few hundred executions would otherwise be hundreds of thousands of rows
 * that nobody queries one by one, and the bytes read back bit for bit.
 */
export const SCHEMA_V2 = `
CREATE TABLE sweeps (
  id           INTEGER PRIMARY KEY,
  created_at   INTEGER NOT NULL,
  status       TEXT    NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
  spec_json    TEXT    NOT NULL CHECK (json_valid(spec_json)),
  code_version TEXT    NOT NULL
) STRICT;

CREATE TABLE sweep_results (
  sweep_id        INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  -- 0, 1, 2, ... index into the spec's candidates; -1 is the default configuration, -2 market.
  candidate_index INTEGER NOT NULL CHECK (candidate_index >= -2),
  candidate_json  TEXT    NOT NULL CHECK (json_valid(candidate_json)),
  costs           BLOB    NOT NULL,
  filled          BLOB    NOT NULL,
  fallback        BLOB    NOT NULL,
  -- NULL only if the objective was not a number (SQLite stores NaN as NULL).
  objective       REAL,
  fill_rate       REAL    NOT NULL,
  fallback_rate   REAL    NOT NULL,
  -- The three arrays describe the same executions.
  CHECK (length(costs) = 8 * length(filled) AND length(filled) = length(fallback)),
  PRIMARY KEY (sweep_id, candidate_index)
) STRICT;
`;
