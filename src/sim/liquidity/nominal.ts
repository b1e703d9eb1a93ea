import type { LiquidityModel } from './liquidity-model.js';

/**
 * The best honest estimate: cancels are spread evenly through a queue, so when the size displayed
 * at a queued order's price drops without a print, the share ahead of it drops in proportion
 * (hftbacktest's probabilistic queue with a linear weight); when the level disappears, nothing is
 * ahead. A print through the limit means the book at the limit was swept: it fills the order at
 * once. Still no hidden size: L1 data cannot measure it.
 */
export const nominalLiquidity: LiquidityModel = {
  name: 'nominal',
  assumptions: [
    'cancels are spread evenly through a queue: when the size shown at a queued order\'s price drops with no print, the queue ahead of it shrinks in proportion',
    'a print through its limit fills it at once (the level was swept)',
    'no hidden or reserve size; each tick beyond the touch holds what the touch shows (a flat book)',
  ],
  depthBeyondTouch: (touchShares) => touchShares,
  creditsCancelsAhead: true,
  aheadAfterShrink: (ahead, before, after) => (before > 0 ? (ahead * Math.max(0, after)) / before : 0),
  aheadAfterPrintThrough: () => 0,
};
