import { DEFAULT_CONFIG } from '../src/engine/config.js';
import { formatClock, parseClock } from '../src/engine/et-time.js';
import { sharesToQty } from '../src/engine/units.js';
import type { PlanData } from '../src/sim/backtest.js';
import { DEFAULT_FILL_MODEL } from '../src/sim/fill-model-config.js';
import { DEFAULT_SEARCH_SPACE, randomCandidates, validCandidates } from '../src/analysis/tune/candidates.js';
import type { SweepJob } from '../src/analysis/tune/sweep-protocol.js';
import { runSweepJobs } from '../src/analysis/tune/sweep-runner.js';
import { LADDER_SHARES } from './ladder-runs.js';
import { round } from './timing.js';

/** Decision times of the sweep's plan: every 30 s from 09:30:00 to 09:59:30 ET. */
function decisionClocks(): string[] {
  const open = parseClock('09:30:00');
  return Array.from({ length: 60 }, (_, i) => formatClock(open + i * 30_000).slice(0, 8));
}

/** A tuning plan on one tape: ladder orders of 500 shares, both sides, 60 decision times. */
export function sweepPlan(tapeFile: string): PlanData {
  return {
    tapeSpecs: [{ kind: 'file', path: tapeFile }],
    overlays: {},
    sides: ['buy', 'sell'],
    quantities: [sharesToQty(LADDER_SHARES)],
    decisionTimes: decisionClocks(),
    strategies: ['ladder'],
    config: DEFAULT_CONFIG,
    fillModel: DEFAULT_FILL_MODEL,
    seed: 1,
  };
}

/** `count` valid random candidates of the tuner's default search space, as sweep jobs. */
export function sweepJobs(count: number): SweepJob[] {
  const { valid } = validCandidates(DEFAULT_CONFIG, randomCandidates(DEFAULT_SEARCH_SPACE, count, 'bench'));
  return valid.map((candidate, index) => ({ index, candidate, strategy: 'ladder' as const }));
}

interface SweepTiming {
  /** Start to last result. */
  readonly ms: number;
  /** Results per second after the first fifth of them (start-up, tape loads and JIT warm-up done). */
  readonly steadyPerSecond: number;
}

/** Times one whole sweep on `workers` threads, and its steady-state throughput. */
async function timeSweep(plan: PlanData, jobs: readonly SweepJob[], workers: number): Promise<SweepTiming> {
  const arrivals: number[] = [];
  const start = performance.now();
  await runSweepJobs(plan, jobs, { workers, forceThreads: true, onResult: () => void arrivals.push(performance.now()) });
  const end = performance.now();
  if (arrivals.length !== jobs.length) throw new Error(`sweep returned ${arrivals.length} results for ${jobs.length} jobs`);
  const k = Math.ceil(arrivals.length / 5);
  const steadyMs = arrivals[arrivals.length - 1]! - arrivals[k - 1]!;
  return { ms: end - start, steadyPerSecond: steadyMs > 0 ? ((arrivals.length - k) * 1000) / steadyMs : NaN };
}

/**
 * Sweep throughput on 2 worker threads over 1 worker thread (the tuner's own runner, each worker
 * loading the tape once), the same jobs both times. Both start cold: comparing against the main
 * thread, already warmed by the other measurements, would understate the speedup.
 * `workerSpeedup` times each sweep whole, from start to last result, so worker start-up, tape
 * loads and JIT warm-up count; `workerSpeedupSteady` compares the throughput once they are done.
 */
export async function measureWorkerSpeedup(tapeFile: string, jobCount: number) {
  const plan = sweepPlan(tapeFile);
  const jobs = sweepJobs(jobCount);
  const one = await timeSweep(plan, jobs, 1);
  const two = await timeSweep(plan, jobs, 2);
  return {
    sweepJobs: jobs.length,
    sweepExecutions: jobs.length * plan.decisionTimes.length * plan.sides.length,
    sweep1WorkerMs: round(one.ms),
    sweep2WorkersMs: round(two.ms),
    workerSpeedup: round(one.ms / two.ms, 2),
    workerSpeedupSteady: round(two.steadyPerSecond / one.steadyPerSecond, 2),
  };
}
