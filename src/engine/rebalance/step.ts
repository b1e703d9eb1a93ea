import { startExecution, stepExecution, type ExecutionRequest } from '../execution/step.js';
import type { ExecutionAction, ExecutionEvent } from '../execution/types.js';
import { moneyToDollars, notionalCeil } from '../money.js';
import { quoteProblem } from '../quote.js';
import type { EpochMs, Price, Qty } from '../units.js';
import { decideBuys } from './buy-decisions.js';
import { buyPriceCap } from './buy-sizing.js';
import { rebalanceOutcomeOf } from './leg-books.js';
import { cashOf, outstandingOf } from './ledger.js';
import type { RebalanceAction, RebalanceEvent, RebalanceLeg, RebalanceMachineSettings, RebalanceRequest, RebalanceState, RebalanceTransition } from './machine-types.js';
import type { PlannedOrder } from './plan-types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A working copy of the state plus the actions so far (the input state is never touched). */
class RebalanceDraft {
  readonly s: Mutable<RebalanceState>;
  readonly actions: RebalanceAction[] = [];
  constructor(state: RebalanceState) {
    this.s = { ...state };
  }
  log(event: string, detail: string): void {
    this.actions.push({ kind: 'log', event, detail });
  }
  leg(symbol: string): RebalanceLeg | undefined {
    return this.s.legs.find((l) => l.symbol === symbol);
  }
  update(symbol: string, patch: Partial<RebalanceLeg>): void {
    this.s.legs = this.s.legs.map((l) => (l.symbol === symbol ? { ...l, ...patch } : l));
  }
  arm(at: EpochMs): void {
    const seq = this.s.timerSeq + 1;
    const id = `${this.s.rebalanceId}:t${seq}`;
    this.s.timerSeq = seq;
    this.s.timer = { id, at };
    this.actions.push({ kind: 'set-timer', id, at });
  }
  executionActions(symbol: string, actions: readonly ExecutionAction[]): void {
    for (const action of actions) this.actions.push({ kind: 'execution', symbol, action });
  }
  done(): RebalanceTransition {
    return { state: this.s, actions: this.actions };
  }
}

function legOf(rebalanceId: string, o: PlannedOrder): RebalanceLeg {
  return {
    symbol: o.symbol,
    side: o.side,
    executionId: `${rebalanceId}:${o.symbol}`,
    plannedQty: o.qty,
    desiredQty: o.desiredQty,
    status: 'waiting',
    sentQty: null,
    priceCap: null,
    reserved: 0,
    filledQty: 0,
    notional: 0n,
    execution: null,
    note: null,
  };
}

/**
 * Starts a rebalance (pure): every sell's ladder execution at once; the buys with them only when
 * the cash alone covers every buy at its cap, else once every sell has ended, re-sized from the
 * cash the sells actually raised (rebalance step `stepRebalance`).
 */
export function startRebalance(req: RebalanceRequest, settings: RebalanceMachineSettings): RebalanceTransition {
  const { plan } = req;
  const quotes: Record<string, RebalanceState['quotes'][string]> = {};
  for (const o of [...plan.sells, ...plan.buys]) quotes[o.symbol] = req.quotes[o.symbol] ?? null;
  const d = new RebalanceDraft({
    rebalanceId: req.rebalanceId,
    phase: 'selling',
    cashBefore: req.cash,
    positionsBefore: { ...req.positions },
    legs: [...plan.sells, ...plan.buys].map((o) => legOf(req.rebalanceId, o)),
    quotes,
    sizingDeadline: null,
    timer: null,
    timerSeq: 0,
    buysWithSells: false,
    windows: req.windows ?? null,
    outcome: null,
  });
  const t = req.time;
  d.log('plan', `${plan.sells.length} sell(s), ${plan.buys.length} buy(s), ${plan.leftAlone.length} symbol(s) left alone`);
  for (const leg of d.s.legs) if (leg.side === 'sell') startLeg(d, leg.symbol, leg.plannedQty, null, 0, t, settings);
  if (plan.sells.length === 0) beginSizing(d, t, settings);
  else startCoveredBuys(d, t, settings);
  afterChange(d, t, settings);
  return d.done();
}

/** The pure transition of a rebalance: (state, event, settings) -> { state, actions }. */
export function stepRebalance(state: RebalanceState, event: RebalanceEvent, settings: RebalanceMachineSettings): RebalanceTransition {
  const d = new RebalanceDraft(state);
  switch (event.type) {
    case 'quote':
      onQuote(d, event.symbol, event.time, event, settings);
      break;
    case 'execution':
      onExecutionEvent(d, event.symbol, event.event, settings);
      break;
    case 'timer':
      if (d.s.timer?.id === event.id) {
        d.s.timer = null;
        if (d.s.phase === 'sizing') trySizeBuys(d, event.time, settings);
      }
      break;
  }
  afterChange(d, event.type === 'execution' ? event.event.time : event.time, settings);
  return d.done();
}

function onQuote(d: RebalanceDraft, symbol: string, t: EpochMs, event: Extract<RebalanceEvent, { type: 'quote' }>, settings: RebalanceMachineSettings): void {
  const leg = d.leg(symbol);
  if (leg === undefined) return;
  const last = d.s.quotes[symbol];
  if (last == null || event.quote.time >= last.time) d.s.quotes = { ...d.s.quotes, [symbol]: event.quote };
  if (leg.status === 'running') onExecutionEvent(d, symbol, { type: 'quote', time: t, quote: event.quote }, settings);
  else if (d.s.phase === 'sizing' && leg.status === 'waiting') trySizeBuys(d, t, settings);
}

/**
 * Feeds one event to a leg's execution and books its fills: the execution counts a fill within
 * what remains, and the rebalance books exactly what it counted, at the fill's price.
 */
function onExecutionEvent(d: RebalanceDraft, symbol: string, event: ExecutionEvent, settings: RebalanceMachineSettings): void {
  const leg = d.leg(symbol);
  if (leg === undefined || leg.execution === null) {
    d.log('ignored', `${event.type} for ${symbol}, which has no execution`);
    return;
  }
  const tr = stepExecution(leg.execution, event, settings.executions[symbol]!);
  const counted = tr.state.filledQty - leg.execution.filledQty;
  const price = event.type === 'fill' ? event.price : 0;
  d.update(symbol, {
    execution: tr.state,
    filledQty: leg.filledQty + Math.max(0, counted),
    notional: leg.notional + (counted > 0 ? BigInt(counted) * BigInt(price) : 0n),
    status: leg.status === 'running' && tr.state.phase === 'done' ? 'done' : leg.status,
  });
  d.executionActions(symbol, tr.actions);
}

/** Starts one leg's ladder execution for `qty` (a buy under its cap, with its cash reserved). */
function startLeg(d: RebalanceDraft, symbol: string, qty: Qty, cap: Price | null, reserved: number, t: EpochMs, settings: RebalanceMachineSettings): void {
  const leg = d.leg(symbol)!;
  const request: ExecutionRequest = {
    executionId: leg.executionId,
    side: leg.side,
    qty,
    decisionTime: t,
    quote: d.s.quotes[symbol] ?? null,
    ...(d.s.windows === null ? {} : { windows: d.s.windows }),
    ...(cap === null ? {} : { priceCap: cap }),
  };
  const tr = startExecution(request, settings.executions[symbol]!);
  d.update(symbol, { status: tr.state.phase === 'done' ? 'done' : 'running', sentQty: qty, priceCap: cap, reserved, execution: tr.state });
  d.actions.push({ kind: 'start-execution', symbol, request });
  d.executionActions(symbol, tr.actions);
}

const waitingBuys = (d: RebalanceDraft): RebalanceLeg[] => d.s.legs.filter((l) => l.side === 'buy' && l.status === 'waiting');

/** Whether the leg's last quote can size it at `t` (the rule the ladder prices by). */
function quoteIssue(d: RebalanceDraft, leg: RebalanceLeg, t: EpochMs, settings: RebalanceMachineSettings): string | null {
  return quoteProblem(d.s.quotes[leg.symbol] ?? null, t, settings.executions[leg.symbol]!.maxQuoteAgeMs);
}

function capOf(d: RebalanceDraft, leg: RebalanceLeg, settings: RebalanceMachineSettings): Price {
  return buyPriceCap(d.s.quotes[leg.symbol]!, settings.maxSlippageBps[leg.symbol] ?? null, settings.rebalance.cashBufferBps);
}

/** The buys start with the sells when every one has a valid quote and the cash alone covers all of them at their caps. */
function startCoveredBuys(d: RebalanceDraft, t: EpochMs, settings: RebalanceMachineSettings): void {
  const buys = waitingBuys(d);
  if (buys.length === 0 || buys.some((b) => quoteIssue(d, b, t, settings) !== null)) return;
  const caps = buys.map((b) => capOf(d, b, settings));
  const needs = buys.map((b, i) => notionalCeil(b.desiredQty, caps[i]!));
  const budget = cashOf(d.s) - outstandingOf(d.s);
  if (needs.reduce((a, b) => a + b, 0) > budget) return;
  d.s.buysWithSells = true;
  d.log('buys-with-sells', `the cash covers every buy at its cap ($${moneyToDollars(budget).toFixed(2)}): the buys start with the sells`);
  buys.forEach((b, i) => startLeg(d, b.symbol, b.desiredQty, caps[i]!, needs[i]!, t, settings));
}

/** The sells are over: size the buys from the cash there is, once each has a valid quote. */
function beginSizing(d: RebalanceDraft, t: EpochMs, settings: RebalanceMachineSettings): void {
  d.s.phase = 'sizing';
  trySizeBuys(d, t, settings);
}

/**
 * Sizes and starts the waiting buys from the cash that exists now (the sells' actual proceeds),
 * pro rata at their caps, never above what each wanted. A buy with no valid quote holds the others
 * back until its quote comes or the wait (its quoteWaitMs) runs out; then it is dropped.
 */
function trySizeBuys(d: RebalanceDraft, t: EpochMs, settings: RebalanceMachineSettings): void {
  const s = d.s;
  let buys = waitingBuys(d);
  const unpriced = buys.filter((b) => quoteIssue(d, b, t, settings) !== null);
  if (unpriced.length > 0) {
    if (s.sizingDeadline === null) {
      const waitMs = Math.max(...unpriced.map((b) => settings.executions[b.symbol]!.quoteWaitMs));
      s.sizingDeadline = t + waitMs;
      d.log('await-quote', `no valid quote to size ${unpriced.map((b) => b.symbol).join(', ')} from; waiting up to ${waitMs} ms`);
      d.arm(s.sizingDeadline);
      return;
    }
    if (t < s.sizingDeadline) return;
    for (const b of unpriced) {
      d.update(b.symbol, { status: 'dropped', note: `no valid quote to size it from in time (last quote ${quoteIssue(d, b, t, settings)})` });
    }
    buys = waitingBuys(d);
  }
  s.sizingDeadline = null;
  s.timer = null;
  s.phase = 'buying';
  const budget = cashOf(s) - outstandingOf(s);
  const decisions = decideBuys(buys.map((b) => ({ symbol: b.symbol, desiredQty: b.desiredQty, quote: s.quotes[b.symbol]! })), budget, settings);
  d.log('size-buys', `sizing ${buys.length} buy(s) from $${moneyToDollars(budget).toFixed(2)} of cash`);
  for (const b of decisions) {
    if (b.kind === 'drop') {
      d.update(b.symbol, { status: 'dropped', note: b.note });
      continue;
    }
    if (b.note !== null) d.update(b.symbol, { note: b.note });
    startLeg(d, b.symbol, b.qty, b.cap, b.reserved, t, settings);
  }
}

/** After any change: the sells' end starts the sizing; every leg's end finishes the rebalance. */
function afterChange(d: RebalanceDraft, t: EpochMs, settings: RebalanceMachineSettings): void {
  const s = d.s;
  if (s.phase === 'selling' && s.legs.every((l) => l.side === 'buy' || l.status === 'done')) {
    if (waitingBuys(d).length > 0) beginSizing(d, t, settings);
    else s.phase = 'buying';
  }
  if (s.phase === 'buying' && s.legs.every((l) => l.status === 'done' || l.status === 'dropped')) finishRebalance(d, t);
}

function finishRebalance(d: RebalanceDraft, t: EpochMs): void {
  const s = d.s;
  const short = s.legs.filter((l) => l.status === 'dropped' || l.execution?.outcome?.status !== 'filled');
  const status = rebalanceOutcomeOf(short.length, s.legs.some((l) => l.filledQty > 0));
  const why = (l: RebalanceLeg): string =>
    l.status === 'dropped' ? `${l.symbol} not bought: ${l.note}` : `${l.symbol} ${l.side} ${l.execution?.outcome?.status ?? 'unfinished'}: ${l.execution?.outcome?.reason ?? 'no reason'}`;
  s.phase = 'done';
  s.timer = null;
  s.outcome = { status, reason: status === 'completed' ? null : short.map(why).join('; '), at: t };
  d.actions.push({ kind: 'finish', outcome: s.outcome.status, reason: s.outcome.reason });
}
