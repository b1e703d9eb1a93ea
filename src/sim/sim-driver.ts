import { ExecutionJournal } from '../engine/execution/journal.js';
import { startExecution, stepExecution, watchesQuotes } from '../engine/execution/step.js';
import type { ExecutionAction, ExecutionEvent, ExecutionSettings, ExecutionState, OrderRequest } from '../engine/execution/types.js';
import type { ExecutionMeta, ExecutionReport } from '../engine/execution-report.js';
import { computeTca } from '../engine/tca.js';
import type { EpochMs } from '../engine/units.js';
import { cachedCalendarWindows } from './day-windows-cache.js';
import { EventQueue } from './event-queue.js';
import type { FillModelConfig } from './fill-model-config.js';
import { LatencyModel } from './latency-model.js';
import { createRng } from './rng.js';
import { SimExchange } from './sim-exchange.js';
import { lastIndexAtOrBefore, quoteAt, type Tape } from './tape/tape.js';
import { nextQuoteForMachine } from './quote-watch.js';
import { lastIndexBefore, quoteIndexOf, tradeIndexOf } from './tape/tape-index.js';
import { intervalVwap } from './vwap.js';

export interface SimExecutionRequest extends ExecutionMeta {
  readonly settings: ExecutionSettings;
  readonly alertCostBps: number;
}

type Pending =
  | { readonly k: 'timer'; readonly id: string }
  | { readonly k: 'order-arrives'; readonly order: OrderRequest }
  | { readonly k: 'cancel-arrives'; readonly clientOrderId: string }
  | { readonly k: 'replace-arrives'; readonly clientOrderId: string; readonly order: OrderRequest }
  | { readonly k: 'report'; readonly event: ExecutionEvent };

/**
 * Runs one execution against a replayed tape in virtual time: the pure state machine decides,
 * the simulated exchange matches, and latencies are events in a time-ordered queue, so a
 * two-minute wait costs microseconds. The random stream is keyed by the seed and the execution's
 * market inputs (not the strategy), so strategies compared on one open draw from the same stream.
 *
 * Quotes and prints are replayed only where they can matter: while the machine waits (for a
 * valid quote, a tight spread, its timer) and an order rests (until its limit is crossed or a
 * print reaches it), the tape's index (tape/tape-index.ts) finds the next snapshot or print that
 * can change either, in O(log n), so an execution costs the same on a day of a million quotes as
 * on a sparse one. The reports equal those of replaying every quote and print
 * (test/sim/driver-equivalence.test.ts).
 */
export function runSimExecution(tape: Tape, req: SimExecutionRequest, fillModel: FillModelConfig, seed: string | number): ExecutionReport {
  const rng = createRng(`${seed}|${tape.symbol}|${tape.date}|${req.side}|${req.qty}|${req.decisionTime}`);
  const windows = cachedCalendarWindows(req.decisionTime, req.settings.windowTimes);
  const resolved = typeof windows === 'string' ? null : windows;
  const latency = new LatencyModel(fillModel.latency, resolved?.open ?? null, rng.uniform);
  const queue = new EventQueue<Pending>(req.decisionTime);
  const quotes = tape.quotes;
  const trades = tape.tradesAreBars ? null : tape.trades;
  const quoteIndex = quoteIndexOf(quotes);
  const tradeIndex = trades === null ? null : tradeIndexOf(trades);
  const journal = new ExecutionJournal(req);
  let lastReportAt = -Infinity;
  const exchange = new SimExchange(tape, fillModel, resolved, rng.uniform, (event) => {
    // Reports reach the client in the order the venue sent them, as the broker's stream does.
    const at = Math.max(event.time + latency.draw('report', event.time), lastReportAt);
    lastReportAt = at;
    queue.push(at, { k: 'report', event: { ...event, time: at } });
  });

  const prevailing = (t: EpochMs): number => lastIndexAtOrBefore(quotes.time, quotes.length, t);
  let delivered = prevailing(req.decisionTime);
  let state: ExecutionState;

  const carry = (t: EpochMs, actions: readonly ExecutionAction[]): void => {
    journal.recordActions(t, actions);
    for (const a of actions) {
      if (a.kind === 'submit') queue.push(t + latency.draw('submit', t), { k: 'order-arrives', order: a.order });
      else if (a.kind === 'cancel') queue.push(t + latency.draw('cancel', t), { k: 'cancel-arrives', clientOrderId: a.clientOrderId });
      else if (a.kind === 'replace') queue.push(t + latency.draw('replace', t), { k: 'replace-arrives', clientOrderId: a.clientOrderId, order: a.order });
      else if (a.kind === 'set-timer') queue.push(Math.max(a.at, t), { k: 'timer', id: a.id });
    }
  };
  const deliver = (event: ExecutionEvent): void => {
    const next = stepExecution(state, event, req.settings);
    state = next.state;
    carry(event.time, next.actions);
  };
  /** Before any other event, the machine sees the quote prevailing at that moment. */
  const deliverPrevailingQuote = (t: EpochMs): void => {
    const qi = prevailing(t);
    if (qi > delivered) {
      delivered = qi;
      deliver({ type: 'quote', time: t, quote: quoteAt(quotes, qi) });
    }
  };

  const first = startExecution(
    { executionId: req.executionId, side: req.side, qty: req.qty, decisionTime: req.decisionTime, quote: delivered >= 0 ? quoteAt(quotes, delivered) : null, windows },
    req.settings,
  );
  state = first.state;
  carry(req.decisionTime, first.actions);

  /** The machine sees snapshot `index` at its own time. */
  const deliverQuote = (index: number): void => {
    delivered = index;
    deliver({ type: 'quote', time: quotes.time[index]!, quote: quoteAt(quotes, index) });
  };
  /** Index of the first trade after those printed before t (or at or before t, when `atToo`). */
  const tradesAfter = (t: EpochMs, atToo: boolean): number =>
    trades === null ? -1 : (atToo ? lastIndexAtOrBefore(trades.time, trades.length, t) : lastIndexBefore(trades.time, trades.length, t)) + 1;

  // Next quote and trade to replay; -1 while nobody watches them.
  let qi = -1;
  let ti = -1;
  while (state.phase !== 'done') {
    const now = queue.now;
    const resting = exchange.hasRestingOrder();
    const watching = watchesQuotes(state);
    // The cursors skip what happened while nobody was watching; that state is already applied
    // (an arriving order matches the prevailing quote, the machine sees it before any event).
    if (!(watching || resting)) qi = -1;
    else if (qi < 0) qi = prevailing(now) + 1;
    if (trades === null || !resting) ti = -1;
    else if (ti < 0) ti = lastIndexAtOrBefore(trades.time, trades.length, now) + 1;
    // Replay jumps to the next snapshot and the next print that can change anything (the tape
    // index finds them in O(log n)); the ones in between would leave everything as it is.
    // Snapshots sharing one millisecond: only the last is replayed, the NBBO at that time.
    const replaying = qi >= 0 && qi < quotes.length;
    let qj = quotes.length;
    if (replaying) {
      qi = prevailing(quotes.time[qi]!);
      if (watching) qj = nextQuoteForMachine(state, req.settings, quoteIndex, qi);
      if (resting) qj = Math.min(qj, exchange.nextQuoteOfInterest(quoteIndex, qi));
    }
    const tj = tradeIndex !== null && ti >= 0 && ti < tradeIndex.length ? exchange.nextTradeOfInterest(tradeIndex, ti) : Infinity;
    const nextQuote = qj < quotes.length ? quotes.time[qj]! : Infinity;
    const nextTrade = trades !== null && tj < trades.length ? trades.time[tj]! : Infinity;
    const nextEvent = queue.peekTime();
    const t = Math.min(nextQuote, nextTrade, nextEvent);
    if (replaying) {
      // The snapshots skipped before t (within a millisecond, quotes go first) changed nothing
      // but the machine's last quote: it sees the last of them, as if it had seen each in turn.
      const passed = t === Infinity ? quotes.length - 1 : t === nextQuote ? quoteIndex.lastBefore(t) : prevailing(t);
      if (passed >= qi) {
        if (watching) {
          queue.advanceTo(quotes.time[passed]!);
          deliverQuote(passed);
        }
        qi = passed + 1;
      }
    }
    if (t === Infinity) break;
    if (t === nextQuote) {
      queue.advanceTo(t);
      exchange.onQuote(qj);
      if (watchesQuotes(state)) deliverQuote(qj);
      qi = qj + 1;
      if (ti >= 0) ti = Math.max(ti, tradesAfter(t, false)); // prints of this millisecond come after its quote
      continue;
    }
    if (t === nextTrade) {
      queue.advanceTo(t);
      exchange.onTrade(tj);
      ti = tj + 1;
      continue;
    }
    if (ti >= 0) ti = Math.max(ti, tradesAfter(t, true)); // and before any queued event
    const { item } = queue.pop()!;
    switch (item.k) {
      case 'timer':
        deliverPrevailingQuote(t);
        deliver({ type: 'timer', time: t, id: item.id });
        break;
      case 'order-arrives':
        exchange.orderArrives(t, item.order);
        break;
      case 'cancel-arrives':
        exchange.cancelArrives(t, item.clientOrderId);
        break;
      case 'replace-arrives':
        exchange.replaceArrives(t, item.clientOrderId, item.order);
        break;
      case 'report': {
        deliverPrevailingQuote(t);
        const executedAt = item.event.type === 'fill' ? (item.event.executedAt ?? t) : t;
        const nbboIndex = prevailing(executedAt);
        journal.recordBrokerEvent(item.event, nbboIndex >= 0 ? quoteAt(quotes, nbboIndex) : null);
        deliver(item.event);
        break;
      }
    }
  }
  const fills = journal.fills();
  const tca = computeTca({
    side: req.side,
    arrival: state.arrival,
    fills,
    vwap: intervalVwap(tape.trades, req.decisionTime, journal.endTime()),
    alertCostBps: state.assessment?.slippageBudgetBps ?? req.alertCostBps,
    alertBoundClass: state.assessment?.spreadClass ?? null,
  });
  return journal.build(state, tca);
}
