/**
 * The pricing schedule restated for the invariant checks, from the DESIGN.md rules and the grid
 * helpers of broker-model.ts (never the engine's): what a schedule step's limit must be from a
 * quote, what a new child must be (the step's limit; one tick further when that repeats the
 * previous child's price; or the fallback), and what a timed-out child's re-peg must do (keep it
 * when its price would not change). Counting uses the broker model's schedule steps plus the
 * steps kept, so every check sees the same step index the machine must use.
 */
import type { Quote } from '../../../src/engine/quote.js';
import type { Price } from '../../../src/engine/units.js';
import { exactGuard, shortestDecimal } from '../guard-oracle.js';
import { ceilGrid, floorGrid, gridSteps, STEP_FRACTIONS, usable, type BrokerChild, type Harness } from './harness.js';

/**
 * The guard the configuration demands: maxSlippageBps from the arrival mid the model saw (null:
 * none), rounded toward the mid, exactly (the BigInt grid search of guard-oracle.ts). The
 * pre-market budget bounds the cost alert, not the guard.
 */
export function expectedGuard(h: Harness): Price | null {
  const arrival = h.model.arrival;
  const bps = h.settings.policy.maxSlippageBps;
  if (arrival === null || bps === null) return null;
  return exactGuard(h.setup.request.side, arrival.bid + arrival.ask, shortestDecimal(bps));
}

export interface StepPrice {
  /** Where the settings put the step, before the guard. */
  readonly raw: Price;
  readonly price: Price;
  readonly capped: boolean;
}

const beyond = (side: 'buy' | 'sell', p: Price, guard: Price | null): boolean => guard !== null && (side === 'buy' ? p > guard : p < guard);

/** Schedule step `step`'s limit from quote q: the ladder's far side + ticks, or a baseline's spread fraction; capped at the guard. */
export function stepPrice(h: Harness, step: number, q: Quote): StepPrice {
  const side = h.setup.request.side;
  let raw: Price;
  if (h.setup.kind === 'ladder') {
    const ticks = h.setup.params.aggressionTicks + step * h.setup.params.escalationTicksPerRepeg;
    raw = side === 'buy' ? gridSteps(ceilGrid(q.ask), ticks) : Math.max(1, gridSteps(floorGrid(q.bid), -ticks));
  } else {
    const f = STEP_FRACTIONS[h.setup.kind === 'passive' ? 'passive' : 'progressive'][step] ?? 1;
    const spread = q.ask - q.bid;
    raw = side === 'buy' ? ceilGrid(q.bid + f * spread) : Math.max(1, floorGrid(q.ask - f * spread));
  }
  const guard = expectedGuard(h);
  const capped = beyond(side, raw, guard);
  return { raw, price: capped ? guard! : raw, capped };
}

export type NewChild =
  | { readonly kind: 'limit'; readonly price: Price; readonly capped: boolean; readonly nudged: boolean }
  | { readonly kind: 'fallback' };

/**
 * What a new child sent now from quote q must be: the fallback once the schedule is used up;
 * otherwise the next step's limit, unless that is the price of the child that worked before it
 * (no two consecutive children at one price): then one tick further toward the far side, or the
 * fallback when the guard (or the smallest price) allows nothing further.
 */
export function expectedNewChild(h: Harness, q: Quote): NewChild {
  const m = h.model;
  const side = h.setup.request.side;
  if (m.stepsTaken() >= h.settings.policy.limitSteps) return { kind: 'fallback' };
  const { price, capped } = stepPrice(h, m.stepsTaken(), q);
  const previous = m.lastWorked()?.limitPrice ?? null;
  if (price !== previous) return { kind: 'limit', price, capped, nudged: false };
  const further = gridSteps(previous, side === 'buy' ? 1 : -1);
  if (further <= 0 || beyond(side, further, expectedGuard(h))) return { kind: 'fallback' };
  return { kind: 'limit', price: further, capped: false, nudged: true };
}

/** Whether the next new child must be the fallback, by the rule (by the schedule's count when no usable quote says otherwise). */
export function ruleSaysFallback(h: Harness, t: number): boolean {
  const q = h.model.latest;
  if (!usable(q, t, h.settings.maxQuoteAgeMs)) return h.model.stepsTaken() >= h.settings.policy.limitSteps;
  return expectedNewChild(h, q).kind === 'fallback';
}

/** What the timeout of a working child must do. */
export type TimeoutMove = 'keep' | 'hold-as-fallback' | 'cancel' | 'replace';

/**
 * The re-peg rule at the timeout of `live`: a schedule limit with a step left and a usable quote
 * is re-priced for that step; the same price keeps it (or, when the guard is what holds it there,
 * it becomes the limit-at-guard fallback if that is the fallback, else it is cancelled for the
 * fallback); another price replaces it (replace mode) or cancels it. With no step left, a limit
 * at the guard becomes the limit-at-guard fallback. Everything else is cancelled.
 */
export function expectedTimeoutMove(h: Harness, live: BrokerChild, t: number): TimeoutMove {
  const m = h.model;
  const policy = h.settings.policy;
  const holdable = policy.fallback === 'limit-at-guard' && live.limitPrice === expectedGuard(h);
  if (live.type !== 'limit' || live.fallback) return 'cancel';
  if (m.stepsTaken() >= policy.limitSteps) return holdable ? 'hold-as-fallback' : 'cancel';
  if (!usable(m.latest, t, h.settings.maxQuoteAgeMs)) return 'cancel';
  const next = stepPrice(h, m.stepsTaken(), m.latest);
  if (next.price === live.limitPrice) {
    if (!next.capped) return 'keep';
    return holdable ? 'hold-as-fallback' : 'cancel';
  }
  return policy.repegMode === 'replace' ? 'replace' : 'cancel';
}
