import type {
  ChildOrderReport,
  ChildStatus,
  ChildType,
  DecisionEvent,
  ExecutionOutcome,
  ExecutionReport,
  FillReport,
} from '../engine/execution-report.js';
import type { EngineAlertCode } from '../engine/alerts/alert.js';
import type { SpreadClass } from '../engine/spread.js';
import type { Side } from '../engine/units.js';
import type { Database } from './database.js';
import { StoreError } from './store-error.js';

/** One stored execution: its row ids next to the report it was recorded from. */
export interface StoredExecution {
  /** executions.id */
  readonly id: number;
  readonly runId: number;
  readonly pairKey: string;
  readonly report: ExecutionReport;
}

interface ExecutionRow {
  id: number;
  run_id: number;
  execution_key: string;
  pair_key: string;
  strategy: string;
  symbol: string;
  date: string;
  side: Side;
  qty: number;
  decision_time: number;
  arrival_time: number | null;
  arrival_bid: number | null;
  arrival_ask: number | null;
  arrival_bid_size: number | null;
  arrival_ask_size: number | null;
  arrival_mid: number | null;
  outcome: ExecutionOutcome;
  reason: string | null;
  filled_qty: number;
  avg_price: number | null;
  cost_bps: number | null;
  cost_cents_per_share: number | null;
  effective_cost_bps: number | null;
  vwap: number | null;
  vwap_cost_bps: number | null;
  alert: number;
  repegs: number;
  used_fallback: number;
  duration_ms: number;
  liquidity: string | null;
  charged_cost_bps: number | null;
  alert_bound_bps: number | null;
  alert_bound_class: SpreadClass | null;
}

interface ChildRow {
  id: number;
  execution_id: number;
  client_order_id: string;
  type: ChildType;
  limit_price: number | null;
  qty: number;
  submitted_at: number;
  ended_at: number | null;
  status: ChildStatus;
  reject_reason: string | null;
}

interface FillRow {
  child_order_id: number;
  time: number;
  price: number;
  qty: number;
  nbbo_bid: number | null;
  nbbo_ask: number | null;
}

interface EventRow {
  execution_id: number;
  time: number;
  kind: string;
  detail: string;
  alert_code: EngineAlertCode | null;
}

// Explicit columns: SELECT * would also return the generated *_usd / *_shares columns.
const EXECUTION_COLUMNS = `e.id, e.run_id, e.execution_key, e.pair_key, e.strategy, e.symbol, e.date, e.side,
  e.qty, e.decision_time, e.arrival_time, e.arrival_bid, e.arrival_ask, e.arrival_bid_size,
  e.arrival_ask_size, e.arrival_mid, e.outcome, e.reason, e.filled_qty, e.avg_price, e.cost_bps,
  e.cost_cents_per_share, e.effective_cost_bps, e.vwap, e.vwap_cost_bps, e.alert, e.repegs,
  e.used_fallback, e.duration_ms, e.liquidity, e.charged_cost_bps, e.alert_bound_bps, e.alert_bound_class`;

/**
 * Reads executions and their children selected by `where` (a condition on alias `e` with one
 * parameter). Four queries in all, whatever the number of executions, so listing a run of
 * thousands stays fast.
 */
function readWhere(db: Database, where: string, param: number): StoredExecution[] {
  const rows = db
    .prepare(`SELECT ${EXECUTION_COLUMNS} FROM executions AS e WHERE ${where} ORDER BY e.id`)
    .all(param) as ExecutionRow[];
  const children = db
    .prepare(
      `SELECT c.id, c.execution_id, c.client_order_id, c.type, c.limit_price, c.qty, c.submitted_at,
              c.ended_at, c.status, c.reject_reason
       FROM child_orders AS c JOIN executions AS e ON e.id = c.execution_id
       WHERE ${where} ORDER BY c.execution_id, c.seq`,
    )
    .all(param) as ChildRow[];
  // Fills have no seq column: row ids grow in insertion order, which is the report's order.
  const fills = db
    .prepare(
      `SELECT f.child_order_id, f.time, f.price, f.qty, f.nbbo_bid, f.nbbo_ask
       FROM fills AS f JOIN executions AS e ON e.id = f.execution_id
       WHERE ${where} ORDER BY f.id`,
    )
    .all(param) as FillRow[];
  const events = db
    .prepare(
      `SELECT l.execution_id, l.time, l.kind, l.detail, l.alert_code
       FROM ladder_events AS l JOIN executions AS e ON e.id = l.execution_id
       WHERE ${where} ORDER BY l.execution_id, l.seq`,
    )
    .all(param) as EventRow[];

  const fillsByChild = groupBy(fills, (f) => f.child_order_id, toFill);
  const childrenByExecution = groupBy(children, (c) => c.execution_id, (c) => toChild(c, fillsByChild.get(c.id)));
  const eventsByExecution = groupBy(events, (e) => e.execution_id, toEvent);
  return rows.map((row) => ({
    id: row.id,
    runId: row.run_id,
    pairKey: row.pair_key,
    report: toReport(row, childrenByExecution.get(row.id) ?? [], eventsByExecution.get(row.id) ?? []),
  }));
}

function groupBy<R, T>(rows: readonly R[], key: (row: R) => number, map: (row: R) => T): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [map(row)]);
    else group.push(map(row));
  }
  return groups;
}

function toFill(f: FillRow): FillReport {
  return { time: f.time, price: f.price, qty: f.qty, bid: f.nbbo_bid, ask: f.nbbo_ask };
}

function toChild(c: ChildRow, fills: readonly FillReport[] = []): ChildOrderReport {
  return {
    clientOrderId: c.client_order_id,
    type: c.type,
    limitPrice: c.limit_price,
    qty: c.qty,
    submittedAt: c.submitted_at,
    endedAt: c.ended_at,
    status: c.status,
    rejectReason: c.reject_reason,
    fills,
  };
}

function toEvent(e: EventRow): DecisionEvent {
  return e.alert_code === null ? { time: e.time, kind: e.kind, detail: e.detail } : { time: e.time, kind: e.kind, detail: e.detail, code: e.alert_code };
}

function toReport(r: ExecutionRow, childOrders: ChildOrderReport[], events: DecisionEvent[]): ExecutionReport {
  // The schema's CHECK keeps the arrival columns all null or all set, so testing one suffices.
  const arrival =
    r.arrival_time === null
      ? null
      : {
          time: r.arrival_time,
          bid: r.arrival_bid as number,
          ask: r.arrival_ask as number,
          bidSize: r.arrival_bid_size as number,
          askSize: r.arrival_ask_size as number,
        };
  return {
    executionId: r.execution_key,
    strategy: r.strategy,
    symbol: r.symbol,
    date: r.date,
    side: r.side,
    qty: r.qty,
    decisionTime: r.decision_time,
    liquidity: r.liquidity,
    arrival,
    outcome: r.outcome,
    reason: r.reason,
    filledQty: r.filled_qty,
    repegs: r.repegs,
    usedFallback: r.used_fallback === 1,
    durationMs: r.duration_ms,
    tca: {
      arrivalMid: r.arrival_mid,
      avgPrice: r.avg_price,
      costBps: r.cost_bps,
      costCentsPerShare: r.cost_cents_per_share,
      effectiveCostBps: r.effective_cost_bps,
      vwap: r.vwap,
      vwapCostBps: r.vwap_cost_bps,
      alert: r.alert === 1,
      alertBoundBps: r.alert_bound_bps,
      alertBoundClass: r.alert_bound_class,
    },
    chargedCostBps: r.charged_cost_bps,
    childOrders,
    events,
  };
}

/**
 * Rebuilds the ExecutionReport recorded as executions.id = `executionRowId`, deep-equal to the
 * one given to recordExecutions. Two float values cannot survive SQLite: -0 reads back as 0 and
 * NaN as null, so the engine should not put them in a report (`x + 0` turns -0 into 0).
 *
 * @throws StoreError when there is no such execution.
 */
export function readExecution(db: Database, executionRowId: number): ExecutionReport {
  const found = readWhere(db, 'e.id = ?', executionRowId)[0];
  if (found === undefined) throw new StoreError(db.name, `no execution with id ${executionRowId}`);
  return found.report;
}

/** Every execution of a run, in recording order (empty for an unknown run). */
export function listExecutions(db: Database, runId: number): StoredExecution[] {
  return readWhere(db, 'e.run_id = ?', runId);
}
