import type { LadderParams } from '../config.js';
import type { ExecutionPolicy } from '../execution/types.js';
import { ladderSchedule } from './ladder-pricing.js';

/**
 * The "better orders" ladder: by default a marketable limit at the far side plus N ticks,
 * re-pegged from a fresh quote up to maxRepegs times (optionally escalating), then the configured
 * fallback, with open timing and the slippage guard. Its family settings (entry, repegStep,
 * per-class timeouts: ladder-pricing.ts) can start inside the spread instead.
 */
export function ladderPolicy(p: LadderParams): ExecutionPolicy {
  const schedule = ladderSchedule(p);
  return {
    name: 'ladder',
    limitSteps: 1 + p.maxRepegs,
    limitPrice: schedule.limitPrice,
    // The open timeout covers children sent while the open is still settling (before normalEnd).
    timeoutMs: (_step, submittedAt, windows, quote) => schedule.timeoutMs(submittedAt, windows, quote),
    fallback: p.fallback.mode,
    fallbackTimeoutMs: p.fallback.timeoutMs,
    repegMode: p.repegMode,
    openGate: {
      thresholds: p.spread,
      openWaitMs: p.openWaitMs,
      assessment: p.premarketAssessment.enabled ? p.premarketAssessment : null,
    },
    maxSlippageBps: p.maxSlippageBps,
  };
}
