import { TERMINAL_CHILD_STATUSES } from '../execution-report.js';
import { calendarWindows } from './calendar-windows.js';
import { guardPrice } from '../pricing.js';
import { midPrice, quoteProblem, type Quote } from '../quote.js';
import { classifySpread } from '../spread.js';
import type { EpochMs, Price, Qty, Side } from '../units.js';
import { advance, afterChildEnded, cancelLiveChild, dropPendingReplacement, replacementConfirmed, replacementRefused, repegLiveChild } from './advance.js';
import { Draft } from './draft.js';
import type { ResolvedWindows } from '../trading-day-windows.js';
import type { ExecutionEvent, ExecutionSettings, ExecutionState, Transition } from './types.js';

export interface ExecutionRequest {
  readonly executionId: string;
  readonly side: Side;
  readonly qty: Qty;
  readonly decisionTime: EpochMs;
  /** The quote prevailing at the decision, if any. */
  readonly quote: Quote | null;
  /**
   * Trading-day windows, or the reason the market is shut that day. By default from the built-in
   * NYSE calendar; the live driver passes the broker's calendar.
   */
  readonly windows?: ResolvedWindows | string;
  /**
   * The worst price any child may carry, whatever the quotes do: a buy is never priced above it,
   * a sell never below it, and a market fallback becomes a limit at the guard (the tighter of this
   * cap and the slippage guard). A rebalance buy sized from cash sets it to the price its cash was
   * reserved at, so the buy can never cost more than the cash that exists. Absent: no cap.
   */
  readonly priceCap?: Price;
}

/** Creates the execution and takes its first decisions. */
export function startExecution(req: ExecutionRequest, settings: ExecutionSettings): Transition {
  const windows = req.windows ?? calendarWindows(req.decisionTime, settings.windowTimes);
  const initial: ExecutionState = {
    executionId: req.executionId,
    side: req.side,
    targetQty: req.qty,
    decisionTime: req.decisionTime,
    windows: typeof windows === 'string' ? null : windows,
    phase: 'awaiting-quote',
    filledQty: 0,
    children: [],
    liveChild: null,
    pendingReplacement: null,
    limitChildren: 0,
    repegs: 0,
    usedFallback: false,
    lastQuote: null,
    arrival: null,
    assessment: null,
    guard: null,
    priceCap: req.priceCap ?? null,
    gatePassed: settings.policy.openGate === null,
    quoteDeadline: null,
    timer: null,
    timerSeq: 0,
    outcome: null,
  };
  const d = new Draft(initial);
  d.log('decide', `${settings.policy.name}: ${req.side} ${req.qty / 1e9} shares`);
  if (typeof windows === 'string') {
    d.finish(req.decisionTime, windows);
    return d.done();
  }
  if (req.qty <= 0) {
    d.finish(req.decisionTime, 'quantity must be positive');
    return d.done();
  }
  if (req.quote !== null) observeQuote(d, req.decisionTime, req.quote, settings);
  advance(d, req.decisionTime, settings);
  return d.done();
}

function observeQuote(d: Draft, t: EpochMs, quote: Quote, settings: ExecutionSettings): void {
  const s = d.s;
  if (s.lastQuote !== null && quote.time < s.lastQuote.time) return; // out of order: keep the newer one
  s.lastQuote = quote;
  if (s.arrival !== null || quoteProblem(quote, t, settings.maxQuoteAgeMs) !== null) return;
  s.arrival = quote;
  const policy = settings.policy;
  const gate = policy.openGate;
  // The pre-market step: only a decision taken at or before the open is assessed.
  if (gate?.assessment && s.windows !== null && s.decisionTime <= s.windows.open) {
    const spreadClass = classifySpread(quote, gate.thresholds);
    const row = gate.assessment[spreadClass];
    s.assessment = { spreadClass, waitMs: row.waitMs, slippageBudgetBps: row.slippageBudgetBps };
    d.log('assess', `pre-market spread ${spreadClass}: wait up to ${row.waitMs} ms after the open; cost alert above ${row.slippageBudgetBps} bps`);
  }
  // The guard is the trader's hard cap. The assessment's budget is what this spread class should
  // cost, so it bounds the cost alert instead: capping limits at a few bps from a pre-market mid
  // would stall the ladder on any opening gap and end in the market fallback.
  const guard = policy.maxSlippageBps === null ? null : guardPrice(s.side, midPrice(quote), policy.maxSlippageBps);
  s.guard = tighterLimit(s.side, guard, s.priceCap);
}

/** The stricter of two worst prices (lower for a buy, higher for a sell); null stands for none. */
function tighterLimit(side: Side, a: Price | null, b: Price | null): Price | null {
  if (a === null) return b;
  if (b === null) return a;
  return side === 'buy' ? Math.min(a, b) : Math.max(a, b);
}

/** The pure transition: (state, event, settings) -> { state, actions }. */
export function stepExecution(state: ExecutionState, event: ExecutionEvent, settings: ExecutionSettings): Transition {
  const d = new Draft(state);
  if (state.phase === 'done') {
    // The broker's truth still counts after the end (a cancel that lost its race, an order the
    // driver could not see in time): the record must equal what the broker filled. Quotes and
    // timers after the end are expected (the stream runs on) and change nothing.
    if (event.type === 'fill') onLateFill(d, event.clientOrderId, event.qty, 'after the execution ended');
    else if (event.type !== 'quote' && event.type !== 'timer') d.ignore(event, 'the execution has ended');
    return d.done();
  }
  const t = event.time;
  switch (event.type) {
    case 'quote':
      observeQuote(d, t, event.quote, settings);
      if (d.s.phase === 'awaiting-quote' || d.s.phase === 'awaiting-spread') advance(d, t, settings);
      break;
    case 'timer':
      if (state.timer?.id === event.id) onTimer(d, t, settings);
      // A superseded timer is expected (Draft.arm re-arms instead of cancelling); an id never armed is not.
      else if (!wasArmed(state, event.id)) d.ignore(event, 'not a timer this execution armed');
      break;
    case 'accepted': {
      const child = d.child(event.clientOrderId);
      if (child?.status === 'pending') d.updateChild(event.clientOrderId, { status: 'accepted' });
      else d.ignore(event, child === null ? 'not a child of this execution' : `the order is already ${child.status}`);
      break;
    }
    case 'fill':
      onFill(d, event.clientOrderId, event.qty, t, settings);
      break;
    case 'cancelled':
      onChildTerminal(d, event, 'cancelled', t, settings);
      break;
    case 'rejected':
      onRejected(d, event, t);
      break;
    case 'replaced':
      if (d.s.phase === 'replacing' && d.s.liveChild === event.clientOrderId && d.s.pendingReplacement === event.newClientOrderId) {
        replacementConfirmed(d, t, settings, event.clientOrderId, event.newClientOrderId, event.qty);
      } else d.ignore(event, d.s.pendingReplacement === null ? 'no replace is pending' : `the pending replace is ${d.s.liveChild} by ${d.s.pendingReplacement}`);
      break;
    case 'replace-rejected':
      if (d.s.pendingReplacement === event.newClientOrderId) replacementRefused(d, t, event.newClientOrderId, event.reason);
      else d.ignore(event, d.s.pendingReplacement === null ? 'no replace is pending' : `the pending replacement is ${d.s.pendingReplacement}`);
      break;
    case 'cancel-rejected':
      // Usually the order filled first and its fill has already ended it; otherwise keep waiting
      // for the broker's final word until the cancel-confirmation deadline.
      if (d.s.liveChild === event.clientOrderId) d.log('cancel-rejected', `${event.clientOrderId}: ${event.reason}`);
      else d.ignore(event, `not the live order (${event.reason})`);
      break;
  }
  return d.done();
}

/** Whether `id` is a timer this execution armed before its current one (Draft.arm numbers them). */
function wasArmed(state: ExecutionState, id: string): boolean {
  const prefix = `${state.executionId}:t`;
  if (!id.startsWith(prefix)) return false;
  const seq = Number(id.slice(prefix.length));
  return Number.isInteger(seq) && seq >= 1 && seq <= state.timerSeq;
}

function onTimer(d: Draft, t: EpochMs, settings: ExecutionSettings): void {
  const s = d.s;
  s.timer = null;
  switch (s.phase) {
    case 'awaiting-open':
    case 'awaiting-quote':
    case 'awaiting-spread':
      advance(d, t, settings);
      return;
    case 'working':
      repegLiveChild(d, t, settings);
      return;
    case 'cancelling':
    case 'replacing':
      d.finish(t, `${s.phase === 'cancelling' ? 'cancel' : 'replace'} of ${s.liveChild} not confirmed in time; the order may still be live at the broker`);
      return;
  }
}

function onFill(d: Draft, id: string, qty: Qty, t: EpochMs, settings: ExecutionSettings): void {
  const child = d.child(id);
  if (child === null) {
    d.alert('unexpected-fill', `fill for ${id}, which is not a child of this execution; ignored`);
    return;
  }
  if (TERMINAL_CHILD_STATUSES.has(child.status)) {
    // A child already ended here can still have filled at the broker (a report that lost a race,
    // an order the driver took for absent): it counts, so what follows is sized from the truth.
    if (onLateFill(d, id, qty, `on ${child.status} child`)) afterLateFill(d, t);
    return;
  }
  const counted = countFill(d, id, qty);
  if (counted === 0) return;
  if (d.child(id)!.filledQty >= child.qty) onChildTerminal(d, id, 'filled', t, settings);
}

/**
 * Counts a fill within the child's and the parent's remaining quantity (while a replace is
 * pending, the old order and its replacement must never together exceed the target) and
 * returns what was counted; anything beyond is named in an alert.
 */
function countFill(d: Draft, id: string, qty: Qty): Qty {
  const child = d.child(id)!;
  const room = Math.min(child.qty - child.filledQty, d.s.targetQty - d.s.filledQty);
  const counted = Math.min(qty, room);
  // `!(x > 0)` also refuses NaN, which a malformed broker report could carry.
  if (!(counted > 0) || counted < qty) d.alert('unexpected-fill', `fill of ${qty} for ${id} is not within its remaining ${room}; counted ${counted > 0 ? counted : 0}`);
  if (!(counted > 0)) return 0;
  const filled = child.filledQty + counted;
  const ended = TERMINAL_CHILD_STATUSES.has(child.status);
  d.updateChild(id, ended ? { filledQty: filled } : { filledQty: filled, status: filled >= child.qty ? 'filled' : 'partially-filled' });
  d.s.filledQty += counted;
  return counted;
}

/** A fill on a child already terminal (or after the end): counted, status kept, outcome kept true. Returns true when something counted. */
function onLateFill(d: Draft, id: string, qty: Qty, where: string): boolean {
  if (d.child(id) === null) {
    d.alert('unexpected-fill', `fill for ${id}, which is not a child of this execution; ignored`);
    return false;
  }
  const counted = countFill(d, id, qty);
  if (counted > 0) d.alert('unexpected-fill', `late fill of ${counted} for ${id} ${where}; counted`);
  const o = d.s.outcome;
  if (counted > 0 && o !== null) {
    const status = d.s.filledQty >= d.s.targetQty ? 'filled' : 'partial';
    d.s.outcome = { ...o, status, reason: status === 'filled' ? null : o.reason };
  }
  return counted > 0;
}

/**
 * After a late fill the live child may now be larger than what the parent still needs: it is
 * cancelled, and the next child is sized from the true remainder. With nothing live and the
 * target reached, the execution is done. (A child in a pending replace is left to the replace's
 * answer, which caps the replacement at the remainder.)
 */
function afterLateFill(d: Draft, t: EpochMs): void {
  const s = d.s;
  const remaining = s.targetQty - s.filledQty;
  if (s.liveChild === null) {
    if (remaining <= 0) d.finish(t, null);
    return;
  }
  const live = d.child(s.liveChild);
  if (s.phase === 'working' && live !== null && live.qty - live.filledQty > remaining) cancelLiveChild(d, t, `over-sized after a late fill: ${live.qty - live.filledQty} working, ${remaining} remaining`);
}

/** A child ended: filled (`id`, from onFill), or cancelled (the broker's `cancelled` event). */
function onChildTerminal(d: Draft, ended: string | Extract<ExecutionEvent, { type: 'cancelled' }>, status: 'filled' | 'cancelled', t: EpochMs, settings: ExecutionSettings): void {
  const id = typeof ended === 'string' ? ended : ended.clientOrderId;
  const child = d.child(id);
  if (child === null) {
    if (typeof ended !== 'string') d.ignore(ended, 'not a child of this execution');
    return;
  }
  if (status === 'cancelled') {
    if (TERMINAL_CHILD_STATUSES.has(child.status)) {
      if (typeof ended !== 'string') d.ignore(ended, `the order is already ${child.status}`);
      return;
    }
    d.updateChild(id, { status: 'cancelled' });
  }
  if (d.s.liveChild !== id) return;
  afterChildEnded(d, t, settings);
}

function onRejected(d: Draft, event: Extract<ExecutionEvent, { type: 'rejected' }>, t: EpochMs): void {
  const { clientOrderId: id, reason } = event;
  const child = d.child(id);
  if (child === null || TERMINAL_CHILD_STATUSES.has(child.status)) {
    d.ignore(event, child === null ? 'not a child of this execution' : `the order is already ${child.status}`);
    return;
  }
  d.updateChild(id, { status: 'rejected' });
  d.alert('broker-reject', `broker rejected ${id}: ${reason}`);
  if (d.s.liveChild !== id) return;
  d.s.liveChild = null;
  dropPendingReplacement(d);
  // A reject is the broker saying no; re-sending would hammer it with the same request.
  d.finish(t, `broker rejected ${id}: ${reason}`);
}
