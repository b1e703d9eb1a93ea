import type { Alert, AlertKind, AlertSeverity } from '../engine/alerts/alert.js';
import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import { StoreError, messageOf } from './store-error.js';

/** An alert as the `alerts` table keeps it (schema v8, docs/SCHEMA.md). */
export interface StoredAlert {
  readonly id: number;
  /** The run whose record holds the alert; null while a live execution is still running. */
  readonly runId: number | null;
  readonly executionId: string | null;
  readonly rebalanceId: string | null;
  readonly symbol: string | null;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  readonly message: string;
  /** When it happened (market time, epoch ms). */
  readonly time: EpochMs;
  /** When it was written (wall clock, epoch ms). */
  readonly recordedAt: EpochMs;
}

interface AlertRow {
  id: number;
  run_id: number | null;
  execution_key: string | null;
  rebalance_id: string | null;
  symbol: string | null;
  kind: AlertKind;
  severity: AlertSeverity;
  message: string;
  time: number;
  recorded_at: number;
}

/**
 * Inserts alerts in one transaction. An alert already recorded (same run, subject and kind: an
 * execution raises each kind once) is skipped, so a resumed or re-delivered execution cannot
 * double it. Returns how many rows were new.
 *
 * @throws StoreError naming the run (an unknown run id, a malformed alert); nothing is written then.
 */
export function recordAlerts(db: Database, runId: number | null, alerts: readonly Alert[], recordedAt: EpochMs = Date.now()): number {
  const insert = db.prepare(`INSERT INTO alerts (run_id, execution_key, rebalance_id, symbol, kind, severity, message, time, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  try {
    return db.transaction(() =>
      alerts.reduce(
        (n, a) => n + insert.run(runId, a.executionId ?? null, a.rebalanceId ?? null, a.symbol, a.kind, a.severity, a.message, a.time, recordedAt).changes,
        0,
      ),
    )();
  } catch (err) {
    throw new StoreError(db.name, `recording alerts${runId === null ? '' : ` of run ${runId}`} failed: ${messageOf(err)}`, err);
  }
}

/**
 * Gives a live execution's alerts, recorded with no run while it ran, to the run recorded at its
 * end. Returns how many rows it claimed.
 */
export function claimAlerts(db: Database, runId: number, executionId: string): number {
  try {
    return db.prepare('UPDATE alerts SET run_id = ? WHERE run_id IS NULL AND execution_key = ?').run(runId, executionId).changes;
  } catch (err) {
    throw new StoreError(db.name, `claiming the alerts of execution "${executionId}" for run ${runId} failed: ${messageOf(err)}`, err);
  }
}

export interface AlertFilter {
  /** Only alerts that happened at or after this time (epoch ms). */
  readonly since?: EpochMs;
  readonly runId?: number;
}

/** Alerts in the order they happened (then as recorded). */
export function readAlerts(db: Database, filter: AlertFilter = {}): StoredAlert[] {
  const where: string[] = [];
  const params: number[] = [];
  if (filter.since !== undefined) {
    where.push('time >= ?');
    params.push(filter.since);
  }
  if (filter.runId !== undefined) {
    where.push('run_id = ?');
    params.push(filter.runId);
  }
  const rows = db
    .prepare(`SELECT id, run_id, execution_key, rebalance_id, symbol, kind, severity, message, time, recorded_at FROM alerts
      ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY time, id`)
    .all(...params) as AlertRow[];
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    executionId: r.execution_key,
    rebalanceId: r.rebalance_id,
    symbol: r.symbol,
    kind: r.kind,
    severity: r.severity,
    message: r.message,
    time: r.time,
    recordedAt: r.recorded_at,
  }));
}
