import type { ExecutionOutcome } from '../engine/execution-report.js';
import type { FidelityMetrics } from '../engine/fidelity-metrics.js';
import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import type { RunKind } from './record-run.js';
import { StoreError, messageOf } from './store-error.js';

/** The key metrics of one side (real or simulated) of a comparison, in store units. */
export type ComparisonSide = FidelityMetrics;

export interface ComparisonRecord {
  /** executions.id of the recorded (paper or live) execution. */
  readonly executionId: number;
  readonly seed: string;
  readonly config: unknown;
  /** The simulated report (or its key metrics); stored as JSON. */
  readonly sim: unknown;
  readonly real: ComparisonSide;
  readonly simulated: ComparisonSide;
  readonly createdAt?: EpochMs;
}

export interface StoredComparison extends Omit<ComparisonRecord, 'createdAt'> {
  readonly id: number;
  readonly createdAt: EpochMs;
}

/** Inserts a comparison and returns its id (comparisons.id). */
export function recordComparison(db: Database, c: ComparisonRecord): number {
  let configJson: string;
  let simJson: string;
  try {
    configJson = JSON.stringify(c.config) ?? 'null';
    simJson = JSON.stringify(c.sim) ?? 'null';
  } catch (err) {
    throw new StoreError(db.name, `comparison is not serialisable to JSON: ${messageOf(err)}`, err);
  }
  try {
    const info = db
      .prepare(
        `INSERT INTO comparisons (execution_id, created_at, seed, config_json, sim_json,
           real_filled_qty, sim_filled_qty, real_avg_price, sim_avg_price, real_cost_bps, sim_cost_bps,
           real_time_to_fill_ms, sim_time_to_fill_ms, real_repegs, sim_repegs,
           real_used_fallback, sim_used_fallback, real_outcome, sim_outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.executionId, c.createdAt ?? Date.now(), c.seed, configJson, simJson,
        c.real.filledQty, c.simulated.filledQty, c.real.avgPrice, c.simulated.avgPrice, c.real.costBps, c.simulated.costBps,
        c.real.timeToFillMs, c.simulated.timeToFillMs, c.real.repegs, c.simulated.repegs,
        c.real.usedFallback ? 1 : 0, c.simulated.usedFallback ? 1 : 0, c.real.outcome, c.simulated.outcome,
      );
    return Number(info.lastInsertRowid);
  } catch (err) {
    throw new StoreError(db.name, `cannot record the comparison of execution ${c.executionId}: ${messageOf(err)}`, err);
  }
}

interface ComparisonRow {
  id: number;
  execution_id: number;
  created_at: number;
  seed: string;
  config_json: string;
  sim_json: string;
  real_filled_qty: number;
  sim_filled_qty: number;
  real_avg_price: number | null;
  sim_avg_price: number | null;
  real_cost_bps: number | null;
  sim_cost_bps: number | null;
  real_time_to_fill_ms: number | null;
  sim_time_to_fill_ms: number | null;
  real_repegs: number;
  sim_repegs: number;
  real_used_fallback: number;
  sim_used_fallback: number;
  real_outcome: ExecutionOutcome;
  sim_outcome: ExecutionOutcome;
}

const COLUMNS = `id, execution_id, created_at, seed, config_json, sim_json, real_filled_qty, sim_filled_qty,
  real_avg_price, sim_avg_price, real_cost_bps, sim_cost_bps, real_time_to_fill_ms, sim_time_to_fill_ms,
  real_repegs, sim_repegs, real_used_fallback, sim_used_fallback, real_outcome, sim_outcome`;

function toStored(r: ComparisonRow): StoredComparison {
  const side = (p: 'real' | 'sim'): ComparisonSide => ({
    filledQty: r[`${p}_filled_qty`],
    avgPrice: r[`${p}_avg_price`],
    costBps: r[`${p}_cost_bps`],
    timeToFillMs: r[`${p}_time_to_fill_ms`],
    repegs: r[`${p}_repegs`],
    usedFallback: r[`${p}_used_fallback`] === 1,
    outcome: r[`${p}_outcome`],
  });
  return {
    id: r.id,
    executionId: r.execution_id,
    createdAt: r.created_at,
    seed: r.seed,
    config: JSON.parse(r.config_json) as unknown,
    sim: JSON.parse(r.sim_json) as unknown,
    real: side('real'),
    simulated: side('sim'),
  };
}

/** @throws StoreError when there is no such comparison. */
export function readComparison(db: Database, id: number): StoredComparison {
  const row = db.prepare(`SELECT ${COLUMNS} FROM comparisons WHERE id = ?`).get(id) as ComparisonRow | undefined;
  if (row === undefined) throw new StoreError(db.name, `no comparison with id ${id}`);
  return toStored(row);
}

/** Every comparison of one execution, oldest first. */
export function listComparisons(db: Database, executionId: number): StoredComparison[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM comparisons WHERE execution_id = ? ORDER BY id`).all(executionId) as ComparisonRow[];
  return rows.map(toStored);
}

/** The run an execution belongs to: what `compare` needs to replay it. */
export interface ExecutionRun {
  readonly runId: number;
  readonly kind: RunKind;
  readonly config: unknown;
  readonly seed: string | null;
  readonly dataRef: string;
}

/** @throws StoreError when there is no execution with that id. */
export function readExecutionRun(db: Database, executionRowId: number): ExecutionRun {
  const row = db
    .prepare(
      `SELECT r.id, r.kind, r.config_json, r.seed, r.data_ref
       FROM executions AS e JOIN runs AS r ON r.id = e.run_id WHERE e.id = ?`,
    )
    .get(executionRowId) as { id: number; kind: RunKind; config_json: string; seed: string | null; data_ref: string } | undefined;
  if (row === undefined) throw new StoreError(db.name, `no execution with id ${executionRowId}`);
  return { runId: row.id, kind: row.kind, config: JSON.parse(row.config_json) as unknown, seed: row.seed, dataRef: row.data_ref };
}
