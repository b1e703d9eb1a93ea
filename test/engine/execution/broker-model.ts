/**
 * The reference model of the broker for the execution tests, and the price-grid and quote-validity
 * rules restated independently of the engine, for the invariant checks to compare against.
 */
import type { ExecutionAction, ExecutionEvent, OrderRequest } from '../../../src/engine/execution/types.js';
import type { Quote } from '../../../src/engine/quote.js';
import type { EpochMs, Price, Qty } from '../../../src/engine/units.js';
import type { Setup } from './scenarios.js';

// ---------------------------------------------------------------- independent price grid

/** Smallest grid price >= x: 1-unit ticks below $1.00 (10,000 units), 100-unit ticks from it. */
export function ceilGrid(x: number): Price {
  const i = Math.ceil(x);
  return i < 10_000 ? i : Math.ceil(i / 100) * 100;
}
export function floorGrid(x: number): Price {
  const i = Math.floor(x);
  return i < 10_000 ? i : Math.floor(i / 100) * 100;
}
/** n grid steps from a grid price (negative n steps down); 10,000 steps down to 9,999. */
export function gridSteps(p: Price, n: number): Price {
  let x = p;
  for (let i = 0; i < Math.abs(n); i++) x = n > 0 ? x + (x < 10_000 ? 1 : 100) : x - (x <= 10_000 ? 1 : 100);
  return x;
}
export function onGrid(p: number): boolean {
  return Number.isInteger(p) && p > 0 && (p < 10_000 || p % 100 === 0);
}
/** The quote validity rule, restated independently of quoteProblem. */
export function usable(q: Quote | null, t: EpochMs, maxAgeMs: number): q is Quote {
  return q !== null && q.bid > 0 && q.ask > 0 && q.bid < q.ask && t - q.time <= maxAgeMs;
}

// ---------------------------------------------------------------- reference broker model

export type BrokerStatus = 'pending' | 'accepted' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected' | 'replaced';
export interface BrokerChild {
  readonly id: string;
  readonly type: 'limit' | 'market';
  qty: Qty;
  readonly limitPrice: Price | null;
  /** Index in the limit schedule it was sent for, or -1 for the fallback / market child. */
  readonly step: number;
  /** The fallback: sent as one, or a schedule limit at the guard kept as the limit-at-guard fallback. */
  fallback: boolean;
  filled: Qty;
  status: BrokerStatus;
  cancelRequested: boolean;
  cancelRejected: boolean;
  /** On an old child: the replacement asked for, and whether the broker has answered that request. */
  replacement: string | null;
  replaceAnswered: boolean;
  /** On a replacement: not yet swapped in (the old child still works meanwhile). */
  awaitingReplace: boolean;
  /** A replacement the broker never swapped in (refused, or the old child ended first): it used no schedule step. */
  refused: boolean;
}

export const isTerminal = (s: BrokerStatus): boolean => s === 'filled' || s === 'cancelled' || s === 'rejected' || s === 'replaced';
/** Working at the broker: not terminal, and not a replacement still waiting to be swapped in. */
export const isLive = (c: BrokerChild): boolean => !isTerminal(c.status) && !c.awaitingReplace;

/**
 * What the broker knows: every child the machine submitted (or asked to swap in by a replace) and
 * what the events fed so far did to it, the newest quote (the one the machine must price from)
 * and the arrival quote. A replace follows Alpaca: the old child keeps working (and filling) until
 * the broker reports `replaced` (old terminal, new live) or `replace-rejected`; a replacement is
 * never swapped in for an order that has already ended. Fills count within the child's remaining
 * and the parent's remaining.
 */
export class BrokerModel {
  now: EpochMs;
  ref: Price;
  readonly children: BrokerChild[] = [];
  latest: Quote | null = null;
  arrival: Quote | null = null;
  readonly timerIds: string[] = [];
  finishes = 0;
  /**
   * Re-pegs the machine made by keeping the working child (its price would not change): the
   * broker never sees them, so the invariant checks count them as they judge each timeout.
   */
  keptSteps = 0;
  constructor(readonly setup: Setup) {
    this.now = setup.request.decisionTime;
    this.ref = setup.ref;
  }
  get target(): Qty {
    return this.setup.request.qty;
  }
  child(id: string): BrokerChild | undefined {
    return this.children.find((c) => c.id === id);
  }
  /** The one child working at the broker, if any (a replacement counts once swapped in). */
  working(): BrokerChild | undefined {
    return this.children.find(isLive);
  }
  /** The replacement waiting to be swapped in, if any. */
  awaiting(): BrokerChild | undefined {
    return this.children.find((c) => c.awaitingReplace);
  }
  /** The old child of a replace request the broker has not answered yet (it may have ended since). */
  unansweredReplace(): BrokerChild | undefined {
    return this.children.find((c) => c.replacement !== null && !c.replaceAnswered);
  }
  countedFills(): Qty {
    return this.children.reduce((sum, c) => sum + c.filled, 0);
  }
  /** Children that took a slot: every submitted child and every replacement not refused. */
  slotted(): BrokerChild[] {
    return this.children.filter((c) => !c.refused);
  }
  scheduleStepsUsed(): number {
    return this.slotted().filter((c) => c.step >= 0).length;
  }
  /** Schedule steps taken: the limit children that took a slot plus the steps the machine kept a working child for. */
  stepsTaken(): number {
    return this.scheduleStepsUsed() + this.keptSteps;
  }
  /** The last child that worked at the broker (a refused or pending replacement has not), if any. */
  lastWorked(): BrokerChild | undefined {
    return this.children.filter((c) => !c.refused && !c.awaitingReplace).pop();
  }

  observe(e: ExecutionEvent): void {
    this.now = Math.max(this.now, e.time);
    if (e.type === 'quote') {
      if (this.latest !== null && e.quote.time < this.latest.time) return;
      this.latest = e.quote;
      if (this.arrival === null && usable(e.quote, e.time, this.setup.settings.maxQuoteAgeMs)) this.arrival = e.quote;
      return;
    }
    if (e.type === 'timer') return;
    if (e.type === 'replace-rejected') {
      const old = this.children.find((c) => c.replacement === e.newClientOrderId && !c.replaceAnswered);
      if (old === undefined) return;
      old.replaceAnswered = true;
      this.dropReplacement(e.newClientOrderId);
      return;
    }
    const c = this.child(e.clientOrderId);
    if (c !== undefined && isTerminal(c.status) && e.type === 'fill') {
      // What the broker filled counts even on a child already ended (a late report): the
      // parent's remainder, and every later child's size, come from the broker's total.
      const counted = Math.min(e.qty, c.qty - c.filled, this.target - this.countedFills());
      if (counted > 0) c.filled += counted;
      return;
    }
    if (c === undefined || isTerminal(c.status)) {
      if (c !== undefined && e.type === 'cancel-rejected') c.cancelRejected = true;
      return;
    }
    switch (e.type) {
      case 'accepted':
        if (c.status === 'pending') c.status = 'accepted';
        break;
      case 'fill': {
        const counted = Math.min(e.qty, c.qty - c.filled, this.target - this.countedFills());
        if (!(counted > 0)) break;
        c.filled += counted;
        c.status = c.filled >= c.qty ? 'filled' : 'partially-filled';
        break;
      }
      case 'cancelled':
        c.status = 'cancelled';
        break;
      case 'rejected':
        c.status = 'rejected';
        break;
      case 'cancel-rejected':
        c.cancelRejected = true;
        break;
      case 'replaced': {
        const next = this.child(e.newClientOrderId);
        if (c.awaitingReplace || c.replacement !== e.newClientOrderId || c.replaceAnswered || next === undefined || !next.awaitingReplace) break;
        c.status = 'replaced';
        c.replaceAnswered = true;
        next.awaitingReplace = false;
        // Its own reports may have come first (a fill that completed it): then it has already ended.
        if (isTerminal(next.status)) break;
        // The new order works what the broker reports, never more than the parent still needs.
        next.qty = Math.min(e.qty, next.filled + this.target - this.countedFills());
        next.status = next.filled > 0 ? (next.filled >= next.qty ? 'filled' : 'partially-filled') : 'accepted';
        break;
      }
    }
    // A broker never swaps in a replacement for an order that has already ended.
    if (isTerminal(c.status) && c.replacement !== null && c.status !== 'replaced') this.dropReplacement(c.replacement);
  }

  private dropReplacement(id: string): void {
    const r = this.child(id);
    if (r === undefined || !r.awaitingReplace) return;
    r.awaitingReplace = false;
    r.refused = true;
    if (!isTerminal(r.status)) r.status = 'rejected';
  }

  /** `fallback`: the order is the fallback (the checks decide it from the schedule rule, schedule-rule.ts). */
  private add(o: OrderRequest, awaitingReplace: boolean, fallback: boolean): void {
    this.children.push({
      id: o.clientOrderId,
      type: o.type,
      qty: o.qty,
      limitPrice: o.limitPrice,
      step: fallback ? -1 : this.stepsTaken(),
      fallback,
      filled: 0,
      status: 'pending',
      cancelRequested: false,
      cancelRejected: false,
      replacement: null,
      replaceAnswered: false,
      awaitingReplace,
      refused: false,
    });
  }

  /** Takes in one action of the machine; `fallback` says whether a submit is the fallback order. */
  apply(a: ExecutionAction, fallback = false): void {
    if (a.kind === 'submit') {
      this.add(a.order, false, fallback || a.order.type === 'market');
    } else if (a.kind === 'replace') {
      const old = this.child(a.clientOrderId);
      this.add(a.order, true, false);
      if (old !== undefined) {
        old.replacement = a.order.clientOrderId;
        old.replaceAnswered = false;
      }
    } else if (a.kind === 'cancel') {
      const c = this.child(a.clientOrderId);
      if (c !== undefined) c.cancelRequested = true;
    } else if (a.kind === 'set-timer') {
      this.timerIds.push(a.id);
    } else if (a.kind === 'finish') {
      this.finishes += 1;
    }
  }
}
