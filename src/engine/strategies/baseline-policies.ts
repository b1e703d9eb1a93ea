import type { ExecutionPolicy } from '../execution/types.js';
import { limitAtSpreadFraction } from '../pricing.js';

/** Seconds between the steps of the progressive baselines. */
export const PROGRESSIVE_STEP_MS = 10_000;
/** How long a baseline's closing market order may take before the execution is called failed. */
const BASELINE_MARKET_TIMEOUT_MS = 30_000;

function steppedPolicy(name: string, fractions: readonly number[]): ExecutionPolicy {
  return {
    name,
    limitSteps: fractions.length,
    limitPrice: (side, quote, step) => limitAtSpreadFraction(side, quote, fractions[step] ?? 1),
    timeoutMs: () => PROGRESSIVE_STEP_MS,
    fallback: 'market',
    fallbackTimeoutMs: BASELINE_MARKET_TIMEOUT_MS,
    repegMode: 'cancel',
    openGate: null,
    maxSlippageBps: null,
  };
}

/**
 * The system the ladder replaces: a limit at the mid (50% of the spread from the near side),
 * then 75% and 95% toward the far side, 10 s apart, then a market order.
 */
export const progressivePolicy: ExecutionPolicy = steppedPolicy('progressive', [0.5, 0.75, 0.95]);

/** Joins the near side first, then the progressive steps. */
export const passivePolicy: ExecutionPolicy = steppedPolicy('passive', [0, 0.5, 0.75, 0.95]);

/** An immediate market order for the whole quantity. */
export const marketPolicy: ExecutionPolicy = steppedPolicy('market', []);
