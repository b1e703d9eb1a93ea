import { applyGuard } from '../pricing.js';
import { addTicks } from '../tick.js';
import type { Price } from '../units.js';
import type { ExecutionSettings, ExecutionState } from './types.js';

/** A schedule step's limit: the price, and whether the slippage guard is what set it. */
export interface StepLimit {
  readonly price: Price;
  readonly capped: boolean;
  /** Moved one tick past the price the quote gave, because that was the previous child's price. */
  readonly nudged: boolean;
}

/** Schedule step `step`'s limit from the last (valid) quote, capped at the guard. */
export function stepLimit(s: ExecutionState, settings: ExecutionSettings, step: number): StepLimit {
  const { price, capped } = applyGuard(s.side, settings.policy.limitPrice(s.side, s.lastQuote!, step), s.guard);
  return { price, capped, nudged: false };
}

/**
 * The limit price of the last child that worked at the broker (a refused or abandoned replacement
 * never did; a rejected submit ends the execution), or null before the first child.
 */
export function lastWorkedLimit(s: ExecutionState): Price | null {
  for (let i = s.children.length - 1; i >= 0; i--) {
    const c = s.children[i]!;
    if (c.status !== 'rejected') return c.limitPrice;
  }
  return null;
}

/**
 * The limit of the next schedule step for a new child, sent after the previous one ended. No two
 * consecutive children share a price: a timed-out child whose re-peg would not change the price
 * is kept instead of cancelled (advance.ts), so this matters when the previous child ended
 * otherwise — its cancel was sent because the price differed at the timeout and the fresh quote
 * has come back to it since, the broker cancelled it, or a refused replace was turned into a
 * cancel. Then the new child goes one tick further toward the far side: the old price just failed
 * to fill, and re-sending it would only repeat the attempt. Null when the slippage guard is what
 * stops it (the previous child was at the guard, or a sell at the smallest price): the execution
 * goes to its fallback instead.
 */
export function freshStepLimit(s: ExecutionState, settings: ExecutionSettings): StepLimit | null {
  const step = stepLimit(s, settings, s.limitChildren);
  const previous = lastWorkedLimit(s);
  if (previous === null || step.price !== previous) return step;
  const further = addTicks(previous, s.side === 'buy' ? 1 : -1);
  if (further <= 0) return null;
  const { price, capped } = applyGuard(s.side, further, s.guard);
  return price === previous ? null : { price, capped, nudged: true };
}
