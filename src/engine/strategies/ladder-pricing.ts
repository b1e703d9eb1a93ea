import type { LadderParams } from '../config.js';
import { decimalRatio } from '../decimal-ratio.js';
import { aggressiveLimit, limitAtExactFraction, towardFarSide, type Fraction } from '../pricing.js';
import type { Quote } from '../quote.js';
import { classifySpread, type SpreadClass } from '../spread.js';
import type { EpochMs, Price, Side } from '../units.js';
import type { ResolvedWindows } from '../trading-day-windows.js';

/**
 * The ladder family's schedule: where each limit of the ladder goes, and how long it works.
 * Every step is priced from the fresh quote it is sent on, by that quote's spread class:
 * - a class whose entry is "marketable" gets the seed's ladder: the far side plus
 *   aggressionTicks, plus escalationTicksPerRepeg per re-peg;
 * - a class whose entry is a fraction starts inside the spread at that fraction from the near
 *   side, and each re-peg steps toward the far side (repegStep); in "fraction" and "ticks" modes
 *   the last re-peg is the marketable price, so an inside ladder still ends where the seed's does.
 * The progressive and passive baselines are members: an inside entry of 0.5 (or 0) in every
 * class with the listed fractions [0.75, 0.95] (or [0.5, 0.75, 0.95]), 10 s timeouts, no guard,
 * no open wait, and a market fallback after 30 s (test/engine/strategies/family-members.test.ts).
 */

/** Fraction f0 + step x df, exactly; df null: even steps from f0 to 1 over maxRepegs re-pegs. */
function steppedFraction(f0: Fraction, df: number | null, step: number, maxRepegs: number): Fraction {
  if (step === 0) return f0;
  if (df === null) {
    // f0 + step x (1 - f0) / maxRepegs = (f0.num x R + step x (den - num)) / (den x R)
    const r = BigInt(maxRepegs);
    return { num: f0.num * r + BigInt(step) * (f0.den - f0.num), den: f0.den * r };
  }
  const d = decimalRatio(df);
  const num = f0.num * d.den + BigInt(step) * d.num * f0.den;
  const den = f0.den * d.den;
  return num > den ? { num: 1n, den: 1n } : { num, den };
}

/** A limit no further toward the far side than `cap`. */
function notPast(side: Side, price: Price, cap: Price): Price {
  return side === 'buy' ? Math.min(price, cap) : Math.max(price, cap);
}

/** The limit of schedule step `step` (0: the first child; k: re-peg k) from a valid quote, before the guard. */
export function ladderLimit(p: LadderParams, side: Side, quote: Quote, step: number): Price {
  const marketable = aggressiveLimit(side, quote, p.aggressionTicks + step * p.escalationTicksPerRepeg);
  const entry = p.entry[classifySpread(quote, p.spread)];
  if (entry === 'marketable') return marketable;
  const f0 = decimalRatio(entry);
  const rule = p.repegStep;
  if (rule.mode === 'list') {
    if (step === 0) return limitAtExactFraction(side, quote, f0);
    const listed = rule.fractions[step - 1];
    // The schema lists one fraction per re-peg; a step past them has no inside price left.
    return listed === undefined ? marketable : limitAtExactFraction(side, quote, decimalRatio(listed));
  }
  if (step > 0 && step >= p.maxRepegs) return marketable;
  if (rule.mode === 'ticks') return notPast(side, towardFarSide(side, limitAtExactFraction(side, quote, f0), step * rule.ticks), marketable);
  return notPast(side, limitAtExactFraction(side, quote, steppedFraction(f0, rule.fraction, step, p.maxRepegs)), marketable);
}

/**
 * How long schedule step `step`, sent at `submittedAt` and priced from `quote`, may work: the
 * window's timeout (openMs before windows.normalEnd, normalMs after) unless the quote's spread
 * class sets its own (the class of the step's own quote, as for its price).
 */
export function ladderTimeoutMs(p: LadderParams, submittedAt: EpochMs, windows: ResolvedWindows, quote: Quote | null): number {
  const open = submittedAt < windows.normalEnd;
  const byWindow = open ? p.timeouts.openMs : p.timeouts.normalMs;
  // A class needs a two-sided, uncrossed quote (a replace can be confirmed on any quote).
  if (quote === null || !(quote.bid > 0 && quote.ask > quote.bid)) return byWindow;
  const own: SpreadClass = classifySpread(quote, p.spread);
  const byClass = open ? p.timeouts[own].openMs : p.timeouts[own].normalMs;
  return byClass ?? byWindow;
}

/**
 * The schedule as the policy calls it. A ladder with no inside entry and no class timeout (the
 * seed's, and every ladder of older files) never needs the spread class, so it skips classifying
 * each step's quote: a sweep runs these millions of times.
 */
export function ladderSchedule(p: LadderParams): {
  limitPrice: (side: Side, quote: Quote, step: number) => Price;
  timeoutMs: (submittedAt: EpochMs, windows: ResolvedWindows, quote: Quote | null) => number;
} {
  const classes = ['tight', 'normal', 'wide'] as const;
  const byClassPrice = classes.some((c) => p.entry[c] !== 'marketable');
  const byClassTimeout = classes.some((c) => p.timeouts[c].openMs !== null || p.timeouts[c].normalMs !== null);
  return {
    limitPrice: byClassPrice
      ? (side, quote, step) => ladderLimit(p, side, quote, step)
      : (side, quote, step) => aggressiveLimit(side, quote, p.aggressionTicks + step * p.escalationTicksPerRepeg),
    timeoutMs: byClassTimeout
      ? (submittedAt, windows, quote) => ladderTimeoutMs(p, submittedAt, windows, quote)
      : (submittedAt, windows) => (submittedAt < windows.normalEnd ? p.timeouts.openMs : p.timeouts.normalMs),
  };
}
