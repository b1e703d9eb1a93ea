/**
 * The flat repeated-snapshot market: 200 x $50.00 / $50.01 x 200 quoted every 100 ms for minutes,
 * with no prints. Only 200 shares are ever offered at the touch, and the depth rule adds 200 per
 * tick beyond it, once. Whatever the strategy or the liquidity model, no price can fill more than
 * that: the snapshots repeat, the liquidity does not.
 */
import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../../src/engine/strategies/strategy-settings.js';
import { priceToDollars, qtyToShares, type Side } from '../../../src/engine/units.js';
import { LIQUIDITY_NAMES } from '../../../src/sim/liquidity/liquidity-model.js';
import { buildTape, MIN, steadyQuotes } from '../tape-builder.js';
import { fixedLatency, runOn } from '../sim-run.js';

const SHOWN = 200;
const flat = buildTape(steadyQuotes(29 * MIN, 36 * MIN, { bid: 50, spread: 0.01, everyMs: 100, size: SHOWN }));

/** Shares filled at each price (dollars), over every child of the execution. */
function sharesByPrice(side: Side, strategy: (typeof STRATEGIES)[number], liquidity: (typeof LIQUIDITY_NAMES)[number]): Map<number, number> {
  const r = runOn(flat, { strategy, side, shares: 2_000, decisionMs: 30 * MIN, fillModel: fixedLatency({ liquidity }) });
  const by = new Map<number, number>();
  for (const f of r.childOrders.flatMap((c) => c.fills)) by.set(priceToDollars(f.price), (by.get(priceToDollars(f.price)) ?? 0) + qtyToShares(f.qty));
  return by;
}

describe('a flat tape of repeated identical snapshots', () => {
  for (const liquidity of LIQUIDITY_NAMES) {
    for (const side of ['buy', 'sell'] as const) {
      it(`${liquidity}, ${side} 2,000: no price fills more than the ${SHOWN} shown there (touch or depth rule), for every strategy`, () => {
        for (const strategy of STRATEGIES) {
          const by = sharesByPrice(side, strategy, liquidity);
          for (const [price, shares] of by) expect(shares, `${strategy} at $${price}`).toBeLessThanOrEqual(SHOWN);
          // Never better than the touch: nothing is offered inside the spread.
          for (const price of by.keys()) expect(side === 'buy' ? price >= 50.01 : price <= 50.0).toBe(true);
        }
      });
    }
    it(`${liquidity}: a market buy of 2,000 walks ten ticks at once, 200 at each`, () => {
      const by = sharesByPrice('buy', 'market', liquidity);
      expect([...by.entries()].sort((a, b) => a[0] - b[0])).toEqual(Array.from({ length: 10 }, (_, k) => [Math.round((50.01 + k * 0.01) * 100) / 100, SHOWN]));
    });
  }
});
