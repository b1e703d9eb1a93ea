import { ApiError, type Alpaca } from '@alpacahq/alpaca-trade-api';
import { ExecutionJournal } from '../../engine/execution/journal.js';
import { startExecution, stepExecution } from '../../engine/execution/step.js';
import type { ExecutionAction, ExecutionEvent, ExecutionSettings, ExecutionState, OrderRequest } from '../../engine/execution/types.js';
import type { ExecutionReport } from '../../engine/execution-report.js';
import type { ResolvedWindows } from '../../engine/market-window.js';
import type { Quote } from '../../engine/quote.js';
import { computeTca } from '../../engine/tca.js';
import type { EpochMs, Qty, Side } from '../../engine/units.js';
import { latestQuote, stockStream, tradingStream, type AlpacaSessionOptions } from './alpaca-session.js';
import { inRegularHours } from './broker-windows.js';
import { OrderTracker, type BrokerOrder } from './order-tracker.js';
import { childIdMapping } from './resume.js';
import { TapeRecorder } from './tape-recorder.js';
import type { VenueClock } from './venue-clock.js';
import { priceToWire, qtyToWire, wireToPrice, wireToQty } from './wire-format.js';

export interface LiveExecutionRequest {
  readonly executionId: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Qty;
  readonly settings: ExecutionSettings;
  readonly alertCostBps: number;
  readonly windows: ResolvedWindows | string;
  /** The quote at the decision (REST latest), if any. */
  readonly quote: Quote | null;
  /**
   * Resume: the broker already knows children `${executionId}:1..childOffset` (recovered and
   * final). The machine's child n goes to the broker as `${executionId}:${n + childOffset}`.
   */
  readonly childOffset?: number;
}

export interface LiveExecutionResult {
  readonly report: ExecutionReport;
  readonly tape: TapeRecorder;
}

/** Max time the driver waits for the broker after the machine is done (pending confirmations, wall ms). */
const SETTLE_WALL_MS = 2_000;
/** POSTs of one child at most, when the broker answered 5xx/429 and then confirmed it has no such order. */
const SUBMIT_ATTEMPTS = 5;

/**
 * Runs ONE execution of the pure state machine against Alpaca through the SDK: quotes from the
 * stock stream (REST latest as fallback), orders from the machine's actions, order state from the
 * trade_updates stream and REST reconciliation, timers on the venue clock. All work runs on one
 * sequential queue, so after an ambiguous POST the lookup happens before anything else is sent.
 */
export async function runLiveExecution(alpaca: Alpaca, opts: AlpacaSessionOptions, clock: VenueClock, req: LiveExecutionRequest): Promise<LiveExecutionResult> {
  const { settings } = req;
  const tracker = new OrderTracker();
  const tape = new TapeRecorder();
  const decisionTime = clock.now();
  const journal = new ExecutionJournal({ executionId: req.executionId, strategy: req.strategy, symbol: req.symbol, date: typeof req.windows === 'string' ? new Date(decisionTime).toISOString().slice(0, 10) : req.windows.date, side: req.side, qty: req.qty, decisionTime });
  const windows = typeof req.windows === 'string' ? null : req.windows;
  let state: ExecutionState;
  let chain: Promise<void> = Promise.resolve();
  let lastStreamQuoteWall = performance.now();
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  let failure: unknown = null;
  // Inside the driver every client id is the broker's; the machine's ids are mapped at the edges.
  const ids = childIdMapping(req.executionId, req.childOffset ?? 0);
  const toEngineEvent = (e: ExecutionEvent): ExecutionEvent => {
    if (e.type === 'quote' || e.type === 'timer') return e;
    const clientOrderId = ids.toEngine(e.clientOrderId);
    return e.type === 'replaced' || e.type === 'replace-rejected' ? { ...e, clientOrderId, newClientOrderId: ids.toEngine(e.newClientOrderId) } : { ...e, clientOrderId };
  };
  const toBrokerAction = (a: ExecutionAction): ExecutionAction => {
    switch (a.kind) {
      case 'submit':
        return { ...a, order: { ...a.order, clientOrderId: ids.toBroker(a.order.clientOrderId) } };
      case 'cancel':
        return { ...a, clientOrderId: ids.toBroker(a.clientOrderId) };
      case 'replace':
        return { ...a, clientOrderId: ids.toBroker(a.clientOrderId), order: { ...a.order, clientOrderId: ids.toBroker(a.order.clientOrderId) } };
      default:
        return a;
    }
  };

  /** Runs `work` after everything queued before it. */
  const enqueue = (work: () => Promise<void> | void): void => {
    chain = chain.then(work).catch((err: unknown) => {
      failure ??= err;
      finished();
    });
  };

  const deliver = async (brokerEvent: ExecutionEvent): Promise<void> => {
    const event = toEngineEvent(brokerEvent);
    if (state.phase === 'done' && event.type !== 'fill') return;
    if (event.type !== 'quote' && event.type !== 'timer') {
      const at = event.type === 'fill' ? (event.executedAt ?? event.time) : event.time;
      journal.recordBrokerEvent(event, tape.quoteAt(at));
    }
    const next = stepExecution(state, event, settings);
    state = next.state;
    await carry(event.time, next.actions);
  };
  const deliverAll = async (events: readonly ExecutionEvent[]): Promise<void> => {
    for (const e of events) await deliver(e);
  };

  const lookup = async (clientOrderId: string): Promise<BrokerOrder | null> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId });
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
  };

  const reconcile = async (ids: readonly string[]): Promise<void> => {
    for (const id of ids) {
      const o = await lookup(id);
      if (o !== null) await deliverAll(tracker.observe(o, clock.now()));
    }
  };

  const submit = async (order: OrderRequest): Promise<void> => {
    tracker.track(order.clientOrderId);
    const extended = !inRegularHours(clock.now(), windows);
    if (extended && order.type === 'market') {
      await deliver({ type: 'rejected', time: clock.now(), clientOrderId: order.clientOrderId, reason: 'no market orders outside regular hours' });
      return;
    }
    const common = { symbol: req.symbol, side: req.side, qty: qtyToWire(order.qty), timeInForce: 'day' as const, clientOrderId: order.clientOrderId };
    let answer: BrokerOrder;
    for (let attempt = 1; ; attempt++) {
      try {
        answer = order.type === 'market'
          ? await alpaca.trading.orders.market(common)
          : await alpaca.trading.orders.limit({ ...common, limitPrice: priceToWire(order.limitPrice!), ...(extended ? { extendedHours: true } : {}) });
        break;
      } catch (err) {
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429) {
          // A definite refusal: the order does not exist.
          await deliver({ type: 'rejected', time: clock.now(), clientOrderId: order.clientOrderId, reason: `${err.status}: ${err.message}` });
          return;
        }
        // Ambiguous (transport error, timeout, 5xx, 429): the order may exist. Look it up by client
        // id before anything else is sent, and continue from the truth. Never re-POST blindly.
        const found = await lookup(order.clientOrderId);
        if (found !== null) {
          answer = found;
          break;
        }
        // A 5xx/429 answer whose order the broker confirms it does not have: the POST was not
        // processed, so it is sent again under the SAME client id (the broker refuses a duplicate
        // client id, so this can never create a second order), a bounded number of times.
        if (!(err instanceof ApiError) || attempt >= SUBMIT_ATTEMPTS) {
          await deliver({ type: 'rejected', time: clock.now(), clientOrderId: order.clientOrderId, reason: 'not received by the broker after an ambiguous submit' });
          return;
        }
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    await deliverAll(tracker.observe(answer, clock.now()));
  };

  const cancel = async (clientOrderId: string): Promise<void> => {
    let orderId = tracker.orderIdOf(clientOrderId);
    if (orderId === null) orderId = (await lookup(clientOrderId))?.id ?? null;
    if (orderId === null) return;
    try {
      await alpaca.trading.orders.deleteOrderByOrderID({ orderId });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        await deliver({ type: 'cancel-rejected', time: clock.now(), clientOrderId, reason: 'not cancelable' });
      }
      // Either way the order's true state decides (it may have filled meanwhile).
      await reconcile([clientOrderId]);
    }
  };

  const replace = async (clientOrderId: string, order: OrderRequest): Promise<void> => {
    const orderId = tracker.orderIdOf(clientOrderId) ?? (await lookup(clientOrderId))?.id ?? null;
    tracker.track(order.clientOrderId);
    if (orderId === null) {
      tracker.markTerminal(order.clientOrderId);
      await deliver({ type: 'replace-rejected', time: clock.now(), clientOrderId, newClientOrderId: order.clientOrderId, reason: 'order to replace not found' });
      return;
    }
    try {
      const fresh = await alpaca.trading.orders.patchOrderByOrderId({ orderId, patchOrderRequest: { qty: qtyToWire(order.qty), limitPrice: order.limitPrice === null ? undefined : priceToWire(order.limitPrice), clientOrderId: order.clientOrderId } });
      tracker.expectReplacement(clientOrderId, order.clientOrderId, wireToQty(fresh.qty) || order.qty);
      await deliverAll(tracker.observe(fresh, clock.now()));
    } catch (err) {
      const reason = err instanceof ApiError ? `${err.status}: ${err.message}` : 'replace not confirmed';
      // Did the replacement get created anyway (ambiguous PATCH)?
      const created = err instanceof ApiError && err.status < 500 ? null : await lookup(order.clientOrderId);
      if (created !== null) {
        tracker.expectReplacement(clientOrderId, order.clientOrderId, wireToQty(created.qty) || order.qty);
        await deliverAll(tracker.observe(created, clock.now()));
      } else {
        tracker.markTerminal(order.clientOrderId);
        await deliver({ type: 'replace-rejected', time: clock.now(), clientOrderId, newClientOrderId: order.clientOrderId, reason });
      }
      await reconcile([clientOrderId]);
    }
  };

  const carry = async (t: EpochMs, actions: readonly ExecutionAction[]): Promise<void> => {
    journal.recordActions(t, actions);
    for (const a of actions.map(toBrokerAction)) {
      switch (a.kind) {
        case 'submit':
          await submit(a.order);
          break;
        case 'cancel':
          await cancel(a.clientOrderId);
          break;
        case 'replace':
          await replace(a.clientOrderId, a.order);
          break;
        case 'set-timer':
          clock.setTimer(a.at, () => enqueue(() => deliver({ type: 'timer', time: Math.max(a.at, clock.now()), id: a.id })));
          break;
        case 'finish':
          finished();
          break;
        default:
          break;
      }
    }
  };

  // Streams first, so no update is missed between the first order and the subscription.
  const trades = tradingStream(alpaca, opts);
  const stocks = stockStream(alpaca, opts);
  let tradingConnectedOnce = false;
  trades.onTradeUpdate((u) => {
    const executedAt = u.timestamp?.getTime();
    const fillPrice = u.event === 'fill' || u.event === 'partial_fill' ? wireToPrice(u.price) : null;
    enqueue(() => deliverAll(tracker.observe(u.order, clock.now(), { event: u.event, fillPrice, ...(executedAt !== undefined ? { executedAt } : {}) })));
  });
  trades.onConnect(() => {
    trades.subscribeTradeUpdates();
    // A reconnect may have lost updates: reconcile every open order through REST.
    if (tradingConnectedOnce) enqueue(() => reconcile(tracker.open()));
    tradingConnectedOnce = true;
  });
  stocks.onConnect(() => {
    stocks.subscribeForQuotes([req.symbol]);
    stocks.subscribeForTrades([req.symbol]);
  });
  stocks.onQuote((q) => {
    const bid = wireToPrice(q.bidPrice);
    const ask = wireToPrice(q.askPrice);
    if (bid === null || ask === null) return;
    const quote: Quote = { time: q.timestamp?.getTime() ?? clock.now(), bid, ask, bidSize: Number(q.bidSize), askSize: Number(q.askSize) };
    lastStreamQuoteWall = performance.now();
    tape.addQuote(quote);
    enqueue(() => deliver({ type: 'quote', time: Math.max(clock.now(), quote.time), quote }));
  });
  stocks.onTrade((tr) => {
    const price = wireToPrice(tr.price);
    if (price !== null) tape.addTrade({ time: tr.timestamp?.getTime() ?? clock.now(), price, size: Number(tr.size) });
  });
  trades.connect();
  stocks.connect();
  const auth = await trades.whenAuthenticated();
  if (!auth.authenticated) throw new Error(`trade updates stream refused authentication (${auth.status ?? 'unknown'})`);
  await stocks.whenAuthenticated();

  // Fallbacks: the REST latest quote when the stream is silent, and a periodic REST reconciliation
  // of open orders (catches a gap the stream did not report as a reconnect).
  const quietWallMs = clock.wallMs(settings.maxQuoteAgeMs / 2);
  const poll = setInterval(() => {
    if (performance.now() - lastStreamQuoteWall > quietWallMs) {
      enqueue(async () => {
        const q = await latestQuote(alpaca, req.symbol, opts.feed);
        if (q !== null) {
          tape.addQuote(q);
          await deliver({ type: 'quote', time: Math.max(clock.now(), q.time), quote: q });
        }
      });
    }
    enqueue(() => reconcile(tracker.open()));
  }, Math.max(100, Math.min(quietWallMs, 1000)));

  try {
    if (req.quote !== null) tape.addQuote(req.quote);
    const first = startExecution({ executionId: req.executionId, side: req.side, qty: req.qty, decisionTime, quote: req.quote, windows: req.windows }, settings);
    state = first.state;
    enqueue(() => carry(decisionTime, first.actions));
    await done;
    if (failure !== null) throw failure;
    // The machine is done: the broker's last word on every order we sent (a cancel-and-fill race
    // ends with the true filled quantity; a fill the machine no longer counts is still journaled).
    await new Promise((r) => setTimeout(r, Math.min(SETTLE_WALL_MS, clock.wallMs(500))));
    await new Promise<void>((resolve) => enqueue(async () => {
      await reconcile(tracker.all());
      resolve();
    }));
    if (failure !== null) throw failure;
  } finally {
    clearInterval(poll);
    clock.cancelAll();
    trades.disconnect();
    stocks.disconnect();
  }
  const tca = computeTca({
    side: req.side,
    arrival: state.arrival,
    fills: journal.fills(),
    vwap: tape.vwap(decisionTime, journal.endTime()),
    alertCostBps: state.assessment?.slippageBudgetBps ?? req.alertCostBps,
    alertBoundClass: state.assessment?.spreadClass ?? null,
  });
  const built = journal.build(state, tca);
  // The report names children by the broker's client ids, as the audit and the broker do.
  const report: ExecutionReport = (req.childOffset ?? 0) === 0 ? built : { ...built, childOrders: built.childOrders.map((c) => ({ ...c, clientOrderId: ids.toBroker(c.clientOrderId) })) };
  return { report, tape };
}
