import { ColumnBuilder } from '../tape/tape.js';
import type { QuoteColumns, TradeColumns } from '../tape/tape.js';
import { addTicks, ticksBetween } from '../../engine/tick.js';
import type { Price } from '../../engine/units.js';
import type { OpenDay, ResolvedProfile } from './open-dynamics.js';
import { nextArrival, spreadExcess, tradeRate } from './open-dynamics.js';
import type { SyntheticRng } from '../rng.js';

// Most prints hit the touch. A few print inside a wide spread (midpoint/price-improving flow);
// while the open is unsettled a few sweep one tick through a quote that is about to move. Prints
// stay on the tick grid so resting-limit fill models can match them against limit prices.
const INSIDE_SHARE = 0.15;
const OPEN_SWEEP_SHARE = 0.03;
// Print sizes are heavy-tailed: mostly odd lots and single round lots, now and then a block.
export const TRADE_SIZE_SIGMA = 0.9;

function tradePrice(bid: Price, ask: Price, excess: number, rng: SyntheticRng): Price {
  const u = rng.uniform();
  if (u < OPEN_SWEEP_SHARE * excess) {
    // Sweeps through the side they take: buys above the ask, sells below the bid.
    if (rng.uniform() < 0.5) return addTicks(ask, 1);
    return bid > 1 ? addTicks(bid, -1) : bid;
  }
  const spread = ticksBetween(bid, ask);
  if (spread >= 2 && rng.uniform() < INSIDE_SHARE) {
    return addTicks(bid, 1 + Math.floor(rng.uniform() * (spread - 1)));
  }
  return rng.uniform() < 0.5 ? bid : ask;
}

/**
 * Trade prints as a Poisson process whose rate follows the open's activity, each priced against
 * the quote prevailing at its time (the last quote at or before it), never a later one.
 * Null when the profile's rates produce no print in the window.
 */
export function generateTrades(p: ResolvedProfile, day: OpenDay, quotes: QuoteColumns, rng: SyntheticRng): TradeColumns | null {
  const time = new ColumnBuilder((n) => new Float64Array(n), 4096);
  const price = new ColumnBuilder((n) => new Int32Array(n), 4096);
  const size = new ColumnBuilder((n) => new Int32Array(n), 4096);

  let q = -1; // index of the prevailing quote
  let t = day.fromMs;
  for (;;) {
    const next = nextArrival(t, tradeRate(p, day, t), rng, day);
    t = next.t;
    if (t >= day.toMs) break;
    if (next.restart) continue;
    const ms = Math.floor(t);
    while (q + 1 < quotes.length && quotes.time[q + 1]! <= ms) q++;
    if (q < 0) continue;
    const excess = spreadExcess(p, day, t);
    const shares = p.tradeSize * Math.exp(TRADE_SIZE_SIGMA * rng.normal() - (TRADE_SIZE_SIGMA * TRADE_SIZE_SIGMA) / 2);
    time.push(ms);
    price.push(tradePrice(quotes.bid[q]!, quotes.ask[q]!, excess, rng));
    size.push(Math.max(1, Math.round(shares)));
  }
  if (time.length === 0) return null;
  // The generator prints only continuous-session trades at displayed prices: all regular.
  return { length: time.length, time: time.finish(), price: price.finish(), size: size.finish(), regular: null };
}
