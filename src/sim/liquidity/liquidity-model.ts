export const LIQUIDITY_NAMES = ['conservative', 'nominal'] as const;
export type LiquidityName = (typeof LIQUIDITY_NAMES)[number];

/**
 * What the simulator assumes about liquidity it cannot see on an L1 tape, as one small named
 * object (after nautilus_trader's fill-model objects and its liquidity_consumption and
 * queue_position options; the queue rules follow hftbacktest's risk-averse and probabilistic
 * queue models). The exchange (sim-exchange.ts) applies the same rules to arriving and resting
 * orders; what differs between models is only what this interface answers.
 *
 * Shared by every model, in the exchange itself:
 * - displayed size at a price, once taken, stays taken until the tape shows new size there: an
 *   increase at that price, or the price leaving the far side (the level cleared) and coming back;
 * - prints that repeat liquidity we already took from the quotes are not counted twice;
 * - only regular prints (tape/sale-conditions.ts) fill resting orders.
 *
 * Sizes are in shares; fractional values are fine.
 */
export interface LiquidityModel {
  readonly name: LiquidityName;
  /** What the model assumes, a sentence each (README and `backtest --help` quote them). */
  readonly assumptions: readonly string[];
  /**
   * The depth rule: shares resting `ticks` (>= 1) beyond a touch that shows `touchShares`, which
   * an order may take by walking past the touch up to its limit, arriving or resting alike.
   */
  depthBeyondTouch(touchShares: number, ticks: number): number;
  /**
   * True when the displayed size at a queued order's price moves its queue position (cancels
   * ahead of it): the simulator then replays every quote while such an order has a queue ahead.
   */
  readonly creditsCancelsAhead: boolean;
  /** Shares still ahead of a queued order after the size displayed at its price fell from `before` to `after` with no print. */
  aheadAfterShrink(ahead: number, before: number, after: number): number;
  /** Shares still ahead of a queued order after a print through its limit (that print then fills it with what is left). */
  aheadAfterPrintThrough(ahead: number): number;
}

export function isLiquidityName(s: string): s is LiquidityName {
  return (LIQUIDITY_NAMES as readonly string[]).includes(s);
}
