/**
 * The sim driver as it was before the tape index: it replays every effective quote and every
 * trade into the real exchange while anyone watches them, and the interval VWAP adds regular
 * trades up one by one. The reference the jump-ahead driver must equal
 * (test/sim/driver-equivalence.test.ts): skipping is an optimisation, so it must change nothing.
 */
import { ExecutionJournal } from '../../src/engine/execution/journal.js';
import { watchesQuotes } from '../../src/engine/execution/next-wake.js';
import { startExecution, stepExecution } from '../../src/engine/execution/step.js';
import type { ExecutionAction, ExecutionEvent, ExecutionState, OrderRequest } from '../../src/engine/execution/types.js';
import { calendarWindows } from '../../src/engine/execution/calendar-windows.js';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { computeTca } from '../../src/engine/tca.js';
import type { EpochMs } from '../../src/engine/units.js';
import { EventQueue } from '../../src/sim/event-queue.js';
import type { FillModelConfig } from '../../src/sim/fill-model-config.js';
import { LatencyModel } from '../../src/sim/latency-model.js';
import { createRng } from '../../src/sim/rng.js';
import { SimExchange } from '../../src/sim/sim-exchange.js';
import type { SimExecutionRequest } from '../../src/sim/sim-driver.js';
import { isRegularPrint, lastIndexAtOrBefore, quoteAt, type Tape, type TradeColumns } from '../../src/sim/tape/tape.js';

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
 */
export function runReferenceExecution(tape: Tape, req: SimExecutionRequest, fillModel: FillModelConfig, seed: string | number): ExecutionReport {
  const rng = createRng(`${seed}|${tape.symbol}|${tape.date}|${req.side}|${req.qty}|${req.decisionTime}`);
  const windows = calendarWindows(req.decisionTime, req.settings.windowTimes);
  const resolved = typeof windows === 'string' ? null : windows;
  const latency = new LatencyModel(fillModel.latency, resolved?.open ?? null, rng.uniform);
  const queue = new EventQueue<Pending>(req.decisionTime);
  const quotes = tape.quotes;
  const trades = tape.tradesAreBars ? null : tape.trades;
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

  // Next quote and trade to replay; -1 while nobody watches them.
  let qi = -1;
  let ti = -1;
  while (state.phase !== 'done') {
    const now = queue.now;
    const resting = exchange.hasRestingOrder();
    // The cursors skip what happened while nobody was watching; that state is already applied
    // (an arriving order matches the prevailing quote, the machine sees it before any event).
    if (!(watchesQuotes(state) || resting)) qi = -1;
    else if (qi < 0) qi = prevailing(now) + 1;
    if (trades === null || !resting) ti = -1;
    else if (ti < 0) ti = lastIndexAtOrBefore(trades.time, trades.length, now) + 1;
    // Snapshots sharing one millisecond: the last is the NBBO at that time (what fills record).
    if (qi >= 0 && qi < quotes.length) qi = prevailing(quotes.time[qi]!);
    const nextQuote = qi >= 0 && qi < quotes.length ? quotes.time[qi]! : Infinity;
    const nextTrade = trades !== null && ti >= 0 && ti < trades.length ? trades.time[ti]! : Infinity;
    const nextEvent = queue.peekTime();
    const t = Math.min(nextQuote, nextTrade, nextEvent);
    if (t === Infinity) break;
    if (t === nextQuote) {
      queue.advanceTo(t);
      exchange.onQuote(qi);
      if (watchesQuotes(state)) {
        delivered = qi;
        deliver({ type: 'quote', time: t, quote: quoteAt(quotes, qi) });
      }
      qi++;
      continue;
    }
    if (t === nextTrade) {
      queue.advanceTo(t);
      exchange.onTrade(ti++);
      continue;
    }
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

/** Volume-weighted average trade price over [from, to] in price units, or null without trades there. */
function intervalVwap(trades: TradeColumns | null, from: EpochMs, to: EpochMs): number | null {
  if (trades === null) return null;
  const first = lastIndexAtOrBefore(trades.time, trades.length, from - 1) + 1;
  const last = lastIndexAtOrBefore(trades.time, trades.length, to);
  let volume = 0;
  let notional = 0;
  for (let i = first; i <= last; i++) {
    if (!isRegularPrint(trades, i)) continue;
    const size = trades.size[i]!;
    volume += size;
    notional += size * trades.price[i]!;
  }
  return volume > 0 ? notional / volume : null;
}
