import type { PlanData } from '../../sim/backtest.js';
import { BASELINE_JOBS, type SweepJob } from './sweep-protocol.js';
import type { Candidate, Objective } from './types.js';

/**
 * Everything a sweep's report depends on, stored as sweeps.spec_json: a resumed sweep, or the
 * merge of a sharded one, rebuilds the same report from it and the stored results alone.
 */
export interface SweepSpec {
  readonly version: 2;
  /** The plan; its `config` is the base configuration every candidate is applied to, its `liquidity` the models of the verdict. */
  readonly plan: PlanData;
  /** The valid candidates, in index order. */
  readonly candidates: readonly Candidate[];
  /** Candidates dropped before the sweep because their configuration was invalid. */
  readonly skipped: number;
  readonly objective: Objective;
  readonly testFraction: number;
  /** Seeds the train/test split and the bootstrap. */
  readonly seed: string | number;
  /** How the candidates were made (for people reading the table). */
  readonly search: { readonly kind: 'grid'; readonly file: string } | { readonly kind: 'random'; readonly n: number; readonly space: string };
  /** Only candidates whose train p95 time to complete is within this many seconds may win; null: no deadline. */
  readonly maxP95Seconds: number | null;
  /** Let a winner that fills less than the default be reported and written. */
  readonly allowUnderfill: boolean;
  /** This sweep evaluates shard `index` (1-based) of `count`; null: the whole sweep. */
  readonly shard: { readonly index: number; readonly count: number } | null;
}

export const SWEEP_SPEC_VERSION = 2;

/** The stored spec when it is one this version can run, or why not. */
export function checkSweepSpec(raw: unknown): SweepSpec | string {
  const spec = raw as (Omit<Partial<SweepSpec>, 'version'> & { version?: number }) | null;
  if (spec?.version === 1) return 'it was stored by an older better-orders (before time to complete, every baseline and shards); start a new sweep';
  if (spec?.version !== SWEEP_SPEC_VERSION || !Array.isArray(spec.candidates) || spec.plan === undefined) return 'the stored sweep spec is not one this better-orders can run';
  return spec as SweepSpec;
}

/** Parses "K/N" (1 <= K <= N); null when malformed. */
export function parseShard(text: string): { index: number; count: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return null;
  return { index, count };
}

/**
 * Whether candidate `index` belongs to shard `k` of `n`: a fixed partition by index (round robin),
 * so shards get similar mixes of the search space and every candidate is in exactly one shard.
 */
export function inShard(index: number, shard: { readonly index: number; readonly count: number }): boolean {
  return index % shard.count === shard.index - 1;
}

/**
 * The jobs a sweep runs: every baseline, then its candidates (a shard's only). Every shard runs
 * the baselines too (five jobs, next to nothing beside the candidates), so a merge can check
 * that its shards ran on the same data and code: their baselines must agree bit for bit.
 */
export function sweepJobs(spec: SweepSpec): SweepJob[] {
  const candidates = spec.candidates
    .map((candidate, index): SweepJob => ({ index, candidate, strategy: 'ladder' }))
    .filter((job) => spec.shard === null || inShard(job.index, spec.shard));
  return [...BASELINE_JOBS, ...candidates];
}

/** The spec without its shard: what every shard of one sweep shares, and what their merge stores. */
export function unsharded(spec: SweepSpec): SweepSpec {
  return { ...spec, shard: null };
}
