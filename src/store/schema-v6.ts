/**
 * Schema version 6: live executions (`better-orders execute`). Documented for users in
 * docs/SCHEMA.md: change both together.
 *
 * One row per execution id sent to a broker, written BEFORE the first order: the parent order
 * (symbol, side, quantity, the notional it came from), its decision time and arrival quote, the
 * highest child number ever sent, and the lock of the process working it. A crash leaves the row:
 * a resume checks the command against it, continues the child numbering from it, and writes one
 * record for the whole execution, measured from the original decision and arrival. `record_id`
 * points at that record in `executions`.
 *
 * The lock is a process id on a host: held while `execute` runs, released at its end, taken over
 * after a crash once that process no longer exists on this host.
 */
export const SCHEMA_V6 = `
CREATE TABLE live_executions (
  execution_key    TEXT    PRIMARY KEY,
  kind             TEXT    NOT NULL CHECK (kind IN ('paper', 'live')),
  symbol           TEXT    NOT NULL,
  side             TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  qty              INTEGER NOT NULL CHECK (qty > 0),
  notional         REAL,
  decision_time    INTEGER NOT NULL,
  arrival_time     INTEGER,
  arrival_bid      INTEGER,
  arrival_ask      INTEGER,
  arrival_bid_size REAL,
  arrival_ask_size REAL,
  last_child       INTEGER NOT NULL DEFAULT 0 CHECK (last_child >= 0),
  started_at       INTEGER NOT NULL,
  lock_pid         INTEGER,
  lock_host        TEXT,
  locked_at        INTEGER,
  record_id        INTEGER REFERENCES executions (id) ON DELETE SET NULL,
  qty_shares       REAL GENERATED ALWAYS AS (qty / 1e9) VIRTUAL
) STRICT;
`;
