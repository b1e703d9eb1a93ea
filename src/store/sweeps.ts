import type { Statement } from 'better-sqlite3';
import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import { StoreError, messageOf } from './store-error.js';

export type SweepStatus = 'running' | 'done' | 'interrupted';

/** Candidate index of the default configuration's baseline row in sweep_results. */
export const DEFAULT_BASELINE_INDEX = -1;
/** Candidate index of the `market` baseline row in sweep_results. */
export const MARKET_BASELINE_INDEX = -2;
/** Candidate indices of the `progressive` and `passive` baseline rows (schema version 5). */
export const PROGRESSIVE_BASELINE_INDEX = -3;
export const PASSIVE_BASELINE_INDEX = -4;

export interface SweepRecord {
  readonly id: number;
  readonly createdAt: EpochMs;
  readonly status: SweepStatus;
  /** Everything needed to resume the sweep, as stored (parsed JSON; the caller validates it). */
  readonly spec: unknown;
  readonly codeVersion: string;
  /** The open of each execution of the sweep's plan, once a run has loaded its tapes (null before). */
  readonly openKeys: readonly string[] | null;
}

/**
 * One configuration's result. Structurally the tuner's CandidateOutcome plus its summary numbers;
 * declared here so the store does not depend on the simulator.
 */
export interface SweepResult {
  readonly candidateIndex: number;
  /** The candidate's field values (null for the baselines). */
  readonly candidate: unknown;
  readonly costs: Float64Array;
  readonly filled: Uint8Array;
  readonly fallback: Uint8Array;
  /** Each execution's ms from decision to last fill, +Infinity when incomplete; absent in rows stored before schema version 5. */
  readonly completeMs?: Float64Array;
  readonly objective: number;
  readonly fillRate: number;
  readonly fallbackRate: number;
}

interface SweepRow {
  id: number;
  created_at: number;
  status: SweepStatus;
  spec_json: string;
  code_version: string;
  open_keys_json: string | null;
}

interface ResultRow {
  candidate_index: number;
  candidate_json: string;
  costs: Buffer;
  filled: Buffer;
  fallback: Buffer;
  complete_ms: Buffer | null;
  objective: number | null;
  fill_rate: number;
  fallback_rate: number;
}

/** Inserts a new sweep in status `running` and returns its id (sweeps.id). */
export function createSweep(db: Database, spec: unknown, codeVersion: string, createdAt: EpochMs = Date.now()): number {
  const specJson = JSON.stringify(spec);
  if (specJson === undefined) throw new StoreError(db.name, 'sweep spec is not serialisable to JSON');
  const info = db
    .prepare(`INSERT INTO sweeps (created_at, status, spec_json, code_version) VALUES (?, 'running', ?, ?)`)
    .run(createdAt, specJson, codeVersion);
  return Number(info.lastInsertRowid);
}

/** @throws StoreError naming the sweep when it does not exist. */
export function setSweepStatus(db: Database, sweepId: number, status: SweepStatus): void {
  const info = db.prepare('UPDATE sweeps SET status = ? WHERE id = ?').run(status, sweepId);
  if (info.changes === 0) throw new StoreError(db.name, `no sweep ${sweepId}`);
}

const SWEEP_COLUMNS = 'id, created_at, status, spec_json, code_version, open_keys_json';

function sweepOf(row: SweepRow): SweepRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    status: row.status,
    spec: JSON.parse(row.spec_json),
    codeVersion: row.code_version,
    openKeys: row.open_keys_json === null ? null : (JSON.parse(row.open_keys_json) as string[]),
  };
}

/** The sweep with this id, or undefined. */
export function readSweep(db: Database, sweepId: number): SweepRecord | undefined {
  const row = db.prepare(`SELECT ${SWEEP_COLUMNS} FROM sweeps WHERE id = ?`).get(sweepId) as SweepRow | undefined;
  return row === undefined ? undefined : sweepOf(row);
}

/** Every sweep in the database, oldest first. */
export function listSweeps(db: Database): SweepRecord[] {
  return (db.prepare(`SELECT ${SWEEP_COLUMNS} FROM sweeps ORDER BY id`).all() as SweepRow[]).map(sweepOf);
}

/** Records the open of each execution of the sweep's plan. @throws StoreError naming the sweep when it does not exist. */
export function setSweepOpenKeys(db: Database, sweepId: number, openKeys: readonly string[]): void {
  const info = db.prepare('UPDATE sweeps SET open_keys_json = ? WHERE id = ?').run(JSON.stringify(openKeys), sweepId);
  if (info.changes === 0) throw new StoreError(db.name, `no sweep ${sweepId}`);
}

// Views over the typed arrays' own memory: no copy on the write path, which runs per result. The
// bytes are in native order, little-endian on every platform Node ships for (docs/SCHEMA.md says so).
function bytesOf(a: Float64Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

// SQLite hands back Buffers that may sit at any offset of a shared pool, and a Float64Array needs
// 8-byte alignment, so the bytes are copied into a buffer of their own.
function float64Of(b: Buffer): Float64Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float64Array(copy.buffer);
}

function uint8Of(b: Buffer): Uint8Array {
  return Uint8Array.from(b);
}

const insertCache = new WeakMap<Database, Statement<unknown[]>>();

/**
 * Stores one result in its own small transaction, so each arrives on disk as soon as it is
 * computed and an interruption loses at most the results still in flight. A result already stored
 * for the same index is kept: a sweep is deterministic, so a second copy would be identical.
 */
export function recordSweepResult(db: Database, sweepId: number, r: SweepResult): void {
  let insert = insertCache.get(db);
  if (insert === undefined) {
    insert = db.prepare(`INSERT INTO sweep_results (
        sweep_id, candidate_index, candidate_json, costs, filled, fallback, complete_ms, objective, fill_rate, fallback_rate)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (sweep_id, candidate_index) DO NOTHING`);
    insertCache.set(db, insert);
  }
  try {
    insert.run(
      sweepId, r.candidateIndex, JSON.stringify(r.candidate ?? null), bytesOf(r.costs), bytesOf(r.filled), bytesOf(r.fallback),
      r.completeMs === undefined ? null : bytesOf(r.completeMs), Number.isFinite(r.objective) ? r.objective : null, r.fillRate, r.fallbackRate,
    );
  } catch (err) {
    throw new StoreError(db.name, `recording result ${r.candidateIndex} of sweep ${sweepId} failed: ${messageOf(err)}`, err);
  }
}

/** Every stored result of the sweep, ordered by candidate index (baselines, -4 to -1, first). */
export function readSweepResults(db: Database, sweepId: number): SweepResult[] {
  const rows = db
    .prepare(
      `SELECT candidate_index, candidate_json, costs, filled, fallback, complete_ms, objective, fill_rate, fallback_rate
       FROM sweep_results WHERE sweep_id = ? ORDER BY candidate_index`,
    )
    .all(sweepId) as ResultRow[];
  return rows.map((r) => ({
    candidateIndex: r.candidate_index,
    candidate: JSON.parse(r.candidate_json) as unknown,
    costs: float64Of(r.costs),
    filled: uint8Of(r.filled),
    fallback: uint8Of(r.fallback),
    ...(r.complete_ms === null ? {} : { completeMs: float64Of(r.complete_ms) }),
    objective: r.objective ?? Number.NaN,
    fillRate: r.fill_rate,
    fallbackRate: r.fallback_rate,
  }));
}

