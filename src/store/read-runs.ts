import type { EpochMs } from '../engine/units.js';
import type { Database } from './database.js';
import type { RunKind } from './record-run.js';
import { StoreError } from './store-error.js';

/**
 * One recorded run, with what a person needs to recognise it in a list. A `tune` sweep is listed
 * as a run of kind `tune` whose id is the sweep's id (sweeps.id: what `tune --resume` and
 * `report --sweep` take), since the sweep has no row in `runs`.
 */
export interface RunListing {
  readonly id: number;
  readonly kind: RunKind;
  /** For a sweep, its status (running, done, interrupted); null for other runs. */
  readonly status: string | null;
  readonly createdAt: EpochMs;
  readonly command: string;
  /** The scenario's name for a simulated run, else the symbols traded (comma list); '' when neither is known. */
  readonly subject: string;
  readonly executions: number;
  /** Distinct strategies, in the order they were first recorded. */
  readonly strategies: readonly string[];
  readonly seed: string | null;
  readonly dataRef: string;
}

export interface RunRow {
  id: number;
  kind: RunKind;
  created_at: number;
  command: string;
  config_json: string;
  seed: string | null;
  data_ref: string;
  code_version: string;
}

/** A run as stored, its configuration parsed. */
export interface StoredRun {
  readonly id: number;
  readonly kind: RunKind;
  readonly createdAt: EpochMs;
  readonly command: string;
  readonly config: unknown;
  readonly seed: string | null;
  readonly dataRef: string;
  readonly codeVersion: string;
}

export interface ListRunsOptions {
  readonly kind?: RunKind;
  /** Newest first, at most this many (default 50). */
  readonly limit?: number;
}

function parsed(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

function scenarioName(configJson: string): string | null {
  const config = parsed(configJson) as { scenario?: unknown } | null;
  return typeof config?.scenario === 'string' ? config.scenario : null;
}

/** Recorded runs and sweeps, newest first, each with its execution count, strategies and subject. */
export function listRuns(db: Database, options: ListRunsOptions = {}): RunListing[] {
  const limit = options.limit ?? 50;
  const runs = options.kind === 'tune' ? [] : listRunRows(db, options.kind, limit);
  const sweeps = options.kind === undefined || options.kind === 'tune' ? listSweepRows(db, limit) : [];
  return [...runs, ...sweeps].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id).slice(0, limit);
}

function listRunRows(db: Database, kind: RunKind | undefined, limit: number): RunListing[] {
  const rows = db
    .prepare(
      `SELECT r.id, r.kind, r.created_at, r.command, r.config_json, r.seed, r.data_ref, r.code_version,
              (SELECT count(*) FROM executions AS e WHERE e.run_id = r.id) AS executions,
              (SELECT group_concat(strategy, ',') FROM (SELECT strategy, min(id) AS first FROM executions WHERE run_id = r.id GROUP BY strategy ORDER BY first)) AS strategies,
              (SELECT group_concat(symbol, ',') FROM (SELECT DISTINCT symbol FROM executions WHERE run_id = r.id ORDER BY symbol)) AS symbols
       FROM runs AS r
       WHERE (? IS NULL OR r.kind = ?)
       ORDER BY r.id DESC
       LIMIT ?`,
    )
    .all(kind ?? null, kind ?? null, limit) as (RunRow & { executions: number; strategies: string | null; symbols: string | null })[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: null,
    createdAt: r.created_at,
    command: r.command,
    subject: (r.kind === 'sim' || r.kind === 'tune' ? scenarioName(r.config_json) : null) ?? r.symbols ?? '',
    executions: r.executions,
    strategies: r.strategies === null ? [] : r.strategies.split(','),
    seed: r.seed,
    dataRef: r.data_ref,
  }));
}

interface SweepListingRow {
  id: number;
  created_at: number;
  status: string;
  spec_json: string;
  results: number;
  open_keys_json: string | null;
}

/** What a sweep spec tells a list (read loosely: a list must not fail on an old or odd spec). */
interface LooseSweepSpec {
  plan?: { seed?: unknown };
  seed?: unknown;
  candidates?: unknown[];
}

function listSweepRows(db: Database, limit: number): RunListing[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.created_at, s.status, s.spec_json, s.open_keys_json,
              (SELECT count(*) FROM sweep_results AS r WHERE r.sweep_id = s.id) AS results
       FROM sweeps AS s ORDER BY s.id DESC LIMIT ?`,
    )
    .all(limit) as SweepListingRow[];
  return rows.map((r) => {
    const spec = (parsed(r.spec_json) ?? {}) as LooseSweepSpec;
    // One open key per execution of the plan (every stored result ran the same executions).
    const openKeys = r.open_keys_json === null ? [] : ((parsed(r.open_keys_json) as string[] | null) ?? []);
    const opens = new Set(openKeys);
    const symbols = [...new Set(openKeys.map((k) => k.split('|')[0]))].sort();
    const candidates = Array.isArray(spec.candidates) ? spec.candidates.length : 0;
    const seed = spec.seed ?? spec.plan?.seed;
    return {
      id: r.id,
      kind: 'tune' as const,
      status: r.status,
      createdAt: r.created_at,
      command: `tune (sweep ${r.id}: ${candidates} candidates, ${r.results} results stored)`,
      subject: symbols.length === 0 ? '' : `${symbols.join(',')} (${opens.size} opens)`,
      executions: openKeys.length * r.results,
      strategies: ['ladder candidates', 'market', 'progressive', 'passive'],
      seed: seed === undefined || seed === null ? null : String(seed),
      dataRef: '',
    };
  });
}

/** @throws StoreError when there is no such run. */
export function readRun(db: Database, runId: number): StoredRun {
  const r = db.prepare('SELECT id, kind, created_at, command, config_json, seed, data_ref, code_version FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (r === undefined) throw new StoreError(db.name, `no run with id ${runId}`);
  return { id: r.id, kind: r.kind, createdAt: r.created_at, command: r.command, config: JSON.parse(r.config_json) as unknown, seed: r.seed, dataRef: r.data_ref, codeVersion: r.code_version };
}

/**
 * The executions.id that a user's reference names: a number is a row id (as `runs` and SQL show
 * it); anything else is the engine's execution id (the key `execute` prints), and when several
 * runs recorded that key the newest wins. Null when nothing matches.
 */
export function resolveExecutionRef(db: Database, ref: string): { readonly id: number; readonly matches: number } | null {
  if (/^\d+$/.test(ref)) {
    const row = db.prepare('SELECT id FROM executions WHERE id = ?').get(Number(ref)) as { id: number } | undefined;
    if (row !== undefined) return { id: row.id, matches: 1 };
  }
  const rows = db.prepare('SELECT id FROM executions WHERE execution_key = ? ORDER BY id DESC').all(ref) as { id: number }[];
  return rows.length === 0 ? null : { id: rows[0]!.id, matches: rows.length };
}
