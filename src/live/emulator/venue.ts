import { randomUUID } from 'node:crypto';
import { tradingSession } from '../../engine/calendar.js';
import type { ExecutionEvent, OrderRequest } from '../../engine/execution/types.js';
import { resolveWindows, type ResolvedWindows } from '../../engine/trading-day-windows.js';
import { QTY_SCALE, type EpochMs, type Price } from '../../engine/units.js';
import { EventQueue } from '../../sim/event-queue.js';
import { DEFAULT_FILL_MODEL } from '../../sim/fill-model-config.js';
import { LatencyModel } from '../../sim/latency-model.js';
import { createRng } from '../../sim/rng.js';
import { SimExchange } from '../../sim/sim-exchange.js';
import { lastIndexAtOrBefore, type Tape } from '../../sim/tape/tape.js';
import { EmuAccount } from './account.js';
import { TERMINAL_STATUSES, type EmuOrder } from './emu-order.js';
import { EmulatorSetupError, positionsProblem, tapeSetProblem } from './tape-set.js';
import { applyReport, type NewOrder, type VenueOptions, type VenueUpdate } from './venue-reports.js';
import { ReplayClock } from './replay-clock.js';

export type { NewOrder, VenueOptions, VenueUpdate } from './venue-reports.js';
type Job = () => void;

/** The cash of the original single-order account, in Money (1e-4 dollar): $100,000. */
const MARGIN_ACCOUNT_CASH = 100_000 * 10_000;

/** One symbol of the venue: its tape, its exchange (SimExchange on that tape) and the replay cursors. */
interface Book {
  readonly tape: Tape;
  readonly exchange: SimExchange;
  nextQuote: number;
  nextTrade: number;
}

/**
 * The emulated broker and exchange: replays the tapes in wall-clock time, routes orders through
 * the simulator's SimExchange (one per symbol, each on its own tape) with the fill model's
 * latencies, and keeps Alpaca-style order state and one account for every symbol.
 *
 * Everything happens in venue time, on ONE clock and ONE queue shared with the tapes, so events of
 * different symbols interleave in time order. The tie rule is the simulator's (sim/run-lanes.ts):
 * at equal times snapshots go first, then prints, then queued events, symbol by symbol in the order
 * the tapes were given; so one tape alone behaves exactly as the single-symbol venue always did.
 * (run-lanes itself drives engine machines with skip-ahead, which a venue whose client is outside
 * cannot do; the queue, the exchange and the ordering rule are what is shared.)
 */
export class Venue {
  readonly clock: ReplayClock;
  readonly windows: ResolvedWindows | null;
  /** The first tape: the single-symbol venue's tape, and the trading date of them all. */
  readonly tape: Tape;
  readonly account: EmuAccount;
  private readonly books: readonly Book[];
  private readonly bookBySymbol = new Map<string, Book>();
  private readonly queue: EventQueue<Job>;
  private readonly latency: LatencyModel;
  private readonly ordersById = new Map<string, EmuOrder>();
  private readonly ordersByClientId = new Map<string, EmuOrder>();
  private readonly orderList: EmuOrder[] = [];
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

  private readonly updateListeners = new Set<(u: VenueUpdate) => void>();
  private readonly quoteListeners = new Set<(qi: number, tape: Tape) => void>();
  private readonly tradeListeners = new Set<(ti: number, tape: Tape) => void>();

  /**
   * @throws EmulatorSetupError when the tapes are not one per symbol of one date, or an opening
   *   position names a symbol with no tape
   */
  constructor(
    tapes: Tape | readonly Tape[],
    private readonly opts: VenueOptions,
  ) {
    const list: readonly Tape[] = Array.isArray(tapes) ? tapes : [tapes as Tape];
    const problem = tapeSetProblem(list) ?? (opts.account === undefined ? null : positionsProblem(opts.account.positions, list));
    if (problem !== null) throw new EmulatorSetupError(problem);
    this.tape = list[0]!;
    this.clock = new ReplayClock(opts.startMs, opts.speed, opts.wallClock);
    const session = tradingSession(this.tape.date);
    this.windows = resolveWindows(session);
    const fill = opts.fillModel ?? DEFAULT_FILL_MODEL;
    // One RNG for every exchange and the latencies: with one tape, the draws are the single-symbol venue's.
    const rng = createRng(`emulator:${opts.seed ?? '1'}`);
    const uniform = (): number => rng.uniform();
    this.latency = new LatencyModel(fill.latency, this.windows?.open ?? null, uniform);
    this.books = list.map((tape) => ({
      tape,
      exchange: new SimExchange(tape, fill, this.windows, uniform, (ev) => this.onReport(ev)),
      nextQuote: lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, opts.startMs) + 1,
      nextTrade: tape.trades === null ? 0 : lastIndexAtOrBefore(tape.trades.time, tape.trades.length, opts.startMs) + 1,
    }));
    for (const b of this.books) this.bookBySymbol.set(b.tape.symbol, b);
    this.queue = new EventQueue<Job>(opts.startMs);
    this.account =
      opts.account === undefined
        ? new EmuAccount('margin', MARGIN_ACCOUNT_CASH)
        : new EmuAccount('cash', opts.account.cash, opts.account.positions, (s) => this.openingMid(s));
  }

  /** Symbols the venue trades, in the order their tapes were given. */
  symbols(): readonly string[] {
    return this.books.map((b) => b.tape.symbol);
  }

  /** The tape of `symbol` (upper case), or undefined when the venue does not trade it. */
  tapeOf(symbol: string): Tape | undefined {
    return this.bookBySymbol.get(symbol)?.tape;
  }

  /** Mid of the quote prevailing at the start (or of the first quote): the cost basis of an opening position. */
  private openingMid(symbol: string): Price {
    const q = this.bookBySymbol.get(symbol)!.tape.quotes;
    if (q.length === 0) return 0;
    const i = Math.max(0, lastIndexAtOrBefore(q.time, q.length, this.opts.startMs));
    return Math.round((q.bid[i]! + q.ask[i]!) / 2);
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
  /** Each snapshot as venue time reaches it: its index in `tape` (the tape of its symbol). */
  onQuote(fn: (qi: number, tape: Tape) => void): () => void {
    this.quoteListeners.add(fn);
    return () => this.quoteListeners.delete(fn);
  }
  onTrade(fn: (ti: number, tape: Tape) => void): () => void {
    this.tradeListeners.add(fn);
    return () => this.tradeListeners.delete(fn);
  }

  /** Index of the prevailing quote of `symbol` (default: the first tape's) at the venue's current time, or -1. */
  currentQuoteIndex(symbol: string = this.tape.symbol): number {
    const b = this.bookBySymbol.get(symbol);
    return b === undefined ? -1 : b.nextQuote - 1;
  }

  /** The ask prevailing now for `symbol`, or null (no quote yet, or no such symbol). */
  askNow(symbol: string): Price | null {
    const b = this.bookBySymbol.get(symbol);
    const qi = b === undefined ? -1 : b.nextQuote - 1;
    return qi < 0 ? null : b!.tape.quotes.ask[qi]!;
  }

  /** Orders not yet in a terminal state, every symbol. */
  openOrders(): EmuOrder[] {
    return this.orderList.filter((o) => !TERMINAL_STATUSES.has(o.status));
  }

  /** Runs every tape event and queued job up to the venue's current time, in time order. */
  advance(): void {
    const now = this.now();
    for (;;) {
      // The earliest snapshot, print and job; at equal times the first book given wins.
      let quoted: Book | null = null;
      let printed: Book | null = null;
      let tq = Infinity;
      let tt = Infinity;
      for (const b of this.books) {
        const q = b.tape.quotes;
        const tr = b.tape.trades;
        const bq = b.nextQuote < q.length ? q.time[b.nextQuote]! : Infinity;
        const bt = tr !== null && b.nextTrade < tr.length ? tr.time[b.nextTrade]! : Infinity;
        if (bq < tq) {
          tq = bq;
          quoted = b;
        }
        if (bt < tt) {
          tt = bt;
          printed = b;
        }
      }
      const tj = this.queue.peekTime();
      const t = Math.min(tq, tt, tj);
      if (t > now) break;
      if (t > this.queue.now) this.queue.advanceTo(t);
      // At equal times the tape comes first: an order arriving at t meets the quote of t.
      if (tq === t) {
        const b = quoted!;
        const qi = b.nextQuote++;
        b.exchange.onQuote(qi);
        for (const fn of this.quoteListeners) fn(qi, b.tape);
      } else if (tt === t) {
        const b = printed!;
        const ti = b.nextTrade++;
        b.exchange.onTrade(ti);
        for (const fn of this.tradeListeners) fn(ti, b.tape);
      } else this.queue.pop()!.item();
    }
  }

  /** The book of an order's symbol (orders are validated against the venue's symbols first). */
  private bookOf(o: { readonly symbol: string }): Book {
    const b = this.bookBySymbol.get(o.symbol);
    if (b === undefined) throw new Error(`venue: no tape for ${o.symbol}`);
    return b;
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
      } else this.schedule(at, () => this.bookOf(order).exchange.orderArrives(this.queue.now, simRequest(order)));
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
      if (rest === undefined) this.bookOf(order).exchange.cancelArrives(this.queue.now, order.clientOrderId);
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
      if (oldRest === undefined) this.bookOf(old).exchange.replaceArrives(this.queue.now, old.clientOrderId, freshReq);
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
    const qi = this.currentQuoteIndex(order.symbol);
    const q = this.bookOf(order).tape.quotes;
    const far = qi < 0 ? (order.limitPrice ?? 0) : order.side === 'buy' ? q.ask[qi]! : q.bid[qi]!;
    const price = order.limitPrice === null ? far : order.side === 'buy' ? Math.min(far, order.limitPrice) : Math.max(far, order.limitPrice);
    const rest = order.qty - order.filledQty;
    if (rest > 0) this.apply({ type: 'fill', time: now, clientOrderId: order.clientOrderId, qty: rest, price }, now);
    this.silenced.add(order.clientOrderId);
    if (this.resting.has(order.clientOrderId)) this.resting.set(order.clientOrderId, 'ended');
    else this.schedule(now, () => this.bookOf(order).exchange.cancelArrives(this.queue.now, order.clientOrderId));
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
