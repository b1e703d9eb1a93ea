import type { ExecutionReport } from '../engine/execution-report.js';
import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import { recordExecutions } from './record-run.js';
import { storeStep } from './store-error.js';

/** One rebalance as the store keeps it (Money in 1/10,000 dollar, like prices). */
export interface RebalanceRecord {
  readonly rebalanceId: string;
  readonly date: string;
  readonly decisionTime: EpochMs;
  readonly planTime: EpochMs;
  readonly outcome: 'completed' | 'partial' | 'failed';
  readonly reason: string | null;
  readonly cashBefore: number;
  readonly cashAfter: number;
  readonly equityBefore: number;
  readonly equityAfter: number;
  readonly costBps: number | null;
  readonly costUsd: number;
  readonly maxDriftPct: number;
  readonly targets: unknown;
  readonly plan: unknown;
  readonly summary: unknown;
}

/**
 * Records a rebalance and its legs' executions in ONE transaction, each execution linked to it
 * (executions.rebalance_id). Returns the new rebalances.id.
 *
 * @throws StoreError naming the rebalance; nothing is written then.
 */
export function recordRebalance(db: Database, runId: number, r: RebalanceRecord, executions: readonly ExecutionReport[]): number {
  return storeStep(db, `recording rebalance "${r.rebalanceId}" of run ${runId}`, () =>
    db.transaction(() => {
      const id = insertRebalanceRow(db, runId, r);
      linkToRebalance(db, id, recordExecutions(db, runId, executions));
      return id;
    })(),
  );
}

/** A stored rebalance: its row, its summary and plan as recorded, and its legs' executions.id. */
export interface StoredRebalance {
  readonly id: number;
  readonly runId: number;
  readonly rebalanceId: string;
  readonly date: string;
  readonly decisionTime: EpochMs;
  readonly outcome: string;
  readonly reason: string | null;
  readonly targets: unknown;
  readonly plan: unknown;
  readonly summary: unknown;
  readonly executionIds: readonly number[];
}

/**
 * The rebalance a user names: its rebalances.id (a number) or its rebalance id (the newest run's
 * when several runs recorded it). Undefined when there is none.
 */
export function readRebalance(db: Database, ref: string): StoredRebalance | undefined {
  const byId = /^\d+$/.test(ref) ? db.prepare('SELECT * FROM rebalances WHERE id = ?').get(Number(ref)) : undefined;
  const row = (byId ?? db.prepare('SELECT * FROM rebalances WHERE rebalance_key = ? ORDER BY id DESC LIMIT 1').get(ref)) as
    | { id: number; run_id: number; rebalance_key: string; date: string; decision_time: number; outcome: string; reason: string | null; targets_json: string; plan_json: string; summary_json: string }
    | undefined;
  if (row === undefined) return undefined;
  const legs = db.prepare('SELECT id FROM executions WHERE rebalance_id = ? ORDER BY id').all(row.id) as { id: number }[];
  return {
    id: row.id,
    runId: row.run_id,
    rebalanceId: row.rebalance_key,
    date: row.date,
    decisionTime: row.decision_time,
    outcome: row.outcome,
    reason: row.reason,
    targets: JSON.parse(row.targets_json) as unknown,
    plan: JSON.parse(row.plan_json) as unknown,
    summary: JSON.parse(row.summary_json) as unknown,
    executionIds: legs.map((l) => l.id),
  };
}

/** Inserts one `rebalances` row (inside the caller's transaction) and returns its id. */
export function insertRebalanceRow(db: Database, runId: number, r: RebalanceRecord): number {
  return Number(
    db
      .prepare(
        `INSERT INTO rebalances (run_id, rebalance_key, date, decision_time, plan_time, outcome, reason,
           cash_before, cash_after, equity_before, equity_after, cost_bps, cost_usd, max_drift_pct,
           targets_json, plan_json, summary_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        runId, r.rebalanceId, r.date, r.decisionTime, r.planTime, r.outcome, r.reason,
        r.cashBefore, r.cashAfter, r.equityBefore, r.equityAfter, r.costBps, r.costUsd, r.maxDriftPct,
        JSON.stringify(r.targets), JSON.stringify(r.plan), JSON.stringify(r.summary),
      ).lastInsertRowid,
  );
}

/** Links execution records to their rebalance (inside the caller's transaction). */
export function linkToRebalance(db: Database, rebalanceId: number, executionRecordIds: readonly number[]): void {
  const link = db.prepare('UPDATE executions SET rebalance_id = ? WHERE id = ?');
  for (const e of executionRecordIds) link.run(rebalanceId, e);
}
