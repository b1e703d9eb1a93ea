import type { ExecutionOutcome } from './execution-report.js';

/** The metrics compared between a real execution and its simulated replay, in store units. */
export interface FidelityMetrics {
  readonly filledQty: number;
  /** Volume-weighted fill price, price units (1/10,000 dollar); null when nothing filled. */
  readonly avgPrice: number | null;
  readonly costBps: number | null;
  /** Decision time to the last fill; null when nothing filled. */
  readonly timeToFillMs: number | null;
  readonly repegs: number;
  readonly usedFallback: boolean;
  readonly outcome: ExecutionOutcome;
}
