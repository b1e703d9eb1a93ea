/**
 * Schema version 4: simulated executions say which liquidity model produced them and what they
 * cost with the unfilled remainder charged (`backtest --liquidity conservative,nominal`).
 * Documented for users in docs/SCHEMA.md: change both together.
 *
 * Both columns are null for paper and live executions (a real market has no liquidity model, and
 * charging the unfilled part needs the market after the execution). The views compare strategies
 * within one liquidity model: pair keys of simulated runs include the model.
 */
export const SCHEMA_V4 = `
ALTER TABLE executions ADD COLUMN liquidity TEXT CHECK (liquidity IS NULL OR liquidity <> '');
ALTER TABLE executions ADD COLUMN charged_cost_bps REAL;

DROP VIEW strategy_pairs;
CREATE VIEW strategy_pairs AS
SELECT a.run_id,
       a.pair_key,
       a.liquidity,
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
       a.charged_cost_bps - b.charged_cost_bps AS charged_cost_bps_diff,
       (a.outcome = 'filled' AND b.outcome = 'filled') AS filled_both
FROM executions AS a
JOIN executions AS b
  ON b.run_id = a.run_id AND b.pair_key = a.pair_key AND b.strategy <> a.strategy;

DROP VIEW strategy_summary;
CREATE VIEW strategy_summary AS
SELECT run_id,
       strategy,
       liquidity,
       count(*) AS executions,
       sum(outcome = 'filled') AS filled,
       count(cost_bps) AS costed,
       avg(CAST(filled_qty AS REAL) / qty) AS fill_rate,
       avg(cost_bps) AS mean_cost_bps,
       avg(charged_cost_bps) AS mean_charged_cost_bps,
       avg(cost_cents_per_share) AS mean_cents_per_share,
       avg(duration_ms) AS mean_duration_ms,
       avg(repegs) AS mean_repegs,
       avg(used_fallback) AS fallback_rate,
       avg(alert) AS alert_rate
FROM executions
GROUP BY run_id, strategy, liquidity;
`;
