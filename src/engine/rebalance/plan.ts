import { decimalRatio } from '../decimal-ratio.js';
import { moneyToDollars, notionalFloor, type Money } from '../money.js';
import { guardPrice } from '../pricing.js';
import { midPrice, type Quote } from '../quote.js';
import { dollarsToPrice, QTY_SCALE, qtyToShares, type Qty } from '../units.js';
import { buyPriceCap, granuleOf, sizeBuys, type BuyToSize } from './buy-sizing.js';
import type { LeftAlone, PlannedOrder, RebalanceInput, RebalancePlan, SymbolMarket } from './plan-types.js';

/** A quantity's value at the quote's mid, rounded down (the mid may be a half price unit). */
export function valueAtMid(qty: Qty, quote: Quote): Money {
  const twiceMid = BigInt(quote.bid + quote.ask);
  return Number((BigInt(qty) * twiceMid) / (2n * BigInt(QTY_SCALE)));
}

const TWICE_QTY_SCALE = 2n * BigInt(QTY_SCALE);

/**
 * Equity exactly, in units of 1/(2 x 1e9 x 10,000) dollar (a Qty times twice a mid): the cash plus
 * every position at its mid, with no rounding, so that a weight of a tiny portfolio still lands
 * on the right 1e-9 share.
 */
function exactEquity(input: RebalanceInput, symbols: readonly string[]): bigint {
  let total = BigInt(input.cash) * TWICE_QTY_SCALE;
  for (const s of symbols) {
    const q = input.markets[s]!.quote;
    total += BigInt(input.positions[s] ?? 0) * BigInt(q.bid + q.ask);
  }
  return total;
}

/** What a sell surely raises if it fills: at its guard, or at the bid when there is none. */
function sellFloorPrice(m: SymbolMarket): number {
  return m.maxSlippageBps === null ? m.quote.bid : guardPrice('sell', midPrice(m.quote), m.maxSlippageBps);
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const shares = (q: Qty): string => String(qtyToShares(q));

function roundToGranule(q: Qty, granule: Qty): Qty {
  return Math.round(q / granule) * granule;
}

function floorToGranule(q: Qty, granule: Qty): Qty {
  return Math.floor(q / granule) * granule;
}

/** The most shares (Qty) that `weight` of the exact equity buys at the quote's mid. */
function qtyForWeight(equity2: bigint, weight: number, quote: Quote): Qty {
  const { num, den } = decimalRatio(weight);
  return Number((equity2 * num) / (den * BigInt(quote.bid + quote.ask)));
}

interface SymbolTarget {
  readonly symbol: string;
  readonly held: Qty;
  readonly targetQty: Qty;
  readonly weightNow: number;
  readonly weightTarget: number;
}

/**
 * The orders of a rebalance (pure): sells first, then buys, each with its reason.
 *
 * - Equity is the cash plus every position at its mid. A weight target is that fraction of the
 *   equity at the symbol's mid; a share target is taken as written.
 * - A symbol is left alone when it is at its target, when its weight is closer to the target than
 *   `driftPct` percentage points, when the order would be worth less than `minTradeUsd` at the
 *   mid, or when whole-share rounding leaves nothing to send.
 * - A sell never exceeds what is held (whole shares: rounded to the nearest share, never above the
 *   whole shares held).
 * - Buys are sized from the cash plus what the sells surely raise (at their guard), pro rata when
 *   that does not cover them all at their caps (buy-sizing.ts); the rebalance state machine sizes
 *   them again from the sells' actual proceeds before it sends them. No symbol is both sold and
 *   bought: each gets one order at most.
 *
 * @throws RangeError when a symbol of the targets or positions has no market, or a position is
 *   negative (inputs are checked at the boundary; this is the engine's own guard).
 */
export function planRebalance(input: RebalanceInput): RebalancePlan {
  const { settings, markets } = input;
  const granule = granuleOf(settings.wholeShares);
  const minTrade: Money = dollarsToPrice(settings.minTradeUsd);
  const symbols = [...new Set([...targetSymbols(input), ...Object.keys(input.positions)])].sort();
  for (const s of symbols) {
    if (markets[s] === undefined) throw new RangeError(`rebalance plan: no quote for ${s}`);
    if (!((input.positions[s] ?? 0) >= 0)) throw new RangeError(`rebalance plan: negative position in ${s}`);
  }
  const equity2 = exactEquity(input, symbols);
  const equity = Number(equity2 / TWICE_QTY_SCALE);
  const targets = symbols.map((s) => targetOf(input, s, equity, equity2));

  const sells: PlannedOrder[] = [];
  const wanted: { t: SymbolTarget; desired: Qty; buy: BuyToSize }[] = [];
  const leftAlone: LeftAlone[] = [];
  const leave = (symbol: string, reason: string): void => void leftAlone.push({ symbol, reason });
  const move = (t: SymbolTarget): string => `${pct(t.weightNow)} -> ${pct(t.weightTarget)} of equity`;
  for (const t of targets) {
    const quote = markets[t.symbol]!.quote;
    const drift = Math.abs(t.weightNow - t.weightTarget) * 100;
    if (t.targetQty === t.held) {
      leave(t.symbol, 'at its target');
      continue;
    }
    if (drift < settings.driftPct) {
      leave(t.symbol, `drift ${drift.toFixed(2)} pp is below driftPct ${settings.driftPct}`);
      continue;
    }
    const selling = t.targetQty < t.held;
    const qty = selling
      ? Math.min(settings.wholeShares ? roundToGranule(t.held - t.targetQty, granule) : t.held - t.targetQty, floorToGranule(t.held, granule))
      : floorToGranule(t.targetQty - t.held, granule);
    if (qty <= 0) {
      leave(t.symbol, `less than one whole share to ${selling ? 'sell' : 'buy'}`);
      continue;
    }
    const value = valueAtMid(qty, quote);
    if (value < minTrade) {
      leave(t.symbol, `$${moneyToDollars(value).toFixed(2)} is below minTradeUsd $${settings.minTradeUsd}`);
      continue;
    }
    if (selling) {
      sells.push({ symbol: t.symbol, side: 'sell', qty, desiredQty: qty, priceCap: null, reason: `sell ${shares(qty)} of ${shares(t.held)}: ${move(t)}` });
    } else {
      const cap = buyPriceCap(quote, markets[t.symbol]!.maxSlippageBps, settings.cashBufferBps);
      wanted.push({ t, desired: qty, buy: { symbol: t.symbol, desiredQty: qty, priceCap: cap } });
    }
  }

  const expectedSellProceeds = sells.reduce((sum, o) => sum + notionalFloor(o.qty, sellFloorPrice(markets[o.symbol]!)), 0);
  const sized = sizeBuys(wanted.map((w) => w.buy), input.cash + expectedSellProceeds, granule);
  const covered = sizeBuys(wanted.map((w) => w.buy), input.cash, granule).every((b) => !b.shrunk);
  const buys: PlannedOrder[] = [];
  sized.forEach((b, i) => {
    const { t, desired, buy } = wanted[i]!;
    const value = valueAtMid(b.qty, markets[t.symbol]!.quote);
    if (b.qty <= 0 || value < minTrade) {
      leave(t.symbol, b.qty <= 0 ? 'no cash for it' : `the cash covers $${moneyToDollars(value).toFixed(2)} of it, below minTradeUsd $${settings.minTradeUsd}`);
      return;
    }
    const cut = b.shrunk ? ` (cash covers ${shares(b.qty)} of ${shares(desired)} at the cap)` : '';
    buys.push({ symbol: t.symbol, side: 'buy', qty: b.qty, desiredQty: desired, priceCap: buy.priceCap, reason: `buy ${shares(b.qty)}: ${move(t)}${cut}` });
  });
  return { sells, buys, leftAlone: leftAlone.sort((a, b) => (a.symbol < b.symbol ? -1 : 1)), equity, expectedSellProceeds, buysCoveredByCash: covered };
}

function targetSymbols(input: RebalanceInput): string[] {
  return Object.keys(input.targets.kind === 'weights' ? input.targets.weights : input.targets.shares);
}

function targetOf(input: RebalanceInput, symbol: string, equity: Money, equity2: bigint): SymbolTarget {
  const quote = input.markets[symbol]!.quote;
  const held = input.positions[symbol] ?? 0;
  const weightOf = (q: Qty): number => (equity > 0 ? valueAtMid(q, quote) / equity : 0);
  let targetQty: Qty;
  let weightTarget: number;
  if (input.targets.kind === 'weights') {
    const w = input.targets.weights[symbol] ?? 0;
    targetQty = qtyForWeight(equity2, w, quote);
    weightTarget = w;
  } else {
    // A held symbol without a share target keeps what it holds (the boundary refuses that case anyway).
    targetQty = input.targets.shares[symbol] ?? held;
    weightTarget = weightOf(targetQty);
  }
  return { symbol, held, targetQty, weightNow: weightOf(held), weightTarget };
}
