import { beforeEach, describe, expect, it } from 'vitest';
import { compareStrategies } from '../../src/store/compare-strategies.js';
import type { Database } from '../../src/store/database.js';
import { recordExecutions } from '../../src/store/record-run.js';
import { costReport, newRun, useTempDatabase } from './fixtures.js';

const database = useTempDatabase();
let db: Database;
beforeEach(() => {
  db = database();
});

// Three orders (decision times 1, 2, 3); 'ladder' and 'market' run on all of them, 'twap' only
// on order 1 but with another quantity, so it pairs with nothing.
function seed(): { run: number; other: number } {
  const run = newRun(db);
  const other = newRun(db);
  recordExecutions(db, run, [
    costReport('l1', 'ladder', 1, 2, { repegs: 1, durationMs: 1_000 }),
    costReport('l2', 'ladder', 2, 4, { repegs: 2, durationMs: 3_000, usedFallback: true }),
    costReport('l3', 'ladder', 3, null, { durationMs: 5_000 }),
    costReport('m1', 'market', 1, 5, { durationMs: 100 }),
    costReport('m2', 'market', 2, 3, { durationMs: 200 }),
    costReport('m3', 'market', 3, 6, { durationMs: 300, filledQty: 2_500_000_000, outcome: 'partial' }),
    costReport('t1', 'twap', 1, 1, { qty: 20_000_000_000 }),
  ]);
  // Same orders in another run must never pair with the first run's.
  recordExecutions(db, other, [costReport('x1', 'market', 1, 50)]);
  return { run, other };
}

describe('strategy_pairs view', () => {
  it('pairs only executions of the same run with the same pair_key and different strategies', () => {
    const { run, other } = seed();
    const rows = db
      .prepare(
        `SELECT run_id, date, side, strategy_a, strategy_b, cost_bps_a, cost_bps_b, cost_bps_diff, filled_both
         FROM strategy_pairs ORDER BY strategy_a, pair_key`,
      )
      .all();
    const base = { run_id: run, date: '2024-03-01', side: 'sell' };
    expect(rows).toEqual([
      { ...base, strategy_a: 'ladder', strategy_b: 'market', cost_bps_a: 2, cost_bps_b: 5, cost_bps_diff: -3, filled_both: 1 },
      { ...base, strategy_a: 'ladder', strategy_b: 'market', cost_bps_a: 4, cost_bps_b: 3, cost_bps_diff: 1, filled_both: 1 },
      { ...base, strategy_a: 'ladder', strategy_b: 'market', cost_bps_a: null, cost_bps_b: 6, cost_bps_diff: null, filled_both: 0 },
      { ...base, strategy_a: 'market', strategy_b: 'ladder', cost_bps_a: 5, cost_bps_b: 2, cost_bps_diff: 3, filled_both: 1 },
      { ...base, strategy_a: 'market', strategy_b: 'ladder', cost_bps_a: 3, cost_bps_b: 4, cost_bps_diff: -1, filled_both: 1 },
      { ...base, strategy_a: 'market', strategy_b: 'ladder', cost_bps_a: 6, cost_bps_b: null, cost_bps_diff: null, filled_both: 0 },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM strategy_pairs WHERE run_id = ?').get(other)).toEqual({ n: 0 });
  });
});

describe('strategy_summary view', () => {
  it('matches a hand computation', () => {
    const { run } = seed();
    const rows = db
      .prepare('SELECT * FROM strategy_summary WHERE run_id = ? ORDER BY strategy')
      .all(run) as Record<string, number | string>[];
    expect(rows.map((r) => r.strategy)).toEqual(['ladder', 'market', 'twap']);
    const [ladder, market] = rows;
    expect(ladder).toMatchObject({
      executions: 3,
      filled: 2,
      costed: 2,
      mean_repegs: 1, // (1 + 2 + 0) / 3
      mean_duration_ms: 3_000, // (1000 + 3000 + 5000) / 3
      alert_rate: 0,
    });
    expect(ladder?.fill_rate).toBeCloseTo(2 / 3, 12); // 1, 1, 0
    expect(ladder?.mean_cost_bps).toBeCloseTo(3, 12); // (2 + 4) / 2; the failed one has no cost
    expect(ladder?.mean_cents_per_share).toBeCloseTo(0.3, 12);
    expect(ladder?.fallback_rate).toBeCloseTo(1 / 3, 12);
    expect(market).toMatchObject({ executions: 3, filled: 2, costed: 3, mean_duration_ms: 200, fallback_rate: 0 });
    expect(market?.fill_rate).toBeCloseTo((1 + 1 + 0.25) / 3, 12); // 2.5 of 10 shares on m3
    expect(market?.mean_cost_bps).toBeCloseTo(14 / 3, 12);
  });
});

describe('compareStrategies', () => {
  it('gives the paired difference against the baseline', () => {
    const { run } = seed();
    const result = compareStrategies(db, run, 'market');
    expect(result).toHaveLength(1);
    const ladder = result[0];
    expect(ladder).toMatchObject({
      strategy: 'ladder',
      baseline: 'market',
      pairs: 3,
      compared: 2,
      filledBoth: 2,
      better: 1,
      worse: 1,
      ties: 0,
    });
    // Diffs -3 and +1: mean -1, sample sd sqrt(8), standard error sqrt(8) / sqrt(2) = 2.
    expect(ladder?.meanDiffBps).toBeCloseTo(-1, 12);
    expect(ladder?.stdErrBps).toBeCloseTo(2, 12);
    expect(ladder?.meanDiffCentsPerShare).toBeCloseTo(-0.1, 12);
    expect(ladder?.meanCostBps).toBeCloseTo(3, 12);
    expect(ladder?.baselineMeanCostBps).toBeCloseTo(4, 12);
  });

  it('returns nothing for a baseline absent from the run', () => {
    const { run } = seed();
    expect(compareStrategies(db, run, 'nope')).toEqual([]);
  });
});
