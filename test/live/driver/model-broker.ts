/**
 * A small broker for the interleaving tests: the driver's ports (BrokerPort, MarketStreams and
 * both clocks) with every answer, stream message, fill and timer scheduled by fast-check's
 * scheduler, so that a property explores their interleavings. Each call's fate (answered, failed
 * before it was processed, processed but its answer lost, a lookup that misses an order it has,
 * a stream message dropped) comes from generated lists.
 *
 * The model keeps Alpaca's rules that order safety rests on: a client order id is unique (a
 * second POST with it is refused as a duplicate), a cancelled, filled or replaced order is final,
 * a replace swaps atomically, and fills never exceed an order's quantity.
 */
import type fc from 'fast-check';
import type { Quote } from '../../../src/engine/quote.js';
import { QTY_SCALE, type EpochMs, type Price, type Qty } from '../../../src/engine/units.js';
import { BrokerCallError, FINAL_STATUSES, type BrokerPort, type BrokerUpdate, type DriverClock, type MarketStreams, type ReplaceOrder, type SubmitOrder, type WallClock } from '../../../src/live/driver/broker-port.js';
import type { BrokerOrder } from '../../../src/live/driver/order-tracker.js';
import type { RecordedTrade } from '../../../src/live/driver/execution-tape-recorder.js';
import { priceToWire, qtyToWire } from '../../../src/live/driver/wire-format.js';

export type CallFate = 'ok' | 'fail-before' | 'lost-answer';
export type LookupFate = 'ok' | 'fail' | 'miss';
export type UpdateFate = 'deliver' | 'drop';

export interface Fates {
  readonly submit: readonly CallFate[];
  readonly cancel: readonly CallFate[];
  readonly replace: readonly CallFate[];
  readonly lookup: readonly LookupFate[];
  readonly updates: readonly UpdateFate[];
  /** Fractions of the remaining quantity each fill takes (0: no fill for that order). */
  readonly fills: readonly number[];
}

interface ModelOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly qty: Qty;
  readonly price: Price;
  filled: Qty;
  status: 'new' | 'partially_filled' | 'filled' | 'canceled' | 'replaced';
  replacedBy: string | null;
}

/** Takes fates in order; `fallback` once the list runs out (runs always end on a calm broker). */
function dealer<T>(list: readonly T[], fallback: T): () => T {
  let i = 0;
  return () => (i < list.length ? list[i++]! : fallback);
}

const BID = 600_000;
const ASK = 600_100;

export class ModelBroker implements BrokerPort {
  readonly orders: ModelOrder[] = [];
  /** The largest number of orders ever working at once (must stay <= 1). */
  maxWorking = 0;
  /** Every POST that reached the model, by client id, and how many created an order. */
  readonly posts = new Map<string, { attempts: number; created: number }>();
  private readonly byClientId = new Map<string, ModelOrder>();
  private readonly updateListeners: ((u: BrokerUpdate) => void)[] = [];
  private readonly quoteListeners: ((q: Quote) => void)[] = [];
  private readonly reconnectListeners: (() => void)[] = [];
  private readonly nextSubmit: () => CallFate;
  private readonly nextCancel: () => CallFate;
  private readonly nextReplace: () => CallFate;
  private readonly nextLookup: () => LookupFate;
  private readonly nextUpdate: () => UpdateFate;
  private readonly nextFill: () => number;
  private seq = 0;
  private dropped = false;
  closed = false;

  constructor(
    private readonly s: fc.Scheduler,
    fates: Fates,
    readonly clock: FakeVenueClock,
  ) {
    this.nextSubmit = dealer(fates.submit, 'ok');
    this.nextCancel = dealer(fates.cancel, 'ok');
    this.nextReplace = dealer(fates.replace, 'ok');
    this.nextLookup = dealer(fates.lookup, 'ok');
    this.nextUpdate = dealer(fates.updates, 'deliver');
    this.nextFill = dealer(fates.fills, 0.5);
  }

  filledTotal(): Qty {
    return this.orders.reduce((sum, o) => sum + o.filled, 0);
  }

  working(): ModelOrder[] {
    return this.orders.filter((o) => !FINAL_STATUSES.has(o.status));
  }

  // ------------------------------------------------------------------ BrokerPort

  async submit(o: SubmitOrder): Promise<BrokerOrder> {
    await this.s.schedule(Promise.resolve(), `POST ${o.clientOrderId}`);
    const fate = this.nextSubmit();
    if (fate === 'fail-before') throw new BrokerCallError('ambiguous', 500, 'internal server error');
    const post = this.posts.get(o.clientOrderId) ?? { attempts: 0, created: 0 };
    this.posts.set(o.clientOrderId, post);
    post.attempts += 1;
    if (this.byClientId.has(o.clientOrderId)) throw new BrokerCallError('duplicate', 422, 'client_order_id must be unique');
    post.created += 1;
    const order = this.create(o.clientOrderId, o.qty, o.limitPrice ?? ASK);
    if (fate === 'lost-answer') throw new BrokerCallError('ambiguous', null, 'POST /v2/orders failed: ECONNRESET');
    return this.snapshot(order);
  }

  async lookup(clientOrderId: string): Promise<BrokerOrder> {
    await this.s.schedule(Promise.resolve(), `GET ${clientOrderId}`);
    const fate = this.nextLookup();
    if (fate === 'fail') throw new BrokerCallError('ambiguous', 503, 'service unavailable');
    const order = this.byClientId.get(clientOrderId);
    // 'miss': a lagging read that does not see an order the broker has.
    if (order === undefined || fate === 'miss') throw new BrokerCallError('not-found', 404, 'order not found');
    return this.snapshot(order);
  }

  async cancel(orderId: string): Promise<void> {
    await this.s.schedule(Promise.resolve(), `DELETE ${orderId}`);
    const fate = this.nextCancel();
    if (fate === 'fail-before') throw new BrokerCallError('ambiguous', 500, 'internal server error');
    const order = this.orders.find((o) => o.id === orderId);
    if (order === undefined) throw new BrokerCallError('not-found', 404, 'order not found');
    if (FINAL_STATUSES.has(order.status)) throw new BrokerCallError('refused', 422, 'order is not cancelable');
    order.status = 'canceled';
    this.emit('canceled', order);
    if (fate === 'lost-answer') throw new BrokerCallError('ambiguous', null, 'DELETE failed: no answer within 5000 ms');
  }

  async replace(orderId: string, r: ReplaceOrder): Promise<BrokerOrder> {
    await this.s.schedule(Promise.resolve(), `PATCH ${orderId} -> ${r.clientOrderId}`);
    const fate = this.nextReplace();
    if (fate === 'fail-before') throw new BrokerCallError('ambiguous', 500, 'internal server error');
    const old = this.orders.find((o) => o.id === orderId);
    if (old === undefined) throw new BrokerCallError('not-found', 404, 'order not found');
    if (FINAL_STATUSES.has(old.status)) throw new BrokerCallError('refused', 422, `order is not replaceable (status ${old.status})`);
    if (this.byClientId.has(r.clientOrderId)) throw new BrokerCallError('duplicate', 422, 'client_order_id must be unique');
    // The replace is atomic at the broker: the old order ends replaced as the new one starts, and
    // the new one works at most what the old one had left (it may have filled since the PATCH was sent).
    old.status = 'replaced';
    const fresh = this.create(r.clientOrderId, Math.min(r.qty, old.qty - old.filled), r.limitPrice ?? ASK, old);
    if (fate === 'lost-answer') throw new BrokerCallError('ambiguous', null, 'PATCH failed: ECONNRESET');
    return this.snapshot(fresh);
  }

  async latestQuote(): Promise<Quote | null> {
    await this.s.schedule(Promise.resolve(), 'GET latest quote');
    return this.quote();
  }

  // ------------------------------------------------------------------ the venue

  private create(clientOrderId: string, qty: Qty, price: Price, replaces?: ModelOrder): ModelOrder {
    const order: ModelOrder = { id: `o${++this.seq}`, clientOrderId, qty, price, filled: 0, status: 'new', replacedBy: null };
    this.orders.push(order);
    this.byClientId.set(clientOrderId, order);
    if (replaces !== undefined) {
      replaces.replacedBy = order.id;
      this.emit('replaced', replaces);
    }
    this.maxWorking = Math.max(this.maxWorking, this.working().length);
    this.emit('new', order);
    // The market fills it later, in up to two pieces, interleaved with everything else.
    for (let k = 0; k < 2; k++) void this.s.schedule(Promise.resolve(), `fill ${clientOrderId}`).then(() => this.fill(order));
    return order;
  }

  private fill(order: ModelOrder): void {
    if (this.closed || FINAL_STATUSES.has(order.status)) return;
    const f = this.nextFill();
    if (!(f > 0)) return;
    const rest = order.qty - order.filled;
    const inc = f >= 1 || rest <= QTY_SCALE ? rest : Math.max(QTY_SCALE, Math.floor((rest * f) / QTY_SCALE) * QTY_SCALE);
    order.filled += inc;
    order.status = order.filled >= order.qty ? 'filled' : 'partially_filled';
    this.emit(order.status === 'filled' ? 'fill' : 'partial_fill', order, order.price);
  }

  private snapshot(o: ModelOrder): BrokerOrder {
    return { id: o.id, clientOrderId: o.clientOrderId, status: o.status, qty: qtyToWire(o.qty), filledQty: qtyToWire(o.filled), filledAvgPrice: o.filled > 0 ? priceToWire(o.price) : null, replacedBy: o.replacedBy };
  }

  /** A trade_updates message, taken as the order is now; delivered later, or dropped (then a reconnect follows). */
  private emit(event: string, order: ModelOrder, fillPrice: Price | null = null): void {
    const update: BrokerUpdate = { event, order: this.snapshot(order), fillPrice };
    if (this.nextUpdate() === 'drop') {
      if (!this.dropped) {
        this.dropped = true;
        void this.s.schedule(Promise.resolve(), 'stream reconnect').then(() => {
          this.dropped = false;
          if (!this.closed) for (const fn of this.reconnectListeners) fn();
        });
      }
      return;
    }
    void this.s.schedule(Promise.resolve(), `update ${event} ${order.clientOrderId}`).then(() => {
      if (!this.closed) for (const fn of this.updateListeners) fn(update);
    });
  }

  private quote(): Quote {
    return { time: this.clock.now(), bid: BID, ask: ASK, bidSize: 100, askSize: 100 };
  }

  // ------------------------------------------------------------------ MarketStreams

  streams(): MarketStreams {
    return {
      onUpdate: (fn) => void this.updateListeners.push(fn),
      onQuote: (fn) => void this.quoteListeners.push(fn),
      onTrade: (_fn: (t: RecordedTrade) => void) => undefined,
      onReconnect: (fn) => void this.reconnectListeners.push(fn),
      open: async () => {
        // A quote that arrives while the streams are still opening (issue 9, finding 8).
        for (const fn of this.quoteListeners) fn(this.quote());
        await this.s.schedule(Promise.resolve(), 'streams open');
        // And quotes afterwards, now and then.
        for (let k = 0; k < 3; k++) void this.s.schedule(Promise.resolve(), 'quote').then(() => !this.closed && this.quoteListeners.forEach((fn) => fn(this.quote())));
      },
      close: () => {
        this.closed = true;
      },
    };
  }
}

/** Venue time that moves only when a timer fires (to its due time). Timers and polls are scheduled tasks. */
export class FakeVenueClock implements DriverClock {
  private t: EpochMs;
  private cancelled = false;
  constructor(
    private readonly s: fc.Scheduler,
    start: EpochMs,
  ) {
    this.t = start;
  }
  now(): EpochMs {
    return this.t;
  }
  setTimer(at: EpochMs, fn: () => void): void {
    void this.s.schedule(Promise.resolve(), `timer@${at - this.t}`).then(() => {
      if (this.cancelled) return;
      this.t = Math.max(this.t, at);
      fn();
    });
  }
  every(_wallMs: number, fn: () => void): () => void {
    let stopped = false;
    let ticks = 0;
    const tick = (): void => {
      void this.s.schedule(Promise.resolve(), 'poll').then(() => {
        // Bounded, so the scheduler can run dry: a real poll runs until stopped.
        if (stopped || this.cancelled || ++ticks > 30) return;
        fn();
        tick();
      });
    };
    tick();
    return () => {
      stopped = true;
    };
  }
  wallMs(venueMs: number): number {
    return venueMs;
  }
  cancelAll(): void {
    this.cancelled = true;
  }
}

/** Wall time that advances by each sleep when the scheduler lets it end. */
export class FakeWallClock implements WallClock {
  private t = 0;
  constructor(private readonly s: fc.Scheduler) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    await this.s.schedule(Promise.resolve(), `sleep ${ms}`);
    this.t += ms;
  }
}
