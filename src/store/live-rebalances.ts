import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import type { LockOwner } from './live-executions.js';
import { insertRebalanceRow, linkToRebalance, type RebalanceRecord } from './record-rebalance.js';
import { storeStep } from './store-error.js';

export type LiveRebalanceStatus = 'running' | 'completed' | 'partial' | 'failed' | 'working';

/** A paper or live rebalance as started: written before its first order. */
export interface LiveRebalanceIntent {
  readonly rebalanceKey: string;
  readonly kind: 'paper' | 'live';
  readonly decisionTime: EpochMs;
  /** Money the plan was sized from. */
  readonly cashBefore: number;
  readonly positions: unknown;
  readonly targets: unknown;
  readonly plan: unknown;
  readonly settings: unknown;
}

export interface LiveRebalanceRow extends LiveRebalanceIntent {
  readonly status: LiveRebalanceStatus;
  readonly reason: string | null;
  readonly startedAt: EpochMs;
  readonly finishedAt: EpochMs | null;
  readonly lock: { readonly pid: number; readonly host: string; readonly since: EpochMs } | null;
  /** rebalances.id of its record, once written. */
  readonly recordId: number | null;
}

interface Row {
  rebalance_key: string;
  kind: 'paper' | 'live';
  status: LiveRebalanceStatus;
  reason: string | null;
  decision_time: number;
  cash_before: number;
  positions_json: string;
  targets_json: string;
  plan_json: string;
  settings_json: string;
  started_at: number;
  finished_at: number | null;
  lock_pid: number | null;
  lock_host: string | null;
  locked_at: number | null;
  record_id: number | null;
}

function fromRow(r: Row): LiveRebalanceRow {
  return {
    rebalanceKey: r.rebalance_key,
    kind: r.kind,
    status: r.status,
    reason: r.reason,
    decisionTime: r.decision_time,
    cashBefore: r.cash_before,
    positions: JSON.parse(r.positions_json) as unknown,
    targets: JSON.parse(r.targets_json) as unknown,
    plan: JSON.parse(r.plan_json) as unknown,
    settings: JSON.parse(r.settings_json) as unknown,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    lock: r.lock_pid === null ? null : { pid: r.lock_pid, host: r.lock_host ?? '', since: r.locked_at ?? 0 },
    recordId: r.record_id,
  };
}


export function readLiveRebalance(db: Database, key: string): LiveRebalanceRow | undefined {
  const r = storeStep(db, 'reading live rebalance', () => db.prepare('SELECT * FROM live_rebalances WHERE rebalance_key = ?').get(key) as Row | undefined);
  return r === undefined ? undefined : fromRow(r);
}

/**
 * Writes a new rebalance (status running) locked by `owner`, before anything is sent. Refused
 * when the key exists (a new rebalance never reuses one).
 */
export function createLiveRebalance(db: Database, intent: LiveRebalanceIntent, owner: LockOwner, now: EpochMs = Date.now()): LiveRebalanceRow | { readonly refused: string } {
  return storeStep(db, `recording rebalance ${intent.rebalanceKey}`, () =>
    db
      .transaction(() => {
        if (readLiveRebalance(db, intent.rebalanceKey) !== undefined) return { refused: `rebalance ${intent.rebalanceKey} already exists; resume it with --resume ${intent.rebalanceKey}` };
        db.prepare(
          `INSERT INTO live_rebalances (rebalance_key, kind, status, decision_time, cash_before, positions_json, targets_json, plan_json, settings_json, started_at, lock_pid, lock_host, locked_at)
           VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          intent.rebalanceKey, intent.kind, intent.decisionTime, intent.cashBefore, JSON.stringify(intent.positions), JSON.stringify(intent.targets),
          JSON.stringify(intent.plan), JSON.stringify(intent.settings), now, owner.pid, owner.host, now,
        );
        return readLiveRebalance(db, intent.rebalanceKey)!;
      })
      .immediate(),
  );
}

/**
 * Takes an existing rebalance's lock for a resume, in one IMMEDIATE transaction: refused while
 * another live process on this host (or any process on another host) holds it.
 */
export function claimLiveRebalance(db: Database, key: string, owner: LockOwner, isAlive: (pid: number) => boolean, now: EpochMs = Date.now()): LiveRebalanceRow | { readonly refused: string } | undefined {
  return storeStep(db, `claiming rebalance ${key}`, () =>
    db
      .transaction(() => {
        const row = readLiveRebalance(db, key);
        if (row === undefined) return undefined;
        const l = row.lock;
        const mine = l !== null && l.pid === owner.pid && l.host === owner.host;
        if (l !== null && !mine && (l.host !== owner.host || isAlive(l.pid))) {
          return { refused: `rebalance ${key} is being run by process ${l.pid} on ${l.host} since ${new Date(l.since).toISOString()}; it cannot run twice at once` };
        }
        db.prepare('UPDATE live_rebalances SET lock_pid = ?, lock_host = ?, locked_at = ? WHERE rebalance_key = ?').run(owner.pid, owner.host, now, key);
        return readLiveRebalance(db, key)!;
      })
      .immediate(),
  );
}

export function releaseLiveRebalance(db: Database, key: string, owner: LockOwner): void {
  storeStep(db, 'releasing the rebalance lock', () => db.prepare('UPDATE live_rebalances SET lock_pid = NULL, lock_host = NULL, locked_at = NULL WHERE rebalance_key = ? AND lock_pid = ? AND lock_host = ?').run(key, owner.pid, owner.host));
}

/** The rebalance's status (and, once it ended, when). */
export function setLiveRebalanceStatus(db: Database, key: string, status: LiveRebalanceStatus, reason: string | null, finishedAt: EpochMs | null): void {
  storeStep(db, 'recording the rebalance status', () => db.prepare('UPDATE live_rebalances SET status = ?, reason = ?, finished_at = ? WHERE rebalance_key = ?').run(status, reason, finishedAt, key));
}

/**
 * Writes THE `rebalances` row of a paper or live rebalance in run `runId` and links its legs'
 * execution records to it, in one transaction: an earlier row of the same rebalance in a paper or
 * live run (a run that ended, then was resumed) is replaced. Returns the new rebalances.id.
 */
export function recordLiveRebalance(db: Database, runId: number, r: RebalanceRecord, executionRecordIds: readonly number[]): number {
  return storeStep(db, `recording rebalance ${r.rebalanceId}`, () =>
    db.transaction(() => {
      db.prepare(`DELETE FROM rebalances WHERE rebalance_key = ? AND run_id IN (SELECT id FROM runs WHERE kind IN ('paper', 'live'))`).run(r.rebalanceId);
      const id = insertRebalanceRow(db, runId, r);
      linkToRebalance(db, id, executionRecordIds);
      db.prepare('UPDATE live_rebalances SET record_id = ? WHERE rebalance_key = ?').run(id, r.rebalanceId);
      return id;
    })(),
  );
}
