import { DEFAULT_CONFIG } from '../src/engine/config.js';
import { formatClock, parseClock } from '../src/engine/et-time.js';
import { sharesToQty } from '../src/engine/units.js';
import type { PlanData } from '../src/sim/backtest.js';
import { DEFAULT_FILL_MODEL } from '../src/sim/fill-model-config.js';
import { randomCandidates, validCandidates } from '../src/analysis/tune/candidates.js';
import { DEFAULT_SEARCH_SPACE } from '../src/analysis/tune/search-space.js';
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

/** A single-threaded sweep must last at least this long for its speedup to mean something (issue 10). */
export const LONG_SWEEP_MS = 20_000;
/** The long sweep is sized for this much single-threaded time, a margin over LONG_SWEEP_MS for a machine that speeds up. */
const LONG_SWEEP_TARGET_MS = 25_000;

/**
 * Sweep throughput on 2 worker threads over 1 worker thread (the tuner's own runner, each worker
 * loading the tape once), the same jobs both times. Both start cold: comparing against the main
 * thread, already warmed by the other measurements, would understate the speedup.
 * - The short sweep (`jobCount` candidates, about 2 s) is kept as a diagnostic
 *   (`workerSpeedupShortSweep`, and `...Steady` after start-up): worker start-up, module loading,
 *   the tape load and JIT warm-up are a large part of it.
 * - `workerSpeedup` is measured where it means something: on a sweep sized from the short one's
 *   steady single-worker throughput to last about 25 s on one worker (`sweep1WorkerMs`, at least
 *   20 s: `longSweepAtLeast20s`), timed whole, start to last result.
 */
export async function measureWorkerSpeedup(tapeFile: string, jobCount: number) {
  const plan = sweepPlan(tapeFile);
  const executionsPerJob = plan.decisionTimes.length * plan.sides.length;
  const jobs = sweepJobs(jobCount);
  const shortOne = await timeSweep(plan, jobs, 1);
  const shortTwo = await timeSweep(plan, jobs, 2);
  const longCount = Math.ceil((shortOne.steadyPerSecond * LONG_SWEEP_TARGET_MS) / 1000);
  const longJobs = sweepJobs(longCount);
  const one = await timeSweep(plan, longJobs, 1);
  const two = await timeSweep(plan, longJobs, 2);
  return {
    shortSweepJobs: jobs.length,
    shortSweepExecutions: jobs.length * executionsPerJob,
    shortSweep1WorkerMs: round(shortOne.ms),
    shortSweep2WorkersMs: round(shortTwo.ms),
    workerSpeedupShortSweep: round(shortOne.ms / shortTwo.ms, 2),
    workerSpeedupShortSweepSteady: round(shortTwo.steadyPerSecond / shortOne.steadyPerSecond, 2),
    sweepJobs: longJobs.length,
    sweepExecutions: longJobs.length * executionsPerJob,
    sweep1WorkerMs: round(one.ms),
    sweep2WorkersMs: round(two.ms),
    longSweepAtLeast20s: one.ms >= LONG_SWEEP_MS,
    workerSpeedup: round(one.ms / two.ms, 2),
    workerSpeedupSteady: round(two.steadyPerSecond / one.steadyPerSecond, 2),
  };
}
