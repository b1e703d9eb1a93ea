import { planFromData, runBacktest, type PlanData } from '../sim/backtest.js';
import { whyNothingStarted } from '../sim/no-start.js';
import { BASELINE_JOBS, DEFAULT_JOB_INDEX, MARKET_JOB_INDEX, type SweepJob } from '../analysis/tune/sweep-protocol.js';
import { runSweepJobs } from '../analysis/tune/sweep-runner.js';
import { aggregate } from '../analysis/tune/objective.js';
import { selectWinner, type TuneReport } from '../analysis/tune/select.js';
import type { Candidate, CandidateOutcome, Objective } from '../analysis/tune/types.js';
import type { Database } from '../store/database.js';
import { createSweep, readSweep, readSweepResults, recordSweepResult, setSweepStatus } from '../store/sweeps.js';
import { NoExecutionStarted, UsageError } from './cli-error.js';

/**
 * A sweep from its stored spec to its report, shared by a fresh `tune` and `tune --resume`.
 * Everything a report depends on is in the spec, and the report is always built from the rows
 * read back from the database, so a resumed sweep reports exactly what an uninterrupted one does.
 */

/** Everything needed to run (or resume) a sweep, stored as sweeps.spec_json. */
export interface SweepSpec {
  readonly version: 1;
  /** The plan; its `config` is the base configuration every candidate is applied to. */
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
}

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
  | { readonly status: 'interrupted'; readonly done: number; readonly total: number };

export function startSweep(db: Database, spec: SweepSpec, codeVersion: string): number {
  return createSweep(db, spec, codeVersion);
}

/** The stored spec of a sweep to resume; a UsageError when there is no such sweep. */
export function loadSweepSpec(db: Database, sweepId: number): { spec: SweepSpec; codeVersion: string; status: string } {
  const record = readSweep(db, sweepId);
  if (record === undefined) throw new UsageError(`--resume ${sweepId}: no sweep ${sweepId} in ${db.name}`);
  const spec = record.spec as Partial<SweepSpec> | null;
  if (spec?.version !== 1 || !Array.isArray(spec.candidates) || spec.plan === undefined) {
    throw new UsageError(`--resume ${sweepId}: the stored sweep spec is not one this better-orders can run`);
  }
  return { spec: spec as SweepSpec, codeVersion: record.codeVersion, status: record.status };
}

function allJobs(spec: SweepSpec): SweepJob[] {
  return [...BASELINE_JOBS, ...spec.candidates.map((candidate, index): SweepJob => ({ index, candidate, strategy: 'ladder' }))];
}

function mean(a: Uint8Array): number {
  let sum = 0;
  for (const x of a) sum += x;
  return a.length === 0 ? 0 : sum / a.length;
}

/** Runs whatever the sweep still lacks, streaming each result into sweep_results, then selects. */
export async function executeSweep(db: Database, sweepId: number, spec: SweepSpec, options: ExecuteOptions): Promise<SweepOutcome> {
  const jobs = allJobs(spec);
  const stored = new Set(readSweepResults(db, sweepId).map((r) => r.candidateIndex));
  const pending = jobs.filter((j) => !stored.has(j.index));
  let done = jobs.length - pending.length;
  options.onStart?.(done, jobs.length);
  setSweepStatus(db, sweepId, 'running');
  const byIndex = new Map(jobs.map((j) => [j.index, j]));
  // Whether each baseline (the base configuration, a market order) started any execution, as far
  // as this run saw it (results stored by an interrupted earlier run do not say).
  const baselineStarted = new Map<number, boolean>();
  let result: Awaited<ReturnType<typeof runSweepJobs>>;
  try {
    result = await runSweepJobs(spec.plan, pending, {
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
  if (result.interrupted) {
    setSweepStatus(db, sweepId, 'interrupted');
    return { status: 'interrupted', done, total: jobs.length };
  }
  if (BASELINE_JOBS.every((j) => baselineStarted.get(j.index) === false)) {
    setSweepStatus(db, sweepId, 'done');
    throw new NoExecutionStarted(`sweep ${sweepId}: ${whyNothingStarted(runBacktest({ ...planFromData(spec.plan), strategies: ['market'] })) ?? 'no execution could start under the base configuration'}`);
  }
  const report = reportOf(db, sweepId, spec, result.openKeys);
  setSweepStatus(db, sweepId, 'done');
  return { status: 'done', report, ranAfterResume: pending.length };
}

function reportOf(db: Database, sweepId: number, spec: SweepSpec, openKeys: readonly string[]): TuneReport {
  const outcomes = new Map<number, CandidateOutcome>(readSweepResults(db, sweepId).map((r) => [r.candidateIndex, r]));
  const get = (index: number): CandidateOutcome => {
    const o = outcomes.get(index);
    if (o === undefined) throw new Error(`sweep ${sweepId}: result ${index} is missing after the run`);
    return o;
  };
  return selectWinner({
    candidates: spec.candidates,
    outcomes: spec.candidates.map((_, i) => get(i)),
    defaultOutcome: get(DEFAULT_JOB_INDEX),
    marketOutcome: get(MARKET_JOB_INDEX),
    openKeys,
    objective: spec.objective,
    testFraction: spec.testFraction,
    seed: spec.seed,
  });
}
