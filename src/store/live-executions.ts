import type { ExecutionReport } from '../engine/execution-report.js';
import type { Quote } from '../engine/quote.js';
import type { EpochMs, Qty, Side } from '../engine/units.js';
import type { Database } from './database.js';
import { recordExecutions } from './record-run.js';
import { storeStep } from './store-error.js';

/** The parent order of a live execution, as first sent. */
export interface LiveIntent {
  readonly executionKey: string;
  readonly kind: 'paper' | 'live';
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Qty;
  /** The --notional (dollars) the quantity was sized from, or null for --qty. */
  readonly notional: number | null;
  readonly decisionTime: EpochMs;
}

export interface LiveExecutionRow extends LiveIntent {
  readonly arrival: Quote | null;
  /** Highest child number ever sent (`${executionKey}:${n}`). */
  readonly lastChild: number;
  readonly startedAt: EpochMs;
  readonly lock: { readonly pid: number; readonly host: string; readonly since: EpochMs } | null;
  /** executions.id of the record of this execution, once written. */
  readonly recordId: number | null;
}

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/** Why a claim was refused: another live process holds the execution, or the command differs from it. */
export interface ClaimRefusal {
  readonly refused: string;
}

interface Row {
  execution_key: string;
  kind: 'paper' | 'live';
  symbol: string;
  side: Side;
  qty: number;
  notional: number | null;
  decision_time: number;
  arrival_time: number | null;
  arrival_bid: number | null;
  arrival_ask: number | null;
  arrival_bid_size: number | null;
  arrival_ask_size: number | null;
  last_child: number;
  started_at: number;
  lock_pid: number | null;
  lock_host: string | null;
  locked_at: number | null;
  record_id: number | null;
}

function fromRow(r: Row): LiveExecutionRow {
  const arrival = r.arrival_time === null || r.arrival_bid === null || r.arrival_ask === null ? null : { time: r.arrival_time, bid: r.arrival_bid, ask: r.arrival_ask, bidSize: r.arrival_bid_size ?? 0, askSize: r.arrival_ask_size ?? 0 };
  return {
    executionKey: r.execution_key,
    kind: r.kind,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    notional: r.notional,
    decisionTime: r.decision_time,
    arrival,
    lastChild: r.last_child,
    startedAt: r.started_at,
    lock: r.lock_pid === null ? null : { pid: r.lock_pid, host: r.lock_host ?? '', since: r.locked_at ?? 0 },
    recordId: r.record_id,
  };
}


export function readLiveExecution(db: Database, executionKey: string): LiveExecutionRow | undefined {
  const r = storeStep(db, 'reading live execution', () => db.prepare('SELECT * FROM live_executions WHERE execution_key = ?').get(executionKey) as Row | undefined);
  return r === undefined ? undefined : fromRow(r);
}

/** The first field in which a command differs from the execution already recorded under its id, or null. */
function mismatch(row: LiveExecutionRow, intent: LiveIntent): string | null {
  if (row.kind !== intent.kind) return `it was a ${row.kind} execution, this is ${intent.kind}`;
  if (row.symbol !== intent.symbol) return `its symbol is ${row.symbol}, not ${intent.symbol}`;
  if (row.side !== intent.side) return `it is a ${row.side}, not a ${intent.side}`;
  if (row.qty !== intent.qty) return `its quantity is ${row.qty / 1e9} shares, not ${intent.qty / 1e9}`;
  return null;
}

/**
 * Takes the execution for `owner`, in one IMMEDIATE transaction (two processes cannot both take
 * it): refused while another process holds it (`isAlive` says whether a pid on this host still
 * runs; a lock from another host is never taken over) or when the command differs from the
 * execution recorded under this id. Creates the row for a new id.
 */
export function claimLiveExecution(db: Database, intent: LiveIntent, owner: LockOwner, isAlive: (pid: number) => boolean, now: EpochMs = Date.now()): { readonly row: LiveExecutionRow; readonly created: boolean } | ClaimRefusal {
  return storeStep(db, `claiming execution ${intent.executionKey}`, () =>
    db
      .transaction(() => {
        const existing = readLiveExecution(db, intent.executionKey);
        if (existing !== undefined) {
          const l = existing.lock;
          const mine = l !== null && l.pid === owner.pid && l.host === owner.host;
          if (l !== null && !mine && (l.host !== owner.host || isAlive(l.pid))) {
            return { refused: `execution ${intent.executionKey} is being run by process ${l.pid} on ${l.host} since ${new Date(l.since).toISOString()}; it cannot run twice at once` };
          }
          const differs = mismatch(existing, intent);
          if (differs !== null) return { refused: `execution ${intent.executionKey} does not match this command: ${differs}` };
          db.prepare('UPDATE live_executions SET lock_pid = ?, lock_host = ?, locked_at = ? WHERE execution_key = ?').run(owner.pid, owner.host, now, intent.executionKey);
          return { row: readLiveExecution(db, intent.executionKey)!, created: false };
        }
        db.prepare(
          `INSERT INTO live_executions (execution_key, kind, symbol, side, qty, notional, decision_time, started_at, lock_pid, lock_host, locked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(intent.executionKey, intent.kind, intent.symbol, intent.side, intent.qty, intent.notional, intent.decisionTime, now, owner.pid, owner.host, now);
        return { row: readLiveExecution(db, intent.executionKey)!, created: true };
      })
      .immediate(),
  );
}

/** Releases the lock if `owner` holds it. */
export function releaseLiveExecution(db: Database, executionKey: string, owner: LockOwner): void {
  storeStep(db, 'releasing the execution lock', () => db.prepare('UPDATE live_executions SET lock_pid = NULL, lock_host = NULL, locked_at = NULL WHERE execution_key = ? AND lock_pid = ? AND lock_host = ?').run(executionKey, owner.pid, owner.host));
}

/** The arrival quote, kept from the first one recorded (a resume is measured from the original arrival). */
export function noteArrival(db: Database, executionKey: string, q: Quote): void {
  storeStep(db, 'recording the arrival quote', () =>
    db.prepare('UPDATE live_executions SET arrival_time = ?, arrival_bid = ?, arrival_ask = ?, arrival_bid_size = ?, arrival_ask_size = ? WHERE execution_key = ? AND arrival_time IS NULL').run(q.time, q.bid, q.ask, q.bidSize, q.askSize, executionKey),
  );
}

/** Child `n` is about to be sent: a resume must look for every child up to the highest one sent. */
export function noteChildSent(db: Database, executionKey: string, n: number): void {
  storeStep(db, 'recording a sent child', () => db.prepare('UPDATE live_executions SET last_child = max(last_child, ?) WHERE execution_key = ?').run(n, executionKey));
}

/**
 * Records the execution's report in run `runId` as THE record of the execution: in one
 * transaction, an earlier record of the same execution id in a paper or live run (a run that
 * ended partial, then was resumed) is removed and the new one, which covers the whole parent
 * order, takes its place. Returns the new executions.id.
 */
export function recordLiveExecution(db: Database, runId: number, report: ExecutionReport): number {
  return storeStep(db, `recording execution ${report.executionId}`, () =>
    db.transaction(() => {
      db.prepare(`DELETE FROM executions WHERE execution_key = ? AND run_id IN (SELECT id FROM runs WHERE kind IN ('paper', 'live'))`).run(report.executionId);
      const [id] = recordExecutions(db, runId, [report]);
      db.prepare('UPDATE live_executions SET record_id = ? WHERE execution_key = ?').run(id!, report.executionId);
      return id!;
    })(),
  );
}

/** executions.id of the earlier record of this execution, if one exists (for its fill details). */
export function earlierRecordId(db: Database, executionKey: string): number | null {
  const r = storeStep(db, 'reading the earlier record', () =>
    db.prepare(`SELECT e.id FROM executions e JOIN runs r ON r.id = e.run_id WHERE e.execution_key = ? AND r.kind IN ('paper', 'live') ORDER BY e.id DESC LIMIT 1`).get(executionKey) as { id: number } | undefined,
  );
  return r?.id ?? null;
}
