import type { ExecutionEvent, OrderRequest } from '../engine/execution/types.js';
import { isRegularHours, type ResolvedWindows } from '../engine/trading-day-windows.js';
import { addTicks, isOnTickGrid, ticksBetween } from '../engine/tick.js';
import { QTY_SCALE, type EpochMs, type Price, type Qty, type Side } from '../engine/units.js';
import type { FillModelConfig } from './fill-model-config.js';
import type { LiquidityModel } from './liquidity/liquidity-model.js';
import { liquidityModel } from './liquidity/liquidity-models.js';
import { TakenLiquidity } from './liquidity/taken-liquidity.js';
import { isRegularPrint, lastIndexAtOrBefore, type Tape } from './tape/tape.js';
import { quoteIndexOf, type QuoteIndex, type TradeIndex } from './tape/tape-index.js';

/** Displayed size assumed when a quote shows a price with no size. */
const MIN_DISPLAYED_SHARES = 100;
/** An order walks at most this many ticks beyond the touch in one go, then waits for quotes. */
const MAX_WALK_LEVELS = 50;

interface WorkingOrder {
  readonly req: OrderRequest;
  filled: Qty;
  /** Estimated queue ahead of us at our limit (Qty): what must trade there before we do. */
  ahead: Qty;
  /** Size the tape shows at our limit on our side (Qty), as last seen; -1 while unknown (we are behind the NBBO). */
  shownAtLimit: Qty;
  /** Arrived while matching was paused: it meets the first quote after the pause as if arriving. */
  waiting: boolean;
}

/** A report from the venue, stamped with the venue time it happened. */
export type VenueReport = ExecutionEvent;

/**
 * The simulated broker and exchange for one execution's orders. It matches only against quotes
 * and trades at or before the current virtual time, so no fill ever uses the future.
 * `report(event)` hands each broker report to the driver, which adds the report latency.
 *
 * Liquidity follows one rule for arriving and resting orders alike (liquidity/liquidity-model.ts):
 * - An order whose limit the far side reaches takes the displayed size there, then walks the
 *   depth rule's levels beyond the touch up to its limit, each price's size net of what our
 *   orders already took there (liquidity/taken-liquidity.ts). An arriving order is the taker and
 *   pays each level's price; a resting order is the price setter and fills at its limit.
 * - A resting order whose limit the far side only touches fills from it once nothing is ahead of
 *   it in the queue; regular prints at or through its limit use up the queue ahead first, then
 *   fill it; the model says how cancels and prints through the limit move the queue.
 * - Prints can repeat liquidity we already took from the quotes (the counterparty we took is the
 *   one the tape shows trading with someone else): such shares are not counted twice.
 */
export class SimExchange {
  private readonly open = new Map<string, WorkingOrder>();
  private readonly done = new Set<string>();
  private readonly index: QuoteIndex;
  private readonly taken: Record<Side, TakenLiquidity>;
  /** Qty our orders took from displayed quotes that later prints have not yet accounted for. */
  private readonly unbacked: Record<Side, Qty> = { buy: 0, sell: 0 };

  private readonly liquidity: LiquidityModel;

  constructor(
    private readonly tape: Tape,
    private readonly cfg: FillModelConfig,
    private readonly windows: ResolvedWindows | null,
    private readonly uniform: () => number,
    private readonly report: (event: VenueReport) => void,
  ) {
    this.liquidity = liquidityModel(cfg.liquidity);
    this.index = quoteIndexOf(tape.quotes);
    this.taken = { buy: new TakenLiquidity('buy', this.index), sell: new TakenLiquidity('sell', this.index) };
  }

  hasRestingOrder(): boolean {
    return this.open.size > 0;
  }

  /**
   * The first effective snapshot at or after index `from` that can change a working order, or
   * `index.length`: one at or through its limit (any tradable one for a market order; only
   * through it while a queue is ahead), every one while a queue ahead can shrink by cancels, or
   * any while an order waits for matching to resume. `onQuote` leaves everything as it is for the
   * snapshots before it, so a driver may skip them.
   */
  nextQuoteOfInterest(index: QuoteIndex, from: number): number {
    let next = index.length;
    for (const order of this.open.values()) {
      const limit = order.req.limitPrice;
      const queued = order.ahead > 0;
      if (order.waiting || (queued && this.liquidity.creditsCancelsAhead)) return index.firstEffective(from);
      const buy = order.req.side === 'buy';
      // take() meets any tradable snapshot without a limit (or with a NaN one: no comparison holds).
      let i: number;
      if (limit === null || Number.isNaN(limit)) i = index.firstTradable(from);
      else if (buy) i = index.firstAskAtMost(from, queued ? limit - 1 : limit);
      else i = index.firstBidAtLeast(from, queued ? limit + 1 : limit);
      if (i < next) next = i;
    }
    return next;
  }

  /**
   * The first trade at or after index `from` that can change a working order (a regular print at
   * or through a resting limit, which fills it or eats the queue ahead), or `index.length`;
   * `onTrade` leaves everything as it is for the trades before it.
   */
  nextTradeOfInterest(index: TradeIndex, from: number): number {
    if (!this.printsFill()) return index.length;
    let next = index.length;
    for (const order of this.open.values()) {
      const limit = order.req.limitPrice;
      if (limit === null || order.waiting) continue;
      const i = order.req.side === 'buy' ? index.firstPriceAtMost(from, limit) : index.firstPriceAtLeast(from, limit);
      if (i < next) next = i;
    }
    return next;
  }

  orderArrives(t: EpochMs, req: OrderRequest): void {
    const reason = this.rejectReason(t, req);
    if (reason !== null) {
      this.done.add(req.clientOrderId);
      this.report({ type: 'rejected', time: t, clientOrderId: req.clientOrderId, reason });
      return;
    }
    this.report({ type: 'accepted', time: t, clientOrderId: req.clientOrderId });
    this.startWorking(t, req);
  }

  /**
   * An Alpaca-style replace reaching the venue. If the old order still works, it ends as
   * 'replaced' and the replacement works what the old one left, never more than asked (fills the
   * old order got while the replace was in flight stand); it is a new order, at the back of the
   * queue. If the old order already filled or closed, or the replacement breaks a broker rule,
   * the replace is rejected.
   */
  replaceArrives(t: EpochMs, oldId: string, req: OrderRequest): void {
    const old = this.open.get(oldId);
    const refuse = (reason: string): void => {
      this.done.add(req.clientOrderId);
      this.report({ type: 'replace-rejected', time: t, clientOrderId: oldId, newClientOrderId: req.clientOrderId, reason });
    };
    if (old === undefined) return refuse(this.done.has(oldId) ? 'order is already filled or closed' : 'order not found');
    const reason = this.rejectReason(t, req);
    if (reason !== null) return refuse(reason);
    this.open.delete(oldId);
    this.done.add(oldId);
    const qty = Math.min(req.qty, old.req.qty - old.filled);
    this.report({ type: 'replaced', time: t, clientOrderId: oldId, newClientOrderId: req.clientOrderId, qty });
    this.startWorking(t, { ...req, qty });
  }

  cancelArrives(t: EpochMs, clientOrderId: string): void {
    if (!this.open.delete(clientOrderId)) {
      const why = this.done.has(clientOrderId) ? 'order is already filled or closed' : 'order not found';
      this.report({ type: 'cancel-rejected', time: t, clientOrderId, reason: why });
      return;
    }
    this.done.add(clientOrderId);
    this.report({ type: 'cancelled', time: t, clientOrderId });
  }

  /** A new quote snapshot at index qi became the NBBO. */
  onQuote(qi: number): void {
    const t = this.tape.quotes.time[qi]!;
    if (this.paused(t, qi)) return;
    for (const order of [...this.open.values()]) {
      if (order.waiting) {
        order.waiting = false;
        this.arrive(order, qi, t);
        continue;
      }
      this.watchQueue(order, qi);
      this.take(order, qi, t, false);
    }
  }

  /**
   * A trade printed. A regular print at or through a resting limit, while that order is at the
   * top of the book, first accounts for liquidity we already took, then trades the queue ahead,
   * then fills the order at its limit.
   */
  onTrade(ti: number): void {
    const trades = this.tape.trades;
    if (trades === null || !this.printsFill() || !isRegularPrint(trades, ti)) return;
    const t = trades.time[ti]!;
    const price = trades.price[ti]!;
    const quotes = this.tape.quotes;
    const qi = lastIndexAtOrBefore(quotes.time, quotes.length, t);
    if (qi < 0 || this.paused(t, qi)) return;
    const printed = trades.size[ti]! * QTY_SCALE;
    let left = printed;
    let offsetDone = false;
    for (const order of [...this.open.values()]) {
      const limit = order.req.limitPrice;
      if (limit === null || order.waiting || left <= 0) continue;
      const buy = order.req.side === 'buy';
      if (buy ? price > limit : price < limit) continue;
      // Only an order at the top of the book can be reached by prints; one behind the NBBO cannot.
      if (buy ? limit < quotes.bid[qi]! : limit > quotes.ask[qi]!) continue;
      if (!offsetDone) {
        const side = order.req.side;
        const repeat = Math.min(left, this.unbacked[side]);
        this.unbacked[side] -= repeat;
        left -= repeat;
        offsetDone = true;
      }
      if (price === limit) order.shownAtLimit = order.shownAtLimit < 0 ? -1 : Math.max(0, order.shownAtLimit - printed);
      else order.ahead = this.liquidity.aheadAfterPrintThrough(order.ahead);
      const queue = Math.min(order.ahead, left);
      order.ahead -= queue;
      left -= queue;
      if (left > 0) left -= this.fill(order, t, limit, left);
    }
  }

  private printsFill(): boolean {
    return this.tape.trades !== null && !this.tape.tradesAreBars && this.cfg.tradeFills;
  }

  /** An accepted order starts working: it matches at once unless matching is paused. */
  private startWorking(t: EpochMs, req: OrderRequest): void {
    const order: WorkingOrder = { req, filled: 0, ahead: 0, shownAtLimit: -1, waiting: false };
    this.open.set(req.clientOrderId, order);
    const qi = lastIndexAtOrBefore(this.tape.quotes.time, this.tape.quotes.length, t);
    if (this.paused(t, qi)) order.waiting = true;
    else if (qi >= 0) this.arrive(order, qi, t);
  }

  /** An order meets the market: it takes at snapshot qi, then joins the queue with what is left. */
  private arrive(order: WorkingOrder, qi: number, t: EpochMs): void {
    this.take(order, qi, t, true);
    if (this.open.has(order.req.clientOrderId)) this.join(order, qi);
  }

  /**
   * Whether matching is suspended at t, given the prevailing snapshot qi: before the primary
   * opening quote when the fill model asks for it, and during a halt. A halt lasts until the
   * first quote after it, since the last quote before it is stale and from before the gap.
   */
  private paused(t: EpochMs, qi: number): boolean {
    const opening = this.tape.openingQuoteTime;
    if (this.cfg.noFillBeforeOpeningQuote && opening != null && t < opening) return true;
    const halts = this.tape.halts;
    if (halts === undefined || halts.length === 0) return false;
    const quoteTime = qi >= 0 ? this.tape.quotes.time[qi]! : -Infinity;
    return halts.some((h) => t >= h.start && quoteTime < h.end);
  }

  private rejectReason(t: EpochMs, req: OrderRequest): string | null {
    if (req.qty <= 0) return 'quantity must be positive';
    if (req.type === 'limit' && (req.limitPrice === null || !isOnTickGrid(req.limitPrice))) {
      return `limit price ${req.limitPrice} is not on the tick grid`;
    }
    if (req.type === 'market' && !isRegularHours(t, this.windows)) return 'market orders are only accepted in regular hours';
    if (req.side === 'sell' && this.cfg.sellableShares !== null && req.qty > this.cfg.sellableShares * QTY_SCALE) {
      return `insufficient qty available for order (requested ${req.qty / QTY_SCALE}, available ${this.cfg.sellableShares})`;
    }
    if (this.cfg.rejectRate > 0 && this.uniform() < this.cfg.rejectRate) return 'simulated broker reject';
    return null;
  }

  /**
   * A limit joins the book at snapshot qi: at the near side it queues behind what is displayed
   * there; inside the spread nothing is ahead; behind the near side, the depth rule says what
   * rests at its price.
   */
  private join(order: WorkingOrder, qi: number): void {
    const limit = order.req.limitPrice;
    if (limit === null) return;
    const q = this.tape.quotes;
    const buy = order.req.side === 'buy';
    const near = buy ? q.bid[qi]! : q.ask[qi]!;
    const nearShares = buy ? q.bidSize[qi]! : q.askSize[qi]!;
    if (near <= 0 || (buy ? limit > near : limit < near)) {
      order.ahead = 0;
      order.shownAtLimit = 0;
    } else if (limit === near) {
      order.ahead = nearShares * QTY_SCALE;
      order.shownAtLimit = order.ahead;
    } else {
      order.ahead = this.liquidity.depthBeyondTouch(nearShares, ticksBetween(limit, near)) * QTY_SCALE;
      order.shownAtLimit = -1;
    }
  }

  /**
   * What snapshot qi shows at a queued order's price, for models that credit cancels ahead: a drop
   * in the size shown there (from what was last seen, or from the estimated queue when we were
   * behind the NBBO) that no print explains; a level gone from the tape leaves nothing shown.
   */
  private watchQueue(order: WorkingOrder, qi: number): void {
    const limit = order.req.limitPrice;
    if (limit === null || order.ahead <= 0 || !this.liquidity.creditsCancelsAhead) return;
    const q = this.tape.quotes;
    const bid = q.bid[qi]!;
    const ask = q.ask[qi]!;
    if (bid <= 0 || ask <= 0 || bid > ask) return; // a broken quote says nothing about the queue
    const buy = order.req.side === 'buy';
    const near = buy ? bid : ask;
    if (buy ? near > limit : near < limit) {
      order.shownAtLimit = -1; // behind the NBBO: our level is out of sight
      return;
    }
    const shown = near === limit ? (buy ? q.bidSize[qi]! : q.askSize[qi]!) * QTY_SCALE : 0;
    const before = order.shownAtLimit >= 0 ? order.shownAtLimit : order.ahead;
    if (shown < before) order.ahead = Math.round(this.liquidity.aheadAfterShrink(order.ahead, before, shown));
    order.shownAtLimit = shown;
  }

  /**
   * Takes displayed liquidity from snapshot qi for an order whose limit the far side reaches:
   * the touch, then the depth rule's levels beyond it up to the limit. A resting order that the
   * far side only touches waits for the queue ahead of it first.
   */
  private take(order: WorkingOrder, qi: number, t: EpochMs, arriving: boolean): void {
    const q = this.tape.quotes;
    const side = order.req.side;
    const buy = side === 'buy';
    const bid = q.bid[qi]!;
    const ask = q.ask[qi]!;
    // Never match against a zero side or a crossed book: a fill there would print through the NBBO.
    if (bid <= 0 || ask <= 0 || bid > ask) return;
    const far = buy ? ask : bid;
    const limit = order.req.limitPrice;
    if (limit !== null && (buy ? far > limit : far < limit)) return;
    if (!arriving && far === limit && order.ahead > 0) return;
    const taken = this.taken[side];
    taken.sync(qi);
    const touchShares = Math.max(buy ? q.askSize[qi]! : q.bidSize[qi]!, MIN_DISPLAYED_SHARES);
    for (let level = 0; level <= MAX_WALK_LEVELS && this.open.has(order.req.clientOrderId); level++) {
      if (level > 0 && this.cfg.remainder !== 'walk') break;
      const price: Price = addTicks(far, buy ? level : -level);
      if (price <= 0 || (limit !== null && (buy ? price > limit : price < limit))) break;
      const shown = level === 0 ? touchShares : this.liquidity.depthBeyondTouch(touchShares, level);
      // A resting limit is the price setter: the incoming order trades at our limit.
      const qty = this.fill(order, t, arriving || limit === null ? price : limit, Math.floor(shown * QTY_SCALE) - taken.takenAt(price));
      taken.add(price, qty);
      this.unbacked[side] += qty;
    }
  }

  /** Fills up to `maxQty` at `price`; returns the quantity filled. */
  private fill(order: WorkingOrder, t: EpochMs, price: Price, maxQty: Qty): Qty {
    if (maxQty <= 0) return 0;
    const qty = Math.min(order.req.qty - order.filled, Math.floor(maxQty));
    if (qty <= 0) return 0;
    order.filled += qty;
    this.report({ type: 'fill', time: t, executedAt: t, clientOrderId: order.req.clientOrderId, qty, price });
    if (order.filled >= order.req.qty) {
      this.open.delete(order.req.clientOrderId);
      this.done.add(order.req.clientOrderId);
    }
    return qty;
  }
}
