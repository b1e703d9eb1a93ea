/**
 * Schema version 3: simulator fidelity (`better-orders compare`). Documented for users in
 * docs/SCHEMA.md: change both together.
 *
 * One row per comparison of a recorded paper or live execution with the simulator's replay of
 * the same window under the same configuration. The key metrics sit side by side in columns
 * (real_* against sim_*) so fidelity over many executions is one GROUP BY away; the whole
 * simulated report is kept as JSON for anything else.
 */
export const SCHEMA_V3 = `
CREATE TABLE comparisons (
  id                  INTEGER PRIMARY KEY,
  execution_id        INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  created_at          INTEGER NOT NULL,
  seed                TEXT    NOT NULL,
  config_json         TEXT    NOT NULL CHECK (json_valid(config_json)),
  sim_json            TEXT    NOT NULL CHECK (json_valid(sim_json)),
  real_filled_qty     INTEGER NOT NULL CHECK (real_filled_qty >= 0),
  sim_filled_qty      INTEGER NOT NULL CHECK (sim_filled_qty >= 0),
  real_avg_price      REAL,
  sim_avg_price       REAL,
  real_cost_bps       REAL,
  sim_cost_bps        REAL,
  real_time_to_fill_ms INTEGER,
  sim_time_to_fill_ms  INTEGER,
  real_repegs         INTEGER NOT NULL,
  sim_repegs          INTEGER NOT NULL,
  real_used_fallback  INTEGER NOT NULL CHECK (real_used_fallback IN (0, 1)),
  sim_used_fallback   INTEGER NOT NULL CHECK (sim_used_fallback IN (0, 1)),
  real_outcome        TEXT    NOT NULL CHECK (real_outcome IN ('filled', 'partial', 'failed')),
  sim_outcome         TEXT    NOT NULL CHECK (sim_outcome IN ('filled', 'partial', 'failed')),
  -- sim minus real; null when either side has no value.
  avg_price_diff      REAL GENERATED ALWAYS AS (sim_avg_price - real_avg_price) VIRTUAL,
  cost_bps_diff       REAL GENERATED ALWAYS AS (sim_cost_bps - real_cost_bps) VIRTUAL,
  real_avg_price_usd  REAL GENERATED ALWAYS AS (real_avg_price / 1e4) VIRTUAL,
  sim_avg_price_usd   REAL GENERATED ALWAYS AS (sim_avg_price / 1e4) VIRTUAL
) STRICT;

CREATE INDEX comparisons_execution ON comparisons (execution_id);
`;
