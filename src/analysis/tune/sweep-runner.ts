import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { planFromData, type PlanData } from '../../sim/backtest.js';
import { cachePlanTapes, evaluateCandidate, openKeysOf } from './evaluate.js';
import type { BatchMessage, SweepJob, WorkerMessage } from './sweep-protocol.js';
import type { CandidateOutcome, OpenKeys } from './types.js';

/** A failure inside a worker; `errorName` is the original error's class name (e.g. TapeFormatError). */
export class SweepWorkerError extends Error {
  override readonly name = 'SweepWorkerError';
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SweepRunOptions {
  /** 1 runs in this thread; more starts that many worker threads (never more than there are jobs). */
  readonly workers: number;
  /**
   * Use worker threads even for one worker. The benchmark needs it to compare like with like:
   * one cold worker thread against two, rather than against an already warm main thread.
   */
  readonly forceThreads?: boolean;
  /**
   * Called once per job as its result arrives, in completion order (which depends on the number of
   * workers: callers key results by index). A throw stops the sweep and rejects the run.
   */
  readonly onResult: (index: number, outcome: CandidateOutcome) => void;
  /** Aborting stops handing out jobs; results already in flight still arrive through onResult. */
  readonly signal?: AbortSignal;
  /** The compiled worker script; by default the sweep-worker.js beside this module (or in dist/). */
  readonly workerScript?: URL;
}

export interface SweepRunResult {
  /** The day of each execution of the plan, in plan order. */
  readonly openKeys: OpenKeys;
  /** True when the signal stopped the run before every job was handed out. */
  readonly interrupted: boolean;
}

/** Evaluates the jobs on the plan, in this thread or on a pool of workers. */
export async function runSweepJobs(plan: PlanData, jobs: readonly SweepJob[], options: SweepRunOptions): Promise<SweepRunResult> {
  if (jobs.length === 0 || (options.workers <= 1 && options.forceThreads !== true)) return runInThisThread(plan, jobs, options);
  return runOnWorkers(plan, jobs, Math.max(1, Math.min(options.workers, jobs.length)), options);
}

async function runInThisThread(data: PlanData, jobs: readonly SweepJob[], options: SweepRunOptions): Promise<SweepRunResult> {
  const plan = cachePlanTapes(planFromData(data));
  const openKeys = openKeysOf(plan);
  for (const job of jobs) {
    if (options.signal?.aborted === true) return { openKeys, interrupted: true };
    options.onResult(job.index, evaluateCandidate(plan, job.candidate, job.strategy));
    // Yield between configurations so a Ctrl-C handler can run (costs microseconds per job).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { openKeys, interrupted: false };
}

export function defaultWorkerScript(): URL {
  const here = new URL(import.meta.url);
  // Under the test runner this module is the TypeScript source, which a worker cannot load: its
  // compiled twin in dist/ (built by `npm run build`, which `npm test` runs first) is used instead.
  if (here.pathname.endsWith('.ts')) return new URL('../../../dist/analysis/tune/sweep-worker.js', here);
  return new URL('./sweep-worker.js', here);
}

/**
 * Jobs go out in small batches: large enough that messaging is noise next to a ladder run, small
 * enough that the workers finish together instead of one idling while another works off a backlog.
 */
function batchSize(jobs: number, workers: number): number {
  return Math.max(1, Math.min(16, Math.floor(jobs / (workers * 8))));
}

function runOnWorkers(data: PlanData, jobs: readonly SweepJob[], count: number, options: SweepRunOptions): Promise<SweepRunResult> {
  const script = options.workerScript ?? defaultWorkerScript();
  if (!existsSync(fileURLToPath(script))) {
    return Promise.reject(new Error(`sweep worker script ${fileURLToPath(script)} is missing; run \`npm run build\` first`));
  }
  const size = batchSize(jobs.length, count);
  return new Promise((resolve, reject) => {
    let next = 0;
    let live = count;
    let failed = false;
    let openKeys: OpenKeys | undefined;
    const workers: Worker[] = [];
    const stopping = new Set<Worker>();
    const stop = (w: Worker): void => {
      stopping.add(w);
      void w.terminate();
    };
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      workers.forEach(stop);
      reject(err);
    };
    const dispatch = (w: Worker): void => {
      if (failed) return;
      if (next >= jobs.length || options.signal?.aborted === true) return stop(w);
      const batch: BatchMessage = { kind: 'batch', jobs: jobs.slice(next, next + size) };
      next += batch.jobs.length;
      w.postMessage(batch);
    };
    for (let i = 0; i < count; i++) {
      const w = new Worker(script, { workerData: { plan: data } });
      workers.push(w);
      w.on('message', (m: WorkerMessage) => {
        if (failed) return;
        if (m.kind === 'ready') {
          openKeys ??= m.openKeys;
          dispatch(w);
        } else if (m.kind === 'idle') {
          dispatch(w);
        } else if (m.kind === 'error') {
          fail(new SweepWorkerError(m.name, m.message));
        } else {
          try {
            options.onResult(m.index, m.outcome);
          } catch (err) {
            fail(err);
          }
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        live -= 1;
        if (!stopping.has(w)) return fail(new Error(`a sweep worker stopped unexpectedly (exit code ${code})`));
        if (live > 0 || failed) return;
        if (openKeys === undefined) fail(new Error('no sweep worker started'));
        else resolve({ openKeys, interrupted: next < jobs.length });
      });
    }
  });
}
