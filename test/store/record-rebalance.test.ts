import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, SCHEMA_VERSION, userVersion } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open-database.js';
import { recordRebalance, type RebalanceRecord } from '../../src/store/record-rebalance.js';
import { SCHEMA_REBALANCES } from '../../src/store/schema-rebalances.js';
import { recordExecutions } from '../../src/store/record-run.js';
import { StoreError } from '../../src/store/store-error.js';
import { newRun, openTemp, richReport, tempDir } from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const record = (over: Partial<RebalanceRecord> = {}): RebalanceRecord => ({
  rebalanceId: 'RB-1', date: '2013-10-07', decisionTime: 1000, planTime: 1072, outcome: 'partial', reason: 'IBM buy partial',
  cashBefore: 5_000_000, cashAfter: 6_720_296, equityBefore: 767_979_500, equityAfter: 767_202_788,
  costBps: 8.07, costUsd: 87.28, maxDriftPct: 0.11,
  targets: { kind: 'weights', weights: { AIG: 0.4 } }, plan: [{ symbol: 'AIG', side: 'buy', qty: 1, reason: 'r' }], summary: { weightsAfter: { AIG: 0.4 } },
  ...over,
});

describe('recordRebalance', () => {
  it('stores the rebalance with its money in exact units and links each leg execution to it', () => {
    const db = openTemp(dir);
    const runId = newRun(db);
    const id = recordRebalance(db, runId, record(), [richReport({ executionId: 'RB-1:AIG' }), richReport({ executionId: 'RB-1:BAC', symbol: 'BAC' })]);
    const row = db.prepare('SELECT rebalance_key, outcome, reason, cash_after, cash_after_usd, equity_before_usd, cost_bps, max_drift_pct, json_extract(summary_json, \'$.weightsAfter.AIG\') AS aig FROM rebalances WHERE id = ?').get(id);
    expect(row).toEqual({ rebalance_key: 'RB-1', outcome: 'partial', reason: 'IBM buy partial', cash_after: 6_720_296, cash_after_usd: 672.0296, equity_before_usd: 76797.95, cost_bps: 8.07, max_drift_pct: 0.11, aig: 0.4 });
    const linked = db.prepare('SELECT execution_key FROM executions WHERE rebalance_id = ? ORDER BY id').all(id);
    expect(linked).toEqual([{ execution_key: 'RB-1:AIG' }, { execution_key: 'RB-1:BAC' }]);
    // An execution outside any rebalance has no link.
    recordExecutions(db, runId, [richReport({ executionId: 'alone' })]);
    expect(db.prepare("SELECT rebalance_id FROM executions WHERE execution_key = 'alone'").get()).toEqual({ rebalance_id: null });
    db.close();
  });

  it('writes nothing when any part fails: a rebalance id recorded twice in one run', () => {
    const db = openTemp(dir);
    const runId = newRun(db);
    recordRebalance(db, runId, record(), [richReport({ executionId: 'RB-1:AIG' })]);
    expect(() => recordRebalance(db, runId, record(), [richReport({ executionId: 'RB-1:OTHER' })])).toThrow(StoreError);
    expect(db.prepare('SELECT count(*) AS n FROM rebalances').get()).toEqual({ n: 1 });
    expect(db.prepare("SELECT count(*) AS n FROM executions WHERE execution_key = 'RB-1:OTHER'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('upgrades a file of the version before it: its executions keep, with no rebalance', () => {
    const file = join(dir, 'old.sqlite');
    const raw = new BetterSqlite3(file);
    // The version just before the rebalances (later migrations add columns today's writer fills).
    migrate(raw, MIGRATIONS.slice(0, MIGRATIONS.indexOf(SCHEMA_REBALANCES)));
    const runId = newRun(raw);
    raw
      .prepare(
        `INSERT INTO executions (run_id, execution_key, pair_key, strategy, symbol, date, side, qty, decision_time, outcome, filled_qty, alert, repegs, used_fallback, duration_ms)
         VALUES (?, 'before', 'k', 'ladder', 'AIG', '2013-10-07', 'buy', 1000000000, 0, 'filled', 1000000000, 0, 0, 0, 0)`,
      )
      .run(runId);
    expect(() => raw.prepare('SELECT rebalance_id FROM executions').all()).toThrow(/no such column/);
    raw.close();
    const db = openDatabase(file);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT execution_key, rebalance_id FROM executions').all()).toEqual([{ execution_key: 'before', rebalance_id: null }]);
    recordRebalance(db, runId, record(), [richReport({ executionId: 'RB-1:AIG' })]);
    db.close();
  });
});
