/**
 * The simulated exchange as it was before the tape index (verbatim but for import paths and the
 * class name): the reference for test/sim/driver-equivalence.test.ts.
 */
import type { ExecutionEvent, OrderRequest } from '../../src/engine/execution/types.js';
import { isRegularHours, type ResolvedWindows } from '../../src/engine/market-window.js';
import { addTicks, isOnTickGrid } from '../../src/engine/tick.js';
import { QTY_SCALE, type EpochMs, type Price, type Qty } from '../../src/engine/units.js';
import type { FillModelConfig } from '../../src/sim/fill-model-config.js';
import { lastIndexAtOrBefore, type Tape } from '../../src/sim/tape/tape.js';

/** Displayed size assumed when a quote shows a price with no size. */
const MIN_DISPLAYED_SHARES = 100;
/** A market order walks at most this many ticks beyond the far side in one go, then waits for quotes. */
const MAX_WALK_LEVELS = 50;

interface RestingOrder {
  readonly req: OrderRequest;
  filled: Qty;
  /** Shares displayed ahead of us at our price when we joined; trades at our price eat it first. */
  queueAhead: number;
  /** Arrived while matching was paused: it meets the first quote after the pause as if arriving. */
  waiting: boolean;
}

/** A report from the venue, stamped with the venue time it happened. */
type VenueReport = ExecutionEvent;

/**
 * The simulated broker and exchange for one execution's orders. It matches only against quotes
 * and trades at or before the current virtual time, so no fill ever uses the future.
 * `report(event)` hands each broker report to the driver, which adds the report latency.
 */
export class ReferenceExchange {
  private readonly open = new Map<string, RestingOrder>();
  private readonly done = new Set<string>();
  /**
   * Liquidity our orders already took from quote snapshot `takenIndex`, keyed `side:price` (in
   * Qty). A replayed tape does not show our own trades, so without this a re-peg arriving on the
   * same snapshot would take the same displayed shares again.
   */
  private takenIndex = -1;
  private readonly taken = new Map<string, Qty>();

  constructor(
    private readonly tape: Tape,
    private readonly cfg: FillModelConfig,
    private readonly windows: ResolvedWindows | null,
    private readonly uniform: () => number,
    private readonly report: (event: VenueReport) => void,
  ) {}

  hasRestingOrder(): boolean {
    return this.open.size > 0;
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
   * old order got while the replace was in flight stand). If the old order already filled or
   * closed, or the replacement breaks a broker rule, the replace is rejected.
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

  /** An accepted order starts working: it matches at once unless matching is paused. */
  private startWorking(t: EpochMs, req: OrderRequest): void {
    const order: RestingOrder = { req, filled: 0, queueAhead: 0, waiting: false };
    this.open.set(req.clientOrderId, order);
    const qi = lastIndexAtOrBefore(this.tape.quotes.time, this.tape.quotes.length, t);
    if (this.paused(t, qi)) order.waiting = true;
    else if (qi >= 0) this.arrive(order, qi, t);
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
      if (!order.waiting) this.take(order, qi, t, false);
      else {
        order.waiting = false;
        this.arrive(order, qi, t);
      }
    }
  }

  /** A trade printed: resting limits at or through its price may fill once their queue is gone. */
  onTrade(ti: number): void {
    const trades = this.tape.trades;
    if (trades === null || this.tape.tradesAreBars || !this.cfg.tradeFills) return;
    const t = trades.time[ti]!;
    const price = trades.price[ti]!;
    let size = trades.size[ti]!;
    const quotes = this.tape.quotes;
    const qi = lastIndexAtOrBefore(quotes.time, quotes.length, t);
    if (this.paused(t, qi)) return;
    for (const order of [...this.open.values()]) {
      const limit = order.req.limitPrice;
      if (limit === null || size <= 0 || order.waiting) continue;
      const buy = order.req.side === 'buy';
      // Only an order at the top of the book can be reached by prints; one behind the NBBO cannot.
      if (qi < 0 || (buy ? limit < quotes.bid[qi]! : limit > quotes.ask[qi]!)) continue;
      let shares = 0;
      if (buy ? price < limit : price > limit) shares = size;
      else if (price === limit) {
        order.queueAhead -= size;
        if (order.queueAhead < 0) {
          shares = -order.queueAhead;
          order.queueAhead = 0;
        }
      }
      if (shares > 0) size -= this.fill(order, t, limit, Math.floor(shares * QTY_SCALE)) / QTY_SCALE;
    }
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

  /** An order meets the market: it takes at snapshot qi, then joins the queue with what is left. */
  private arrive(order: RestingOrder, qi: number, t: EpochMs): void {
    this.take(order, qi, t, true);
    if (this.open.has(order.req.clientOrderId)) order.queueAhead = this.queueAheadAtJoin(order, qi);
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

  private queueAheadAtJoin(order: RestingOrder, qi: number): number {
    const q = this.tape.quotes;
    const limit = order.req.limitPrice;
    if (limit === null) return 0;
    const near = order.req.side === 'buy' ? q.bid[qi]! : q.ask[qi]!;
    const nearSize = order.req.side === 'buy' ? q.bidSize[qi]! : q.askSize[qi]!;
    const better = order.req.side === 'buy' ? limit > near : limit < near;
    // Joining the near side (or behind it) queues behind what is displayed there.
    return better || near <= 0 ? 0 : nearSize;
  }

  /** Takes liquidity from quote snapshot qi: at the far side when arriving, at our limit when resting. */
  private take(order: RestingOrder, qi: number, t: EpochMs, arriving: boolean): void {
    const q = this.tape.quotes;
    const buy = order.req.side === 'buy';
    const bid = q.bid[qi]!;
    const ask = q.ask[qi]!;
    // Never match against a zero side or a crossed book: a fill there would print through the NBBO.
    if (bid <= 0 || ask <= 0 || bid > ask) return;
    const far = buy ? ask : bid;
    const limit = order.req.limitPrice;
    if (limit !== null && (buy ? far > limit : far < limit)) return;
    const levelSize = Math.max(buy ? q.askSize[qi]! : q.bidSize[qi]!, MIN_DISPLAYED_SHARES);
    // A resting limit is the price setter: the incoming order trades at our limit.
    const firstPrice = arriving || limit === null ? far : limit;
    this.takeLevel(order, qi, t, far, firstPrice, levelSize);
    if (!arriving || this.cfg.remainder !== 'walk') return;
    for (let level = 1; level <= MAX_WALK_LEVELS && this.open.has(order.req.clientOrderId); level++) {
      const price: Price = addTicks(far, buy ? level : -level);
      if (price <= 0 || (limit !== null && (buy ? price > limit : price < limit))) break;
      this.takeLevel(order, qi, t, price, price, levelSize);
    }
  }

  /** Takes what is left of `levelSize` shares at far-side `level` of snapshot qi, filling at `price`. */
  private takeLevel(order: RestingOrder, qi: number, t: EpochMs, level: Price, price: Price, levelSize: number): void {
    if (this.takenIndex !== qi) {
      this.takenIndex = qi;
      this.taken.clear();
    }
    const key = `${order.req.side}:${level}`;
    const already = this.taken.get(key) ?? 0;
    const qty = this.fill(order, t, price, levelSize * QTY_SCALE - already);
    if (qty > 0) this.taken.set(key, already + qty);
  }

  /** Fills up to `maxQty` at `price`; returns the quantity filled. */
  private fill(order: RestingOrder, t: EpochMs, price: Price, maxQty: Qty): Qty {
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
