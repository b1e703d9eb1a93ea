import type { OpenProfile } from './open-profile.js';
import type { SyntheticRng } from '../rng.js';

/**
 * The deterministic shape of one synthetic day around the open: how spread, activity, volatility
 * and displayed size move with time. Randomness enters only through the per-day draws in
 * `OpenDay` and the per-event draws the callers make.
 */
export interface OpenDay {
  readonly fromMs: number;
  readonly toMs: number;
  /** 09:30:00 ET. */
  readonly openMs: number;
  /** When the opening quote has settled and the spread starts to decay (drawn per day). */
  readonly settledMs: number;
  /** Pre-market spread as a multiple of the base spread (drawn per day). */
  readonly preMarketSpreadMultiple: number;
  /** Log-return of the mid at 09:30 (drawn per day). */
  readonly openGap: number;
}

/** A profile with its optional fields filled in. */
export type ResolvedProfile = Required<OpenProfile>;

export function resolveProfile(p: OpenProfile): ResolvedProfile {
  return {
    ...p,
    preMarketSpreadMultiplier: p.preMarketSpreadMultiplier ?? [3, 6],
    quotesPerSecondPreMarket: p.quotesPerSecondPreMarket ?? p.quotesPerSecondMidday / 2,
    tradesPerSecondPreMarket: p.tradesPerSecondPreMarket ?? p.tradesPerSecondMidday / 4,
    openActivityDecaySeconds: p.openActivityDecaySeconds ?? 300,
  };
}

/**
 * Draws the per-day parameters; always in the same order so a seed fixes them. `gapOverride` (a
 * log-return) replaces the drawn gap, yet the draw is still made so the rest of the day is the
 * seed's own.
 */
export function drawOpenDay(
  p: ResolvedProfile, rng: SyntheticRng, fromMs: number, toMs: number, openMs: number, gapOverride?: number,
): OpenDay {
  const [d0, d1] = p.primaryOpenDelaySeconds;
  const [m0, m1] = p.preMarketSpreadMultiplier;
  const settledMs = openMs + 1000 * rng.between(d0, d1);
  const preMarketSpreadMultiple = rng.between(m0, m1);
  const drawnGap = p.openGapSigma * rng.normal();
  const openGap = gapOverride ?? drawnGap;
  return { fromMs, toMs, openMs, settledMs, preMarketSpreadMultiple, openGap };
}

/** 1 at the open decaying to 0: the open's extra quote/trade activity and volatility. */
export function openActivity(p: ResolvedProfile, day: OpenDay, t: number): number {
  if (t < day.openMs) return 0;
  return Math.exp(-(t - day.openMs) / (1000 * p.openActivityDecaySeconds));
}

/** Fraction of the opening spread excess still present: 1 until the quote settles, then e-folding. */
export function spreadExcess(p: ResolvedProfile, day: OpenDay, t: number): number {
  if (t < day.openMs) return 0;
  if (t < day.settledMs) return 1;
  return Math.exp(-(t - day.settledMs) / (1000 * p.openSpreadDecaySeconds));
}

/** Expected spread in ticks before noise and rounding. */
export function spreadTicksTarget(p: ResolvedProfile, day: OpenDay, t: number): number {
  if (t < day.openMs) return p.baseSpreadTicks * day.preMarketSpreadMultiple;
  return p.baseSpreadTicks * (1 + (p.openSpreadPeak - 1) * spreadExcess(p, day, t));
}

export function quoteRate(p: ResolvedProfile, day: OpenDay, t: number): number {
  if (t < day.openMs) return p.quotesPerSecondPreMarket;
  const a = openActivity(p, day, t);
  return p.quotesPerSecondMidday + (p.quotesPerSecondOpen - p.quotesPerSecondMidday) * a;
}

export function tradeRate(p: ResolvedProfile, day: OpenDay, t: number): number {
  if (t < day.openMs) return p.tradesPerSecondPreMarket;
  const a = openActivity(p, day, t);
  return p.tradesPerSecondMidday + (p.tradesPerSecondOpen - p.tradesPerSecondMidday) * a;
}

// Pre-market prices move on thin news-driven flow; after the cross, realised volatility in the
// first minutes runs at several times the midday level (the U-shape of intraday volatility).
const PRE_MARKET_VOL_MULTIPLE = 0.5;
const OPEN_VOL_EXTRA = 2;

export function volatilityMultiple(p: ResolvedProfile, day: OpenDay, t: number): number {
  if (t < day.openMs) return PRE_MARKET_VOL_MULTIPLE;
  return 1 + OPEN_VOL_EXTRA * openActivity(p, day, t);
}

// Market makers show less size while the book is being rebuilt, and pre-market books are thin.
const PRE_MARKET_SIZE_MULTIPLE = 0.3;
const OPEN_SIZE_CUT = 0.7;

export function sizeMultiple(p: ResolvedProfile, day: OpenDay, t: number): number {
  if (t < day.openMs) return PRE_MARKET_SIZE_MULTIPLE;
  return 1 - OPEN_SIZE_CUT * spreadExcess(p, day, t);
}

/**
 * Next arrival time (ms) of a Poisson process whose rate is read at `t`. Rates change over tens of
 * seconds while arrivals come every fraction of a second, so holding the rate over one gap is a
 * fine approximation, except across 09:30 where it jumps: a gap that would cross the open is cut
 * there and redrawn (exact, by memorylessness), so the open's burst starts on time.
 * Returns `day.openMs` itself only as a restart point; callers must not emit an event for it.
 */
export function nextArrival(t: number, rate: number, rng: SyntheticRng, day: OpenDay): { t: number; restart: boolean } {
  if (rate <= 0) {
    return t < day.openMs ? { t: day.openMs, restart: true } : { t: Number.POSITIVE_INFINITY, restart: false };
  }
  const next = t + (1000 * rng.exponential()) / rate;
  if (t < day.openMs && next >= day.openMs) return { t: day.openMs, restart: true };
  return { t: next, restart: false };
}
