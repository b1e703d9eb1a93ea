import type { LiquidityModel } from './liquidity-model.js';

/**
 * The default: no credit for anything the tape does not show. A queued order advances only when
 * regular prints at or through its price use up the queue displayed ahead of it when it joined
 * (cancels are assumed to come from behind it), and no hidden size is assumed anywhere.
 */
export const conservativeLiquidity: LiquidityModel = {
  name: 'conservative',
  assumptions: [
    'a queued order moves up only as regular prints at or through its price trade the queue displayed ahead of it when it joined; cancels ahead are never credited',
    'a print through its limit trades that queue first too',
    'no hidden or reserve size; each tick beyond the touch holds what the touch shows (a flat book)',
  ],
  depthBeyondTouch: (touchShares) => touchShares,
  creditsCancelsAhead: false,
  aheadAfterShrink: (ahead) => ahead,
  aheadAfterPrintThrough: (ahead) => ahead,
};
