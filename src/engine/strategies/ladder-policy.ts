import type { LadderParams } from '../config.js';
import type { ExecutionPolicy } from '../execution/types.js';
import { aggressiveLimit } from '../pricing.js';

/**
 * The "better orders" ladder: marketable limit at the far side plus N ticks, re-pegged from a
 * fresh quote up to maxRepegs times (optionally escalating), then the configured fallback, with
 * open timing and the slippage guard.
 */
export function ladderPolicy(p: LadderParams): ExecutionPolicy {
  return {
    name: 'ladder',
    limitSteps: 1 + p.maxRepegs,
    limitPrice: (side, quote, step) => aggressiveLimit(side, quote, p.aggressionTicks + step * p.escalationTicksPerRepeg),
    // The open timeout covers children sent while the open is still settling (before normalEnd).
    timeoutMs: (_step, submittedAt, windows) => (submittedAt < windows.normalEnd ? p.timeouts.openMs : p.timeouts.normalMs),
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
