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

type Class = 'tight' | 'normal' | 'wide';

/**
 * The spread class, restated from DESIGN.md: tight at or below the tight threshold, wide strictly
 * above the wide one, in cents and in bps of the mid, and the milder of the two.
 */
export function spreadClassOf(q: Quote, t: { tightCents: number; wideCents: number; tightBps: number; wideBps: number }): Class {
  const cents = (q.ask - q.bid) / 100;
  const bps = ((q.ask - q.bid) / ((q.bid + q.ask) / 2)) * 10_000;
  const rank = (v: number, tight: number, wide: number): number => (v <= tight ? 0 : v > wide ? 2 : 1);
  return (['tight', 'normal', 'wide'] as const)[Math.min(rank(cents, t.tightCents, t.wideCents), rank(bps, t.tightBps, t.wideBps))]!;
}

/**
 * Hundredths of a fraction the generators write with at most two decimals (scenarios.ts draws
 * k / 100), so the oracle's arithmetic is in whole numbers and cannot share a float error with
 * the engine's.
 */
const hundredths = (f: number): number => Math.round(f * 100);

/** The grid price `h / per` hundredths of the spread from the near side toward the far side (rounded away from the near side). */
function atHundredths(side: 'buy' | 'sell', q: Quote, h: number, per = 1): Price {
  const n = h * (q.ask - q.bid);
  const d = 100 * per;
  const distance = (n - (n % d)) / d + (n % d > 0 ? 1 : 0); // ceil(n / d) in whole numbers
  return side === 'buy' ? ceilGrid(q.bid + distance) : Math.max(1, floorGrid(q.ask - distance));
}

/** What the settings demand of a ladder step: its raw price and whether it must be marketable. */
export function ladderStep(h: Harness, step: number, q: Quote): { raw: Price; mustBeMarketable: boolean; marketable: Price } {
  const side = h.setup.request.side;
  const p = h.setup.params;
  const ticks = p.aggressionTicks + step * p.escalationTicksPerRepeg;
  const marketable = side === 'buy' ? gridSteps(ceilGrid(q.ask), ticks) : Math.max(1, gridSteps(floorGrid(q.bid), -ticks));
  const entry = p.entry[spreadClassOf(q, p.spread)];
  const done = (raw: Price, mustBeMarketable: boolean) => ({ raw, mustBeMarketable, marketable });
  if (entry === 'marketable') return done(marketable, true);
  const f0 = hundredths(entry);
  const notPast = (x: Price): Price => (side === 'buy' ? Math.min(x, marketable) : Math.max(x, marketable));
  const rule = p.repegStep;
  if (step === 0) return done(atHundredths(side, q, f0), false);
  if (rule.mode === 'list') {
    const listed = rule.fractions[step - 1];
    return listed === undefined ? done(marketable, true) : done(atHundredths(side, q, hundredths(listed)), false);
  }
  // The last re-peg of a stepped inside entry is marketable (with no re-peg the one child stays inside).
  if (step >= p.maxRepegs) return done(marketable, true);
  if (rule.mode === 'ticks') return done(notPast(gridSteps(atHundredths(side, q, f0), (side === 'buy' ? 1 : -1) * step * rule.ticks)), false);
  // f0 + step x (1 - f0) / maxRepegs (in hundredths over maxRepegs), or f0 + step x fraction up to the far side.
  if (rule.fraction === null) return done(notPast(atHundredths(side, q, f0 * p.maxRepegs + step * (100 - f0), p.maxRepegs)), false);
  return done(notPast(atHundredths(side, q, Math.min(100, f0 + step * hundredths(rule.fraction)))), false);
}

/** Schedule step `step`'s limit from quote q: the ladder family's rule, or a baseline's spread fraction; capped at the guard. */
export function stepPrice(h: Harness, step: number, q: Quote): StepPrice {
  const side = h.setup.request.side;
  let raw: Price;
  if (h.setup.kind === 'ladder') {
    raw = ladderStep(h, step, q).raw;
  } else {
    const f = STEP_FRACTIONS[h.setup.kind === 'passive' ? 'passive' : 'progressive'][step] ?? 1;
    raw = atHundredths(side, q, hundredths(f));
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
