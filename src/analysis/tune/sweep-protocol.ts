import type { StrategyName } from '../../engine/strategies/strategy-settings.js';
import type { Candidate, CandidateOutcome, OpenKeys } from './types.js';

/**
 * One evaluation of a sweep: a candidate by its index in the sweep's list, or a baseline
 * (index -1: the default configuration; -2: a market order; -3: progressive; -4: passive),
 * which runs with no candidate.
 */
export interface SweepJob {
  readonly index: number;
  readonly candidate: Candidate | null;
  readonly strategy: StrategyName;
}

export const DEFAULT_JOB_INDEX = -1;
export const MARKET_JOB_INDEX = -2;
export const PROGRESSIVE_JOB_INDEX = -3;
export const PASSIVE_JOB_INDEX = -4;

/** The baselines every sweep measures once beside its candidates: the base configuration and the three rival strategies. */
export const BASELINE_JOBS: readonly SweepJob[] = [
  { index: PASSIVE_JOB_INDEX, candidate: null, strategy: 'passive' },
  { index: PROGRESSIVE_JOB_INDEX, candidate: null, strategy: 'progressive' },
  { index: MARKET_JOB_INDEX, candidate: null, strategy: 'market' },
  { index: DEFAULT_JOB_INDEX, candidate: null, strategy: 'ladder' },
];

/** Main thread -> worker: evaluate these jobs, in order. */
export interface BatchMessage {
  readonly kind: 'batch';
  readonly jobs: readonly SweepJob[];
}

/** Worker -> main thread. */
export type WorkerMessage =
  | { readonly kind: 'ready'; readonly openKeys: OpenKeys }
  | { readonly kind: 'result'; readonly index: number; readonly outcome: CandidateOutcome }
  | { readonly kind: 'idle' }
  /** `name` is the error class's name, so the CLI can still tell a bad tape from a bug. */
  | { readonly kind: 'error'; readonly name: string; readonly message: string };

/**
 * The buffers of an outcome, once each: transferring them moves the arrays without copying, and a
 * transfer list that names one buffer twice (arrays sharing memory) is refused by postMessage.
 */
export function outcomeBuffers(o: CandidateOutcome): ArrayBuffer[] {
  return [...new Set([o.costs.buffer, o.filled.buffer, o.fallback.buffer, o.completeMs?.buffer, o.started?.buffer])].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
