import { planFromData, runBacktest } from '../sim/backtest.js';
import { whyNothingStarted } from '../sim/no-start.js';
import { liquidityKeysOf } from '../analysis/tune/evaluate.js';
import { aggregate } from '../analysis/tune/objective.js';
import { selectWinner, type TuneReport } from '../analysis/tune/select.js';
import { checkSweepSpec, sweepJobs, type SweepSpec } from '../analysis/tune/sweep-spec.js';
import { BASELINE_JOBS, DEFAULT_JOB_INDEX, MARKET_JOB_INDEX, PASSIVE_JOB_INDEX, PROGRESSIVE_JOB_INDEX } from '../analysis/tune/sweep-protocol.js';
import { runSweepJobs } from '../analysis/tune/sweep-runner.js';
import type { CandidateOutcome } from '../analysis/tune/types.js';
import type { Database } from '../store/database.js';
import { createSweep, readSweep, readSweepResults, recordSweepResult, setSweepOpenKeys, setSweepStatus } from '../store/sweeps.js';
import { NoExecutionStarted, UsageError } from './cli-error.js';

export type { SweepSpec } from '../analysis/tune/sweep-spec.js';

/**
 * A sweep from its stored spec to its report, shared by a fresh `tune`, `tune --resume` and
 * `tune merge`. Everything a report depends on is in the spec, and the report is always built from
 * the rows read back from the database, so a resumed or merged sweep reports exactly what an
 * uninterrupted, unsharded one does.
 */

export interface ExecuteOptions {
  readonly workers: number;
  readonly signal?: AbortSignal;
  /** Called once before running, with the results already stored (by an earlier, interrupted run). */
  readonly onStart?: (alreadyDone: number, total: number) => void;
  /** Called after each stored result: results stored so far (earlier runs included) and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly workerScript?: URL;
}

export type SweepOutcome =
  | { readonly status: 'done'; readonly report: TuneReport; readonly ranAfterResume: number }
  /** A shard has no report of its own: `tune merge` makes one from all the shards. */
  | { readonly status: 'shard-done'; readonly evaluated: number; readonly ranAfterResume: number }
  | { readonly status: 'interrupted'; readonly done: number; readonly total: number };

export function startSweep(db: Database, spec: SweepSpec, codeVersion: string): number {
  return createSweep(db, spec, codeVersion);
}

/** The stored spec of a sweep to resume; a UsageError when there is no such sweep or it cannot be run. */
export function loadSweepSpec(db: Database, sweepId: number): { spec: SweepSpec; codeVersion: string; status: string } {
  const record = readSweep(db, sweepId);
  if (record === undefined) throw new UsageError(`--resume ${sweepId}: no sweep ${sweepId} in ${db.name}`);
  const spec = checkSweepSpec(record.spec);
  if (typeof spec === 'string') throw new UsageError(`--resume ${sweepId}: ${spec}`);
  return { spec, codeVersion: record.codeVersion, status: record.status };
}

function mean(a: Uint8Array): number {
  let sum = 0;
  for (const x of a) sum += x;
  return a.length === 0 ? 0 : sum / a.length;
}

/** Runs whatever the sweep still lacks, streaming each result into sweep_results, then selects (unless it is a shard). */
export async function executeSweep(db: Database, sweepId: number, spec: SweepSpec, options: ExecuteOptions): Promise<SweepOutcome> {
  const jobs = sweepJobs(spec);
  const stored = new Set(readSweepResults(db, sweepId).map((r) => r.candidateIndex));
  const pending = jobs.filter((j) => !stored.has(j.index));
  let done = jobs.length - pending.length;
  options.onStart?.(done, jobs.length);
  setSweepStatus(db, sweepId, 'running');
  const byIndex = new Map(jobs.map((j) => [j.index, j]));
  // Whether each baseline (the base configuration, the three strategies) started any execution,
  // as far as this run saw it (results stored by an interrupted earlier run do not say).
  const baselineStarted = new Map<number, boolean>();
  const known = readSweep(db, sweepId)?.openKeys ?? null;
  let result: Awaited<ReturnType<typeof runSweepJobs>>;
  try {
    // A finished sweep whose opens are on record needs no tapes to be reported again.
    result = pending.length === 0 && known !== null ? { openKeys: known, interrupted: false } : await runSweepJobs(spec.plan, pending, {
      workers: options.workers,
      signal: options.signal,
      workerScript: options.workerScript,
      onResult: (index, outcome) => {
        if (index < 0 && outcome.started !== undefined) baselineStarted.set(index, outcome.started.includes(1));
        recordSweepResult(db, sweepId, {
          candidateIndex: index,
          candidate: byIndex.get(index)?.candidate ?? null,
          ...outcome,
          objective: aggregate(outcome.costs, spec.objective),
          fillRate: mean(outcome.filled),
          fallbackRate: mean(outcome.fallback),
        });
        done += 1;
        options.onProgress?.(done, jobs.length);
      },
    });
  } catch (err) {
    setSweepStatus(db, sweepId, 'interrupted');
    throw err;
  }
  if (known === null) setSweepOpenKeys(db, sweepId, result.openKeys);
  if (result.interrupted) {
    setSweepStatus(db, sweepId, 'interrupted');
    return { status: 'interrupted', done, total: jobs.length };
  }
  if (BASELINE_JOBS.every((j) => baselineStarted.get(j.index) === false)) {
    setSweepStatus(db, sweepId, 'done');
    // One liquidity model is enough to say why: the reasons are about the orders, not the fills.
    const plan = planFromData(spec.plan);
    const why = whyNothingStarted(runBacktest({ ...plan, strategies: ['market'], liquidity: plan.liquidity.slice(0, 1) }));
    throw new NoExecutionStarted(`sweep ${sweepId}: ${why ?? 'no execution could start under the base configuration'}`);
  }
  setSweepStatus(db, sweepId, 'done');
  if (spec.shard !== null) return { status: 'shard-done', evaluated: jobs.length - BASELINE_JOBS.length, ranAfterResume: pending.length };
  const report = reportFromResults(spec, new Map(readSweepResults(db, sweepId).map((r) => [r.candidateIndex, r])), result.openKeys, `sweep ${sweepId}`);
  return { status: 'done', report, ranAfterResume: pending.length };
}

/**
 * The report of a whole sweep from its spec, its results by candidate index and the open of each
 * execution. `what` names the sweep in errors.
 */
export function reportFromResults(spec: SweepSpec, results: ReadonlyMap<number, CandidateOutcome>, openKeys: readonly string[], what: string): TuneReport {
  const get = (index: number): CandidateOutcome => {
    const o = results.get(index);
    if (o === undefined) throw new Error(`${what}: result ${index} is missing`);
    return o;
  };
  const plan = planFromData(spec.plan);
  return selectWinner({
    candidates: spec.candidates,
    outcomes: spec.candidates.map((_, i) => get(i)),
    rivals: { default: get(DEFAULT_JOB_INDEX), market: get(MARKET_JOB_INDEX), progressive: get(PROGRESSIVE_JOB_INDEX), passive: get(PASSIVE_JOB_INDEX) },
    openKeys,
    liquidityKeys: liquidityKeysOf(plan),
    objective: spec.objective,
    testFraction: spec.testFraction,
    seed: spec.seed,
    maxP95Seconds: spec.maxP95Seconds,
    allowUnderfill: spec.allowUnderfill,
  });
}
