import { TERMINAL_CHILD_STATUSES } from '../execution-report.js';
import { marketWindow } from '../trading-day-windows.js';
import { quoteProblem } from '../quote.js';
import { classifySpread } from '../spread.js';
import { formatUsd, qtyToShares, type EpochMs, type Price } from '../units.js';
import type { Draft } from './draft.js';
import { spreadWaitDeadline } from './next-wake.js';
import { freshStepLimit, lastWorkedLimit, stepLimit, type StepLimit } from './step-limit.js';
import { CANCEL_CONFIRM_TIMEOUT_MS, type ChildState, type ExecutionSettings, type OrderRequest } from './types.js';

/**
 * Moves an execution that has no live child forward: wait for the open, for a valid quote, or
 * for a tight spread, or send the next child. Called whenever something may have unblocked it.
 */
export function advance(d: Draft, t: EpochMs, settings: ExecutionSettings): void {
  const s = d.s;
  const w = s.windows!;
  const window = marketWindow(t, w);
  if (window === 'pre-market') {
    if (s.phase !== 'awaiting-open') {
      s.phase = 'awaiting-open';
      d.log('await-open', 'decided before the open; waiting for 09:30 ET');
      d.arm(w.open);
    } else if (s.timer === null) {
      d.arm(w.open); // the open timer fired early (a driver clock behind the timer's): re-arm it
    }
    return;
  }
  if (window === 'closed') {
    d.finish(t, 'market closed before the order could complete');
    return;
  }
  const problem = quoteProblem(s.lastQuote, t, settings.maxQuoteAgeMs);
  if (problem !== null) {
    if (s.quoteDeadline === null) {
      s.quoteDeadline = t + settings.quoteWaitMs;
      d.log('await-quote', `no usable quote (${problem}); waiting up to ${settings.quoteWaitMs} ms`);
    }
    if (t >= s.quoteDeadline) {
      d.alert('wait-ran-out', `no valid quote within ${settings.quoteWaitMs} ms (last quote ${problem}): giving up`);
      d.finish(t, `no valid quote within ${settings.quoteWaitMs} ms (last quote ${problem})`);
      return;
    }
    if (s.phase !== 'awaiting-quote' || s.timer?.at !== s.quoteDeadline) {
      s.phase = 'awaiting-quote';
      d.arm(s.quoteDeadline);
    }
    return;
  }
  s.quoteDeadline = null;
  const gate = settings.policy.openGate;
  if (!s.gatePassed && gate !== null) {
    const quote = s.lastQuote!;
    const spreadClass = classifySpread(quote, gate.thresholds);
    if (window !== 'wait-for-spreads') {
      s.gatePassed = true;
      d.log('go', `${window} window: executing now (spread ${spreadClass})`);
      // Still waiting for a tight spread when the open window closed: that wait ran out.
      if (s.phase === 'awaiting-spread' && spreadClass !== 'tight') d.alert('wait-ran-out', `spread still ${spreadClass} when the open window ended: executing now`);
    } else {
      const { bound, waitFrom, deadline } = spreadWaitDeadline(s, gate, w);
      if (spreadClass === 'tight') {
        s.gatePassed = true;
        d.log('go', 'spread tight in the open window: executing now');
      } else if (t >= deadline) {
        s.gatePassed = true;
        d.log('go', `spread still ${spreadClass} after the ${bound} ms wait bound: executing now`);
        // A bound of 0 (a tight pre-market class) allowed no wait, so none ran out.
        if (deadline > waitFrom) d.alert('wait-ran-out', `spread still ${spreadClass} after waiting ${deadline - waitFrom} ms for it to tighten: executing now`);
      } else {
        if (s.phase !== 'awaiting-spread') {
          s.phase = 'awaiting-spread';
          d.log('await-spread', `spread ${spreadClass} at the open; waiting up to ${deadline - t} ms for it to tighten`);
          d.arm(deadline);
        } else if (s.timer === null) {
          d.arm(deadline); // the wait-bound timer fired early: re-arm it
        }
        return;
      }
    }
  }
  s.gatePassed = true;
  sendNextChild(d, t, settings);
}

function nextClientOrderId(d: Draft): string {
  return `${d.s.executionId}:${d.s.children.length + 1}`;
}

function submit(d: Draft, order: OrderRequest, isFallback: boolean): void {
  d.s.children = [
    ...d.s.children,
    { clientOrderId: order.clientOrderId, type: order.type, limitPrice: order.limitPrice, qty: order.qty, filledQty: 0, status: 'pending', isFallback },
  ];
  d.s.liveChild = order.clientOrderId;
  d.s.phase = 'working';
  d.actions.push({ kind: 'submit', order });
}

/**
 * The next scheduled limit child at `limit` (priced from the last valid quote) for the remaining
 * quantity; counts the step and the re-peg, and logs the decision.
 */
function nextLimitOrder(d: Draft, limit: StepLimit): OrderRequest {
  const s = d.s;
  const step = s.limitChildren;
  const { price, capped, nudged } = limit;
  if (step > 0) s.repegs += 1;
  s.limitChildren += 1;
  const notes = `${nudged ? ' (one tick past the previous limit, which the quote priced again)' : ''}${capped ? ' (capped by the slippage guard)' : ''}`;
  d.log(step === 0 ? 'submit' : 'repeg', `limit ${s.side} ${formatUsd(price)} for the remaining quantity${notes}`);
  if (capped) d.alert('slippage-guard-hit', `slippage guard capped the limit at ${formatUsd(price)} (${price} price units)`);
  return { clientOrderId: nextClientOrderId(d), side: s.side, type: 'limit', qty: s.targetQty - s.filledQty, limitPrice: price };
}

/** Arms the timeout of the schedule step just sent (or confirmed by a replace, or kept). */
function armStepTimeout(d: Draft, t: EpochMs, settings: ExecutionSettings): void {
  d.arm(t + settings.policy.timeoutMs(d.s.limitChildren - 1, t, d.s.windows!, d.s.lastQuote));
}

function sendNextChild(d: Draft, t: EpochMs, settings: ExecutionSettings): void {
  const s = d.s;
  if (s.limitChildren < settings.policy.limitSteps) {
    const limit = freshStepLimit(s, settings);
    if (limit === null) {
      const tried = lastWorkedLimit(s);
      const holder = tried === s.guard ? 'the slippage guard' : 'the smallest price';
      if (tried === s.guard && s.guard !== null) d.alert('slippage-guard-hit', `the slippage guard at ${formatUsd(s.guard)} allows no limit beyond the last one: going to the fallback`);
      sendFallback(d, t, settings, s.targetQty - s.filledQty, `the next limit would repeat ${tried === null ? '-' : formatUsd(tried)}, and ${holder} allows none further`);
      return;
    }
    submit(d, nextLimitOrder(d, limit), false);
    armStepTimeout(d, t, settings);
    return;
  }
  sendFallback(d, t, settings, s.targetQty - s.filledQty, null);
}

/**
 * The live child timed out. A schedule limit with another step due and a usable quote is
 * re-priced for that step first:
 * - the same price: the order is kept (a cancel and resubmit would only lose its place in the
 *   queue); the step counts as a re-peg and its timeout is re-armed;
 * - the same price because the slippage guard caps it there: no re-peg can do better, so the
 *   execution goes to its fallback now rather than spend the remaining re-pegs at that price;
 * - another price: in replace mode the order is replaced in one request; otherwise it is
 *   cancelled, and the next child waits for the confirmation (and is priced from the quote then).
 * Anything else (the fallback child, no step left, no usable quote) is cancelled. A fallback order
 * is never a replace: Alpaca cannot turn a limit into a market.
 */
export function repegLiveChild(d: Draft, t: EpochMs, settings: ExecutionSettings): void {
  const s = d.s;
  const policy = settings.policy;
  const live = d.child(s.liveChild!);
  const scheduleLimit = live !== null && live.type === 'limit' && !live.isFallback;
  if (scheduleLimit && s.limitChildren < policy.limitSteps && quoteProblem(s.lastQuote, t, settings.maxQuoteAgeMs) === null) {
    const limit = stepLimit(s, settings, s.limitChildren);
    if (limit.price === live.limitPrice) {
      if (limit.capped) {
        d.alert('slippage-guard-hit', `the slippage guard holds the re-peg at ${formatUsd(limit.price)}, where ${live.clientOrderId} already works: going to the fallback`);
        goToFallbackFrom(d, t, settings, live, `the slippage guard holds the re-peg at ${limit.price}, where ${live.clientOrderId} already works`);
      } else keepLiveChild(d, t, settings, live);
      return;
    }
    if (policy.repegMode === 'replace') {
      replaceLiveChild(d, t, settings, live, limit);
      return;
    }
  } else if (scheduleLimit && s.limitChildren >= policy.limitSteps) {
    goToFallbackFrom(d, t, settings, live, 'timed out');
    return;
  }
  cancelLiveChild(d, t, 'timed out');
}

/** Keeps the timed-out child as this step's order: its price is what the re-peg would send. */
function keepLiveChild(d: Draft, t: EpochMs, settings: ExecutionSettings, live: ChildState): void {
  const s = d.s;
  s.repegs += 1;
  s.limitChildren += 1;
  d.log('keep', `${live.clientOrderId} keeps working at ${live.limitPrice === null ? 'market' : formatUsd(live.limitPrice)}: the re-peg would send the same limit`);
  armStepTimeout(d, t, settings);
}

/**
 * The schedule is over for the working child. A "limit-at-guard" fallback is the working order
 * itself when it already sits at the guard: it is kept as the fallback, with the fallback's
 * timeout, rather than cancelled and sent again at the same price. Otherwise it is cancelled and
 * the fallback follows the confirmation.
 */
function goToFallbackFrom(d: Draft, t: EpochMs, settings: ExecutionSettings, live: ChildState, why: string): void {
  const s = d.s;
  if (fallsBackAtGuard(settings, s) && s.guard !== null && live.limitPrice === s.guard) {
    d.updateChild(live.clientOrderId, { isFallback: true });
    s.usedFallback = true;
    d.log('fallback', `${live.clientOrderId} already works at the slippage guard ${s.guard === null ? '-' : formatUsd(s.guard)}: kept as the limit-at-guard fallback (${why})`);
    d.arm(t + settings.policy.fallbackTimeoutMs);
    return;
  }
  cancelLiveChild(d, t, why);
}

/** Replace mode: one request swaps the working limit for the next step's, at a new price. */
function replaceLiveChild(d: Draft, t: EpochMs, settings: ExecutionSettings, live: ChildState, limit: StepLimit): void {
  const s = d.s;
  const order = nextLimitOrder(d, limit);
  s.children = [
    ...s.children,
    { clientOrderId: order.clientOrderId, type: 'limit', limitPrice: order.limitPrice, qty: order.qty, filledQty: 0, status: 'pending', isFallback: false },
  ];
  s.pendingReplacement = order.clientOrderId;
  s.phase = 'replacing';
  d.actions.push({ kind: 'replace', clientOrderId: live.clientOrderId, order });
  d.arm(t + CANCEL_CONFIRM_TIMEOUT_MS);
}

/**
 * The broker swapped the replacement in: it becomes the live child, working at most what remains
 * (plus what it already filled). Its own reports may have arrived first: if they already ended
 * it (a fill that completed it), the execution moves on as for any ended child.
 */
export function replacementConfirmed(d: Draft, t: EpochMs, settings: ExecutionSettings, oldId: string, newId: string, qty: number): void {
  const s = d.s;
  const next = d.child(newId)!;
  d.updateChild(oldId, { status: 'replaced' });
  s.pendingReplacement = null;
  s.liveChild = newId;
  d.log('replaced', `${oldId} replaced by ${newId}`);
  const workQty = Math.min(qty, next.filledQty + s.targetQty - s.filledQty);
  const ended = TERMINAL_CHILD_STATUSES.has(next.status) || (next.filledQty > 0 && next.filledQty >= workQty);
  if (!TERMINAL_CHILD_STATUSES.has(next.status)) {
    d.updateChild(newId, { status: ended ? 'filled' : next.filledQty > 0 ? 'partially-filled' : 'accepted', qty: workQty });
  }
  if (ended) {
    afterChildEnded(d, t, settings);
    return;
  }
  s.phase = 'working';
  armStepTimeout(d, t, settings);
}

/**
 * The replace was refused. The re-peg did not happen, so its count is taken back; if the old
 * child still works, fall back to cancel-then-resubmit, which re-prices on the confirmation.
 */
export function replacementRefused(d: Draft, t: EpochMs, newId: string, reason: string): void {
  dropPendingReplacement(d);
  d.log('replace-rejected', `${newId}: ${reason}`);
  if (d.s.liveChild !== null) cancelLiveChild(d, t, 'replace refused');
}

/**
 * The pending replacement will never be swapped in (refused, or the old child ended first): it is
 * marked rejected, and its schedule step and re-peg are taken back, since it never worked.
 */
export function dropPendingReplacement(d: Draft): void {
  const s = d.s;
  if (s.pendingReplacement === null) return;
  d.updateChild(s.pendingReplacement, { status: 'rejected' });
  s.pendingReplacement = null;
  s.limitChildren -= 1;
  if (s.limitChildren > 0) s.repegs -= 1;
}

/**
 * Whether the fallback is a limit at the guard: configured so, or a market fallback under a price
 * cap (a market order could cost more than the cap allows, so it goes at the guard instead).
 */
function fallsBackAtGuard(settings: ExecutionSettings, s: Draft['s']): boolean {
  return settings.policy.fallback === 'limit-at-guard' || (settings.policy.fallback === 'market' && s.priceCap !== null);
}

/** Sends the fallback for what remains; `early` says why it comes before the schedule is used up. */
function sendFallback(d: Draft, t: EpochMs, settings: ExecutionSettings, remaining: number, early: string | null): void {
  const s = d.s;
  const policy = settings.policy;
  const primary = policy.limitSteps === 0;
  if (policy.fallback === 'stop') {
    d.finish(t, early === null ? `re-pegs exhausted after ${s.limitChildren} limit orders; fallback is "stop"` : `${early}; fallback is "stop"`);
    return;
  }
  s.usedFallback = !primary;
  const id = nextClientOrderId(d);
  let limitPrice: Price | null = null;
  const capped = policy.fallback === 'market' && s.priceCap !== null;
  if (fallsBackAtGuard(settings, s)) {
    if (s.guard === null) {
      d.finish(t, 'fallback "limit-at-guard" has no guard price');
      return;
    }
    limitPrice = s.guard;
  }
  const what =
    limitPrice === null
      ? 'market order for the remaining quantity'
      : capped
        ? `limit at the guard ${limitPrice} for the remaining quantity (the price cap ${s.priceCap} rules out a market order)`
        : `limit at the slippage guard ${formatUsd(limitPrice)} for the remaining quantity`;
  d.log(primary ? 'submit' : 'fallback', early === null ? what : `${what} (${early})`);
  submit(d, { clientOrderId: id, side: s.side, type: limitPrice === null ? 'market' : 'limit', qty: remaining, limitPrice }, !primary);
  d.arm(t + policy.fallbackTimeoutMs);
}

/** The live child timed out: ask for its cancel and wait for the confirmation. */
export function cancelLiveChild(d: Draft, t: EpochMs, why: string): void {
  const id = d.s.liveChild!;
  d.s.phase = 'cancelling';
  d.log('cancel', `${id}: ${why}`);
  d.actions.push({ kind: 'cancel', clientOrderId: id });
  d.arm(t + CANCEL_CONFIRM_TIMEOUT_MS);
}

/** The live child reached a terminal state; decide what comes next. */
export function afterChildEnded(d: Draft, t: EpochMs, settings: ExecutionSettings): void {
  const s = d.s;
  s.liveChild = null;
  // A broker never swaps in a replacement for an order that is already done.
  dropPendingReplacement(d);
  if (s.filledQty >= s.targetQty) {
    d.finish(t, null);
    return;
  }
  const last = s.children[s.children.length - 1];
  if (last?.isFallback || (settings.policy.limitSteps === 0 && last !== undefined)) {
    d.finish(t, `${last.type} order ${last.status} with ${qtyToShares(s.targetQty - s.filledQty)} shares unfilled`);
    return;
  }
  advance(d, t, settings);
}
