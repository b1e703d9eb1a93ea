import { ExecutionJournal } from '../engine/execution/journal.js';
import type { ExecutionAction, ExecutionEvent, ExecutionSettings, ExecutionState, OrderRequest } from '../engine/execution/types.js';
import type { ExecutionMeta, ExecutionReport } from '../engine/execution-report.js';
import type { Quote } from '../engine/quote.js';
import { computeTca } from '../engine/tca.js';
import type { EpochMs } from '../engine/units.js';
import { cachedCalendarWindows } from './calendar-windows-cache.js';
import type { EventQueue } from './event-queue.js';
import type { FillModelConfig } from './fill-model-config.js';
import { LatencyModel } from './latency-model.js';
import { createRng } from './rng.js';
import { SimExchange } from './sim-exchange.js';
import { lastIndexAtOrBefore, quoteAt, type QuoteColumns, type Tape, type TradeColumns } from './tape/tape.js';
import { quoteIndexOf, tradeIndexOf, type QuoteIndex, type TradeIndex } from './tape/tape-index.js';
import { intervalVwap } from './vwap.js';

/** What a lane has in flight in the shared event queue: latencies as events. */
export type LaneItem =
  | { readonly k: 'timer'; readonly id: string }
  | { readonly k: 'order-arrives'; readonly order: OrderRequest }
  | { readonly k: 'cancel-arrives'; readonly clientOrderId: string }
  | { readonly k: 'replace-arrives'; readonly clientOrderId: string; readonly order: OrderRequest }
  | { readonly k: 'report'; readonly event: ExecutionEvent };

/** An item of the shared queue: a lane's, or (lane null) a timer of the owner itself, such as a rebalance's. */
export type Queued = { readonly lane: SimLane; readonly item: LaneItem } | { readonly lane: null; readonly item: { readonly k: 'timer'; readonly id: string } };

/** The execution a lane runs, as its owner sees it now. */
export interface LaneExecution {
  readonly state: ExecutionState;
  readonly settings: ExecutionSettings;
}

/**
 * One tape (one symbol of one day) in a simulated run: its replay cursors, and once an execution
 * starts on it, that execution's simulated exchange, latencies, random stream and journal. Every
 * lane of a run shares one event queue, the run's virtual clock. The loop that drives lanes is
 * run-lanes.ts; what decides (one execution, or a rebalance of several) is the lane's owner.
 */
export class SimLane {
  readonly quotes: QuoteColumns;
  readonly trades: TradeColumns | null;
  readonly quoteIndex: QuoteIndex;
  readonly tradeIndex: TradeIndex | null;
  exchange: SimExchange | null = null;
  journal: ExecutionJournal | null = null;
  private latency: LatencyModel | null = null;
  private lastReportAt = -Infinity;
  /** The last snapshot the machine was given (-1: none). */
  delivered: number;
  /** Replay cursors: the next snapshot and print to look at; -1 while nobody watches them (run-lanes.ts). */
  qi = -1;
  ti = -1;
  // What run-lanes.ts found for this lane in the current step of the loop.
  watching = false;
  replaying = false;
  /** The next snapshot and print that can change anything, and their times (Infinity: none). */
  qj = 0;
  tj = 0;
  nextQuote = Infinity;
  nextTrade = Infinity;

  constructor(
    readonly tape: Tape,
    private readonly queue: EventQueue<Queued>,
    start: EpochMs,
  ) {
    this.quotes = tape.quotes;
    this.trades = tape.tradesAreBars ? null : tape.trades;
    this.quoteIndex = quoteIndexOf(this.quotes);
    this.tradeIndex = this.trades === null ? null : tradeIndexOf(this.trades);
    this.delivered = this.prevailing(start);
  }

  /** Index of the snapshot prevailing at t (-1: none yet). */
  prevailing(t: EpochMs): number {
    return lastIndexAtOrBefore(this.quotes.time, this.quotes.length, t);
  }

  quoteAtIndex(index: number): Quote {
    return quoteAt(this.quotes, index);
  }

  /** The quote prevailing at t, or null before the tape's first. */
  quoteAtTime(t: EpochMs): Quote | null {
    const i = this.prevailing(t);
    return i < 0 ? null : quoteAt(this.quotes, i);
  }

  /**
   * An execution starts on this lane: its exchange, latencies and journal. The random stream is
   * keyed by the seed and the execution's market inputs (not the strategy), so strategies compared
   * on one open draw from the same stream.
   */
  begin(meta: ExecutionMeta, settings: ExecutionSettings, fillModel: FillModelConfig, seed: string | number): void {
    const rng = createRng(`${seed}|${this.tape.symbol}|${this.tape.date}|${meta.side}|${meta.qty}|${meta.decisionTime}`);
    const windows = cachedCalendarWindows(meta.decisionTime, settings.windowTimes);
    const resolved = typeof windows === 'string' ? null : windows;
    const latency = new LatencyModel(fillModel.latency, resolved?.open ?? null, rng.uniform);
    this.latency = latency;
    this.journal = new ExecutionJournal(meta);
    this.exchange = new SimExchange(this.tape, fillModel, resolved, rng.uniform, (event) => {
      // Reports reach the client in the order the venue sent them, as the broker's stream does.
      const at = Math.max(event.time + latency.draw('report', event.time), this.lastReportAt);
      this.lastReportAt = at;
      this.queue.push(at, { lane: this, item: { k: 'report', event: { ...event, time: at } } });
    });
  }

  /** Records the machine's actions and puts their effects in flight: orders, cancels and replaces after their latency, timers when due. */
  carry(t: EpochMs, actions: readonly ExecutionAction[]): void {
    this.journal!.recordActions(t, actions);
    const latency = this.latency!;
    for (const a of actions) {
      if (a.kind === 'submit') this.queue.push(t + latency.draw('submit', t), { lane: this, item: { k: 'order-arrives', order: a.order } });
      else if (a.kind === 'cancel') this.queue.push(t + latency.draw('cancel', t), { lane: this, item: { k: 'cancel-arrives', clientOrderId: a.clientOrderId } });
      else if (a.kind === 'replace') this.queue.push(t + latency.draw('replace', t), { lane: this, item: { k: 'replace-arrives', clientOrderId: a.clientOrderId, order: a.order } });
      else if (a.kind === 'set-timer') this.queue.push(Math.max(a.at, t), { lane: this, item: { k: 'timer', id: a.id } });
    }
  }

  /** A venue job of this lane reaches the exchange. */
  atExchange(t: EpochMs, item: LaneItem): void {
    const exchange = this.exchange!;
    if (item.k === 'order-arrives') exchange.orderArrives(t, item.order);
    else if (item.k === 'cancel-arrives') exchange.cancelArrives(t, item.clientOrderId);
    else if (item.k === 'replace-arrives') exchange.replaceArrives(t, item.clientOrderId, item.order);
  }

  /** A broker report enters the journal with the NBBO prevailing when it happened. */
  journalReport(t: EpochMs, event: ExecutionEvent): void {
    const executedAt = event.type === 'fill' ? (event.executedAt ?? t) : t;
    this.journal!.recordBrokerEvent(event, this.quoteAtTime(executedAt));
  }

  /** The execution's report: the journal with its TCA against the tape. */
  report(state: ExecutionState, alertCostBps: number): ExecutionReport {
    const journal = this.journal!;
    const tca = computeTca({
      side: state.side,
      arrival: state.arrival,
      fills: journal.fills(),
      vwap: intervalVwap(this.tape.trades, journal.meta.decisionTime, journal.endTime()),
      alertCostBps: state.assessment?.slippageBudgetBps ?? alertCostBps,
      alertBoundClass: state.assessment?.spreadClass ?? null,
    });
    return journal.build(state, tca);
  }
}
