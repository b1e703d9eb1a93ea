import type { ExecutionReport } from '../engine/execution-report.js';
import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import { recordExecutions } from './record-run.js';
import { StoreError, messageOf } from './store-error.js';

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
  try {
    return db.transaction(() => {
      const id = Number(
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
      const link = db.prepare('UPDATE executions SET rebalance_id = ? WHERE id = ?');
      for (const executionId of recordExecutions(db, runId, executions)) link.run(id, executionId);
      return id;
    })();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(db.name, `recording rebalance "${r.rebalanceId}" of run ${runId} failed: ${messageOf(err)}`, err);
  }
}
