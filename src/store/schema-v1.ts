/**
 * Schema version 1. Documented for users in docs/SCHEMA.md: change both together.
 *
 * Conventions (DESIGN.md, "Units and conventions"):
 * - prices are INTEGER 1/10,000 dollar, quantities INTEGER 1/1e9 share, times INTEGER epoch ms;
 * - TCA values that may be fractional price units (arrival_mid, avg_price, vwap) are REAL but
 *   still in price units, so a report reads back bit-for-bit (dividing by 10,000 would not);
 * - the *_usd and *_shares columns are VIRTUAL generated columns: free for people querying with
 *   sqlite3, never written, never out of step with the integer columns.
 *
 * Tables are STRICT so a fractional price or quantity is refused instead of silently stored as
 * REAL in an INTEGER column (needs SQLite >= 3.37 to read, 2021).
 */
export const SCHEMA_V1 = `
CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL CHECK (kind IN ('sim', 'paper', 'live', 'tune')),
  created_at   INTEGER NOT NULL,
  command      TEXT    NOT NULL,
  config_json  TEXT    NOT NULL CHECK (json_valid(config_json)),
  seed         TEXT,
  data_ref     TEXT    NOT NULL,
  code_version TEXT    NOT NULL
) STRICT;

CREATE TABLE executions (
  id                   INTEGER PRIMARY KEY,
  run_id               INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  execution_key        TEXT    NOT NULL,
  pair_key             TEXT    NOT NULL,
  strategy             TEXT    NOT NULL,
  symbol               TEXT    NOT NULL,
  date                 TEXT    NOT NULL,
  side                 TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  qty                  INTEGER NOT NULL CHECK (qty >= 0),
  decision_time        INTEGER NOT NULL,
  arrival_time         INTEGER,
  arrival_bid          INTEGER,
  arrival_ask          INTEGER,
  arrival_bid_size     REAL,
  arrival_ask_size     REAL,
  arrival_mid          REAL,
  outcome              TEXT    NOT NULL CHECK (outcome IN ('filled', 'partial', 'failed')),
  reason               TEXT,
  filled_qty           INTEGER NOT NULL CHECK (filled_qty >= 0),
  avg_price            REAL,
  cost_bps             REAL,
  cost_cents_per_share REAL,
  effective_cost_bps   REAL,
  vwap                 REAL,
  vwap_cost_bps        REAL,
  alert                INTEGER NOT NULL CHECK (alert IN (0, 1)),
  repegs               INTEGER NOT NULL,
  used_fallback        INTEGER NOT NULL CHECK (used_fallback IN (0, 1)),
  duration_ms          INTEGER NOT NULL,
  qty_shares           REAL GENERATED ALWAYS AS (qty / 1e9) VIRTUAL,
  filled_qty_shares    REAL GENERATED ALWAYS AS (filled_qty / 1e9) VIRTUAL,
  arrival_mid_usd      REAL GENERATED ALWAYS AS (arrival_mid / 1e4) VIRTUAL,
  avg_price_usd        REAL GENERATED ALWAYS AS (avg_price / 1e4) VIRTUAL,
  vwap_usd             REAL GENERATED ALWAYS AS (vwap / 1e4) VIRTUAL,
  UNIQUE (run_id, execution_key),
  -- The arrival quote is one value: all of its columns are null together or none is.
  CHECK ((arrival_time IS NULL) = (arrival_bid IS NULL)
     AND (arrival_time IS NULL) = (arrival_ask IS NULL)
     AND (arrival_time IS NULL) = (arrival_bid_size IS NULL)
     AND (arrival_time IS NULL) = (arrival_ask_size IS NULL))
) STRICT;

-- UNIQUE (run_id, execution_key) already indexes the run_id foreign key.
CREATE INDEX executions_run_pair ON executions (run_id, pair_key);

CREATE TABLE child_orders (
  id              INTEGER PRIMARY KEY,
  execution_id    INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  client_order_id TEXT    NOT NULL,
  type            TEXT    NOT NULL CHECK (type IN ('limit', 'market')),
  limit_price     INTEGER,
  qty             INTEGER NOT NULL,
  submitted_at    INTEGER NOT NULL,
  ended_at        INTEGER,
  status          TEXT    NOT NULL CHECK (status IN
                    ('pending', 'accepted', 'partially-filled', 'filled', 'cancelled', 'rejected', 'replaced')),
  reject_reason   TEXT,
  limit_price_usd REAL GENERATED ALWAYS AS (limit_price / 1e4) VIRTUAL,
  qty_shares      REAL GENERATED ALWAYS AS (qty / 1e9) VIRTUAL,
  -- Both unique keys start with execution_id, so they index that foreign key too.
  UNIQUE (execution_id, seq),
  UNIQUE (execution_id, client_order_id)
) STRICT;

CREATE TABLE fills (
  id             INTEGER PRIMARY KEY,
  child_order_id INTEGER NOT NULL REFERENCES child_orders (id) ON DELETE CASCADE,
  execution_id   INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  time           INTEGER NOT NULL,
  price          INTEGER NOT NULL,
  qty            INTEGER NOT NULL,
  nbbo_bid       INTEGER,
  nbbo_ask       INTEGER,
  price_usd      REAL GENERATED ALWAYS AS (price / 1e4) VIRTUAL,
  qty_shares     REAL GENERATED ALWAYS AS (qty / 1e9) VIRTUAL
) STRICT;

CREATE INDEX fills_child_order ON fills (child_order_id);
CREATE INDEX fills_execution ON fills (execution_id);

CREATE TABLE ladder_events (
  id           INTEGER PRIMARY KEY,
  execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  time         INTEGER NOT NULL,
  kind         TEXT    NOT NULL,
  detail       TEXT    NOT NULL,
  UNIQUE (execution_id, seq)
) STRICT;

-- Ordered pairs: each pair appears twice, once from each side, so "X against baseline B" is
-- simply WHERE strategy_b = 'B'. cost_bps_diff > 0 means strategy_a cost more than strategy_b.
CREATE VIEW strategy_pairs AS
SELECT a.run_id,
       a.pair_key,
       a.symbol,
       a.date,
       a.side,
       a.qty,
       a.id AS execution_id_a,
       b.id AS execution_id_b,
       a.strategy AS strategy_a,
       b.strategy AS strategy_b,
       a.cost_bps AS cost_bps_a,
       b.cost_bps AS cost_bps_b,
       a.cost_bps - b.cost_bps AS cost_bps_diff,
       a.cost_cents_per_share - b.cost_cents_per_share AS cents_per_share_diff,
       (a.outcome = 'filled' AND b.outcome = 'filled') AS filled_both
FROM executions AS a
JOIN executions AS b
  ON b.run_id = a.run_id AND b.pair_key = a.pair_key AND b.strategy <> a.strategy;

-- Means of cost columns skip nulls (executions that filled nothing have no cost).
CREATE VIEW strategy_summary AS
SELECT run_id,
       strategy,
       count(*) AS executions,
       sum(outcome = 'filled') AS filled,
       count(cost_bps) AS costed,
       avg(CAST(filled_qty AS REAL) / qty) AS fill_rate,
       avg(cost_bps) AS mean_cost_bps,
       avg(cost_cents_per_share) AS mean_cents_per_share,
       avg(duration_ms) AS mean_duration_ms,
       avg(repegs) AS mean_repegs,
       avg(used_fallback) AS fallback_rate,
       avg(alert) AS alert_rate
FROM executions
GROUP BY run_id, strategy;
`;
