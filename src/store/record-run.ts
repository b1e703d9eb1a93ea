import type { ExecutionReport } from '../engine/execution-report.js';
import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import { StoreError, messageOf } from './store-error.js';

export type RunKind = 'sim' | 'paper' | 'live' | 'tune';

export interface RunRecord {
  readonly kind: RunKind;
  /** The command line (or API call) that produced the run, for reproducing it. */
  readonly command: string;
  /** The full configuration; stored as JSON. */
  readonly config: unknown;
  readonly seed: string | number | null;
  /** Tapes or scenario the run used. */
  readonly dataRef: string;
  readonly codeVersion: string;
  /** Defaults to now; pass it for reproducible records. */
  readonly createdAt?: EpochMs;
}

/** Inserts a run and returns its id (runs.id). */
export function recordRun(db: Database, run: RunRecord): number {
  let configJson: string;
  try {
    configJson = JSON.stringify(run.config) ?? 'null';
  } catch (err) {
    throw new StoreError(db.name, `run config is not serialisable to JSON: ${messageOf(err)}`, err);
  }
  const info = db
    .prepare(
      `INSERT INTO runs (kind, created_at, command, config_json, seed, data_ref, code_version)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      run.kind,
      run.createdAt ?? Date.now(),
      run.command,
      configJson,
      run.seed === null ? null : String(run.seed),
      run.dataRef,
      run.codeVersion,
    );
  return Number(info.lastInsertRowid);
}

/**
 * The key that lines up executions of different strategies on the same order: same symbol, date,
 * side, quantity and decision time, and for a simulated one the same liquidity model.
 */
export function pairKeyOf(report: ExecutionReport): string {
  const order = `${report.symbol}|${report.date}|${report.side}|${report.qty}|${report.decisionTime}`;
  return report.liquidity === null ? order : `${order}|${report.liquidity}`;
}

type Statements = ReturnType<typeof prepareStatements>;

// Callers may record one execution at a time as a sim run completes them; re-preparing four
// statements per call would then dominate, so they are kept per connection.
const statementCache = new WeakMap<Database, Statements>();

function prepareStatements(db: Database) {
  return {
    execution: db.prepare(`INSERT INTO executions (
        run_id, execution_key, pair_key, strategy, symbol, date, side, qty, decision_time,
        arrival_time, arrival_bid, arrival_ask, arrival_bid_size, arrival_ask_size, arrival_mid,
        outcome, reason, filled_qty, avg_price, cost_bps, cost_cents_per_share, effective_cost_bps,
        vwap, vwap_cost_bps, alert, repegs, used_fallback, duration_ms, liquidity, charged_cost_bps,
        alert_bound_bps, alert_bound_class)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    child: db.prepare(`INSERT INTO child_orders (
        execution_id, seq, client_order_id, type, limit_price, qty, submitted_at, ended_at, status,
        reject_reason)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    fill: db.prepare(`INSERT INTO fills (
        child_order_id, execution_id, time, price, qty, nbbo_bid, nbbo_ask)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    event: db.prepare(`INSERT INTO ladder_events (execution_id, seq, time, kind, detail, alert_code)
      VALUES (?, ?, ?, ?, ?, ?)`),
  };
}

function statementsFor(db: Database): Statements {
  let statements = statementCache.get(db);
  if (statements === undefined) {
    statements = prepareStatements(db);
    statementCache.set(db, statements);
  }
  return statements;
}

function insertExecution(s: Statements, runId: number, r: ExecutionReport): number {
  const a = r.arrival;
  const t = r.tca;
  const executionId = Number(
    s.execution.run(
      runId, r.executionId, pairKeyOf(r), r.strategy, r.symbol, r.date, r.side, r.qty, r.decisionTime,
      a?.time ?? null, a?.bid ?? null, a?.ask ?? null, a?.bidSize ?? null, a?.askSize ?? null, t.arrivalMid,
      r.outcome, r.reason, r.filledQty, t.avgPrice, t.costBps, t.costCentsPerShare, t.effectiveCostBps,
      t.vwap, t.vwapCostBps, t.alert ? 1 : 0, r.repegs, r.usedFallback ? 1 : 0, r.durationMs,
      r.liquidity, r.chargedCostBps, t.alertBoundBps, t.alertBoundClass,
    ).lastInsertRowid,
  );
  r.childOrders.forEach((c, seq) => {
    const childId = Number(
      s.child.run(
        executionId, seq, c.clientOrderId, c.type, c.limitPrice, c.qty, c.submittedAt, c.endedAt, c.status,
        c.rejectReason,
      ).lastInsertRowid,
    );
    for (const f of c.fills) s.fill.run(childId, executionId, f.time, f.price, f.qty, f.bid, f.ask);
  });
  r.events.forEach((e, seq) => s.event.run(executionId, seq, e.time, e.kind, e.detail, e.code ?? null));
  return executionId;
}

/**
 * Inserts the reports, with their child orders, fills and decision events, in ONE transaction:
 * either all are recorded or none is. Returns the new executions.id of each report, in order.
 *
 * @throws StoreError naming the execution that failed (unknown run, executionId already recorded
 *   in this run, a non-integer price or quantity, ...); nothing is written then.
 */
export function recordExecutions(db: Database, runId: number, reports: readonly ExecutionReport[]): number[] {
  const s = statementsFor(db);
  let current: ExecutionReport | undefined;
  try {
    return db.transaction(() =>
      reports.map((report) => {
        current = report;
        return insertExecution(s, runId, report);
      }),
    )();
  } catch (err) {
    const which = current === undefined ? '' : ` (execution "${current.executionId}")`;
    throw new StoreError(db.name, `recording executions of run ${runId} failed${which}: ${messageOf(err)}`, err);
  }
}
