import type { OpenProfile } from './open-profile.js';

/**
 * Built-in profiles of the leveraged ETFs the product is for. No leveraged-ETF tapes are available
 * (../shared/data/quotes/SOURCE.md), so every number is an order of magnitude from public, general
 * knowledge of the instrument, not a fit; docs/PROFILES.md justifies each one. Calibrate your own
 * with `better-orders synth calibrate` once you have recorded opens.
 */

/** A TQQQ-like 3x Nasdaq-100 ETF. */
export const TQQQ_LIKE: OpenProfile = {
  name: 'tqqq-like',
  description: 'TQQQ-like 3x Nasdaq-100 ETF: ~$60, penny-wide midday, several cents pre-market, ~4x spread in the first minute',
  price: 60,
  // Nasdaq-100 moves ~1.3 % a day; three times that.
  dailyVolatility: 0.04,
  // One of the most traded ETFs: midday the NBBO is pinned at one cent.
  baseSpreadTicks: 1,
  // First-minute spreads of 3-5 cents are typical while market makers re-price after the cross.
  openSpreadPeak: 4,
  // Most of the excess is gone within two or three minutes.
  openSpreadDecaySeconds: 90,
  // Real TQQQ updates the NBBO far more often; tens per second keeps tapes small yet keeps
  // quotes fresher than any re-peg timeout (~2 s) the ladder uses.
  quotesPerSecondOpen: 30,
  quotesPerSecondMidday: 3,
  tradesPerSecondOpen: 10,
  tradesPerSecondMidday: 2,
  // A few thousand shares shown at the touch midday; thinner while the book rebuilds at the open.
  typicalSize: 2000,
  // Mostly odd lots and single round lots.
  tradeSize: 150,
  // Pre-market already absorbs most of the overnight move; what is left at the cross is a few
  // tenths of a percent for a 3x product.
  openGapSigma: 0.004,
  // Nasdaq-listed: the opening cross prints at 09:30:00 and the NBBO settles within seconds.
  primaryOpenDelaySeconds: [0.5, 10],
  // Pre-market books are thin: 3-6 cents wide.
  preMarketSpreadMultiplier: [3, 6],
  quotesPerSecondPreMarket: 1.5,
  tradesPerSecondPreMarket: 0.3,
  openActivityDecaySeconds: 300,
};

/** A SOXL-like 3x semiconductor ETF: cheaper, more volatile, slower to settle than TQQQ. */
export const SOXL_LIKE: OpenProfile = {
  name: 'soxl-like',
  description: 'SOXL-like 3x semiconductor ETF: ~$30, penny-wide midday, ~5x spread at the open decaying over ~2 min',
  price: 30,
  // The semiconductor index moves ~2 % a day; three times that.
  dailyVolatility: 0.06,
  // Liquid enough to trade a penny wide midday (about 3 bps at $30).
  baseSpreadTicks: 1,
  // Semis gap harder and the book is thinner, so the opening spread is relatively wider.
  openSpreadPeak: 5,
  openSpreadDecaySeconds: 120,
  quotesPerSecondOpen: 25,
  quotesPerSecondMidday: 2.5,
  tradesPerSecondOpen: 8,
  tradesPerSecondMidday: 1.5,
  // Half the price, so more shares per displayed dollar than TQQQ.
  typicalSize: 3000,
  tradeSize: 200,
  openGapSigma: 0.006,
  // NYSE Arca-listed: the auction is at 09:30 but the quote can take longer to settle.
  primaryOpenDelaySeconds: [1, 20],
  preMarketSpreadMultiplier: [3, 8],
  quotesPerSecondPreMarket: 1,
  tradesPerSecondPreMarket: 0.2,
  openActivityDecaySeconds: 300,
};

/** A UVXY-like 1.5x short-term VIX futures ETF: volatile, gappy, penny-wide once settled. */
export const UVXY_LIKE: OpenProfile = {
  name: 'uvxy-like',
  description: 'UVXY-like 1.5x VIX short-term futures ETF: ~$25 after its periodic reverse splits, penny-wide midday, ~4x spread at the open',
  // Reverse splits keep bringing it back to tens of dollars.
  price: 25,
  // Short-term VIX futures move ~4-5 % a day (70-80 % a year); 1.5 times that.
  dailyVolatility: 0.065,
  // Tens of millions of shares a day: one cent (~4 bps) midday.
  baseSpreadTicks: 1,
  // Market makers hedge in VIX futures whose own open is noisy; the first minute quotes several cents wide.
  openSpreadPeak: 4,
  openSpreadDecaySeconds: 120,
  quotesPerSecondOpen: 20,
  quotesPerSecondMidday: 2,
  tradesPerSecondOpen: 6,
  tradesPerSecondMidday: 1,
  typicalSize: 3000,
  tradeSize: 200,
  // VIX futures trade overnight, yet fear products still jump at the cash open as equities reprice.
  openGapSigma: 0.008,
  primaryOpenDelaySeconds: [1, 20],
  preMarketSpreadMultiplier: [3, 8],
  quotesPerSecondPreMarket: 1,
  tradesPerSecondPreMarket: 0.2,
  openActivityDecaySeconds: 300,
};

/** A $5 leveraged ETF (a 3x fund that has decayed to a few dollars): pinned at one tick midday. */
export const LEV5_LIKE: OpenProfile = {
  name: 'lev5-like',
  description: '$5 3x leveraged ETF: one cent is 20 bps, so the spread sits at one tick midday and opens 3-4 ticks wide',
  price: 5,
  // A 3x sector fund: ~1.7 % a day underlying, three times that.
  dailyVolatility: 0.05,
  // At $5 a cent is 20 bps, far more than market makers need: the queue, not the price, competes.
  baseSpreadTicks: 1,
  // Only whole cents are possible, so the widening shows as 3-4 ticks in the first minute.
  openSpreadPeak: 4,
  openSpreadDecaySeconds: 90,
  // A pinned spread changes price rarely, so fewer NBBO updates than the dearer funds.
  quotesPerSecondOpen: 15,
  quotesPerSecondMidday: 1.5,
  tradesPerSecondOpen: 6,
  tradesPerSecondMidday: 1.5,
  // Cheap shares and a one-tick spread build deep queues at the touch.
  typicalSize: 20_000,
  tradeSize: 500,
  openGapSigma: 0.006,
  primaryOpenDelaySeconds: [1, 15],
  // Pre-market is a few cents wide, i.e. 2-5 ticks.
  preMarketSpreadMultiplier: [2, 5],
  quotesPerSecondPreMarket: 0.8,
  tradesPerSecondPreMarket: 0.2,
  openActivityDecaySeconds: 300,
};

export const builtinProfiles: Record<string, OpenProfile> = {
  [TQQQ_LIKE.name]: TQQQ_LIKE,
  [SOXL_LIKE.name]: SOXL_LIKE,
  [UVXY_LIKE.name]: UVXY_LIKE,
  [LEV5_LIKE.name]: LEV5_LIKE,
};

/** Looks a built-in profile up by name, forgiving case and "_" for "-" ("TQQQ_LIKE" works). */
export function findBuiltinProfile(name: string): OpenProfile | undefined {
  return builtinProfiles[name.trim().toLowerCase().replace(/_/g, '-')];
}
