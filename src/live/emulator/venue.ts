import { randomUUID } from 'node:crypto';
import { tradingSession } from '../../engine/calendar.js';
import type { ExecutionEvent, OrderRequest } from '../../engine/execution/types.js';
import { resolveWindows, type ResolvedWindows } from '../../engine/trading-day-windows.js';
import { QTY_SCALE, type EpochMs, type Price, type Qty, type Side } from '../../engine/units.js';
import { EventQueue } from '../../sim/event-queue.js';
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../../sim/fill-model-config.js';
import { LatencyModel } from '../../sim/latency-model.js';
import { createRng } from '../../sim/rng.js';
import { SimExchange } from '../../sim/sim-exchange.js';
import { lastIndexAtOrBefore, type Tape } from '../../sim/tape/tape.js';
import type { EmuOrder } from './emu-order.js';
import { applyReport, type NewOrder, type VenueOptions, type VenueUpdate } from './venue-reports.js';
import { ReplayClock } from './replay-clock.js';

export type { NewOrder, VenueOptions, VenueUpdate } from './venue-reports.js';
type Job = () => void;

/**
 * The emulated broker and exchange: replays the tape in wall-clock time, routes orders through
 * the simulator's SimExchange with the fill model's latencies, and keeps Alpaca-style order state.
 * Everything happens in venue time, in (time, arrival) order, on a queue shared with the tape.
 */
export class Venue {
  readonly clock: ReplayClock;
  readonly windows: ResolvedWindows | null;
  private readonly queue: EventQueue<Job>;
  private readonly exchange: SimExchange;
  private readonly latency: LatencyModel;
  private readonly ordersById = new Map<string, EmuOrder>();
  private readonly ordersByClientId = new Map<string, EmuOrder>();
  private readonly orderList: EmuOrder[] = [];
  private nextQuote: number;
  private nextTrade: number;
  private lastReportAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private execSeq = 0;
  /** Orders filled by fillNow: the exchange's own later reports about them are dropped. */
  private readonly silenced = new Set<string>();
  /**
   * Fault `rest`: orders the exchange never sees, so they never match. Their own small life
   * (client id -> state) mirrors the exchange's: a cancel before the order arrived is 'order not
   * found', one after it ended is 'already filled or closed'.
   */
  private readonly resting = new Map<string, 'arriving' | 'working' | 'ended'>();
  /** Signed position in Qty and the cash balance in dollars. */
  positionQty: Qty = 0;
  positionCost = 0;
  cash = 100_000;

  private readonly updateListeners = new Set<(u: VenueUpdate) => void>();
  private readonly quoteListeners = new Set<(qi: number) => void>();
  private readonly tradeListeners = new Set<(ti: number) => void>();

  constructor(
    readonly tape: Tape,
    private readonly opts: VenueOptions,
  ) {
    this.clock = new ReplayClock(opts.startMs, opts.speed);
    const session = tradingSession(tape.date);
    this.windows = resolveWindows(session);
    const fill = opts.fillModel ?? DEFAULT_FILL_MODEL;
    const rng = createRng(`emulator:${opts.seed ?? '1'}`);
    const uniform = (): number => rng.uniform();
    this.latency = new LatencyModel(fill.latency, this.windows?.open ?? null, uniform);
    this.exchange = new SimExchange(tape, fill, this.windows, uniform, (ev) => this.onReport(ev));
    this.queue = new EventQueue<Job>(opts.startMs);
    this.nextQuote = lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, opts.startMs) + 1;
    this.nextTrade = tape.trades === null ? 0 : lastIndexAtOrBefore(tape.trades.time, tape.trades.length, opts.startMs) + 1;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.advance(), this.opts.tickMs ?? 5);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  now(): EpochMs {
    return this.clock.now();
  }

  onUpdate(fn: (u: VenueUpdate) => void): () => void {
    this.updateListeners.add(fn);
    return () => this.updateListeners.delete(fn);
  }
  onQuote(fn: (qi: number) => void): () => void {
    this.quoteListeners.add(fn);
    return () => this.quoteListeners.delete(fn);
  }
  onTrade(fn: (ti: number) => void): () => void {
    this.tradeListeners.add(fn);
    return () => this.tradeListeners.delete(fn);
  }

  /** Index of the prevailing quote at the venue's current time, or -1. */
  currentQuoteIndex(): number {
    return this.nextQuote - 1;
  }

  /** Runs every tape event and queued job up to the venue's current time, in time order. */
  advance(): void {
    const now = this.now();
    const q = this.tape.quotes;
    const tr = this.tape.trades;
    for (;;) {
      const tq = this.nextQuote < q.length ? q.time[this.nextQuote]! : Infinity;
      const tt = tr !== null && this.nextTrade < tr.length ? tr.time[this.nextTrade]! : Infinity;
      const tj = this.queue.peekTime();
      const t = Math.min(tq, tt, tj);
      if (t > now) break;
      if (t > this.queue.now) this.queue.advanceTo(t);
      // At equal times the tape comes first: an order arriving at t meets the quote of t.
      if (tq === t) {
        const qi = this.nextQuote++;
        this.exchange.onQuote(qi);
        for (const fn of this.quoteListeners) fn(qi);
      } else if (tt === t) {
        const ti = this.nextTrade++;
        this.exchange.onTrade(ti);
        for (const fn of this.tradeListeners) fn(ti);
      } else this.queue.pop()!.item();
    }
  }

  private schedule(at: EpochMs, job: Job): void {
    this.queue.push(Math.max(at, this.queue.now), job);
  }

  order(id: string): EmuOrder | undefined {
    return this.ordersById.get(id);
  }
  orderByClientId(clientOrderId: string): EmuOrder | undefined {
    return this.ordersByClientId.get(clientOrderId);
  }
  orders(): readonly EmuOrder[] {
    return this.orderList;
  }

  /**
   * Accepts a validated order: it reaches the exchange after the submit latency. A resting one
   * (fault `rest`) is only acknowledged: it never reaches the exchange, so nothing matches it.
   */
  submit(req: NewOrder, replaces: string | null = null, rest = false): EmuOrder {
    this.advance();
    const now = this.now();
    const order: EmuOrder = {
      id: randomUUID(),
      ...req,
      status: 'pending_new',
      filledQty: 0,
      filledNotional: 0,
      createdAt: now,
      updatedAt: now,
      filledAt: null,
      canceledAt: null,
      failedAt: null,
      replacedAt: null,
      replacedBy: null,
      replaces,
      rejectReason: null,
    };
    this.ordersById.set(order.id, order);
    this.ordersByClientId.set(order.clientOrderId, order);
    this.orderList.push(order);
    if (rest) this.resting.set(order.clientOrderId, 'arriving');
    if (replaces === null) {
      const at = now + this.latency.draw('submit', now);
      if (rest) {
        this.schedule(at, () => {
          this.resting.set(order.clientOrderId, 'working');
          this.onReport({ type: 'accepted', time: this.queue.now, clientOrderId: order.clientOrderId });
        });
      } else this.schedule(at, () => this.exchange.orderArrives(this.queue.now, simRequest(order)));
    }
    return order;
  }

  /** Requests a cancel; the venue confirms (or refuses) after the cancel latency. */
  cancel(order: EmuOrder): void {
    this.advance();
    const now = this.now();
    if (order.status !== 'pending_cancel') {
      order.status = 'pending_cancel';
      order.updatedAt = now;
      this.emit({ event: 'pending_cancel', time: now, order });
    }
    this.schedule(now + this.latency.draw('cancel', now), () => {
      const rest = this.resting.get(order.clientOrderId);
      if (rest === undefined) this.exchange.cancelArrives(this.queue.now, order.clientOrderId);
      else if (rest !== 'working') this.onReport({ type: 'cancel-rejected', time: this.queue.now, clientOrderId: order.clientOrderId, reason: rest === 'ended' ? 'order is already filled or closed' : 'order not found' });
      else {
        this.resting.set(order.clientOrderId, 'ended');
        this.onReport({ type: 'cancelled', time: this.queue.now, clientOrderId: order.clientOrderId });
      }
    });
  }

  /** Alpaca replace: the old order goes pending_replace and can still fill until the swap. */
  replace(old: EmuOrder, req: NewOrder): EmuOrder {
    const rest = this.resting.has(old.clientOrderId);
    const fresh = this.submit(req, old.id, rest);
    const freshReq = simRequest(fresh);
    const now = this.now();
    old.status = 'pending_replace';
    old.updatedAt = now;
    this.emit({ event: 'pending_replace', time: now, order: old });
    this.schedule(now + this.latency.draw('replace', now), () => {
      // A resting order's replacement rests too: the swap is all that happens.
      const oldRest = this.resting.get(old.clientOrderId);
      if (oldRest === undefined) this.exchange.replaceArrives(this.queue.now, old.clientOrderId, freshReq);
      else if (oldRest !== 'working') {
        this.resting.set(fresh.clientOrderId, 'ended');
        this.onReport({ type: 'replace-rejected', time: this.queue.now, clientOrderId: old.clientOrderId, newClientOrderId: fresh.clientOrderId, reason: oldRest === 'ended' ? 'order is already filled or closed' : 'order not found' });
      } else {
        this.resting.set(old.clientOrderId, 'ended');
        this.resting.set(fresh.clientOrderId, 'working');
        this.onReport({ type: 'replaced', time: this.queue.now, clientOrderId: old.clientOrderId, newClientOrderId: fresh.clientOrderId, qty: Math.min(fresh.qty, old.qty - old.filledQty) });
      }
    });
    return fresh;
  }

  /**
   * Fault `fill-during-cancel`: the rest of a working order fills now, at the far side of the
   * prevailing quote (at its limit when the far side is beyond it), and leaves the book.
   */
  fillNow(order: EmuOrder): void {
    this.advance();
    const now = this.now();
    const qi = this.currentQuoteIndex();
    const q = this.tape.quotes;
    const far = qi < 0 ? (order.limitPrice ?? 0) : order.side === 'buy' ? q.ask[qi]! : q.bid[qi]!;
    const price = order.limitPrice === null ? far : order.side === 'buy' ? Math.min(far, order.limitPrice) : Math.max(far, order.limitPrice);
    const rest = order.qty - order.filledQty;
    if (rest > 0) this.apply({ type: 'fill', time: now, clientOrderId: order.clientOrderId, qty: rest, price }, now);
    this.silenced.add(order.clientOrderId);
    if (this.resting.has(order.clientOrderId)) this.resting.set(order.clientOrderId, 'ended');
    else this.schedule(now, () => this.exchange.cancelArrives(this.queue.now, order.clientOrderId));
  }

  /** Broker reports reach the client after the report latency, never out of order. */
  private onReport(ev: ExecutionEvent): void {
    for (const piece of this.pieces(ev)) {
      const at = Math.max(piece.time + this.latency.draw('report', piece.time), this.lastReportAt);
      this.lastReportAt = at;
      this.schedule(at, () => this.apply(piece, this.queue.now));
    }
  }

  /** Fault `partial`: a fill split into pieces of at most a fraction of the order (whole shares). */
  private pieces(ev: ExecutionEvent): ExecutionEvent[] {
    const f = this.opts.partialFraction;
    const order = ev.type === 'fill' ? this.ordersByClientId.get(ev.clientOrderId) : undefined;
    if (ev.type !== 'fill' || f == null || order === undefined) return [ev];
    const cap = Math.max(QTY_SCALE, Math.floor((order.qty * f) / QTY_SCALE) * QTY_SCALE);
    const out: ExecutionEvent[] = [];
    for (let left = ev.qty; left > 0; left -= cap) out.push({ ...ev, qty: Math.min(cap, left) });
    return out;
  }

  private apply(ev: ExecutionEvent, t: EpochMs): void {
    applyReport(this, ev, t);
  }

  isSilenced(clientOrderId: string): boolean {
    return this.silenced.has(clientOrderId);
  }
  nextExecSeq(): number {
    return ++this.execSeq;
  }

  emit(u: VenueUpdate): void {
    for (const fn of this.updateListeners) fn(u);
  }
}

function simRequest(o: EmuOrder): OrderRequest {
  return { clientOrderId: o.clientOrderId, side: o.side, type: o.type, qty: o.qty, limitPrice: o.limitPrice };
}
