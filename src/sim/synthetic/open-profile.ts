/**
 * Symbol profiles for the synthetic market-open generator (DESIGN.md, "Market-open spread
 * widening"). A profile says how an instrument behaves around 09:30 ET; the generator turns it
 * and a seed into a tape. Numbers are plain dollars, seconds and shares so scenario JSON files
 * can carry profiles as written.
 */
import type { z } from 'zod';
import { profileProblem, type openProfileSchema } from './profile-schema.js';

export interface OpenProfile {
  /** Identifier, e.g. "tqqq-like"; the tape symbol is this upper-cased without a "-like" suffix. */
  readonly name: string;
  readonly description: string;
  /** Starting mid, dollars. */
  readonly price: number;
  /** Close-to-close volatility as a fraction (0.04 = 4 %); scaled to per-second by sqrt(23,400 s). */
  readonly dailyVolatility: number;
  /** Regular-session spread away from the open, in ticks. */
  readonly baseSpreadTicks: number;
  /** Spread at 09:30 as a multiple of the base spread (>= 1). */
  readonly openSpreadPeak: number;
  /** E-folding time of the excess spread once the opening quote has stabilised, seconds. */
  readonly openSpreadDecaySeconds: number;
  /** NBBO updates per second right after 09:30. */
  readonly quotesPerSecondOpen: number;
  /** NBBO updates per second once the open's activity has faded. */
  readonly quotesPerSecondMidday: number;
  readonly tradesPerSecondOpen: number;
  readonly tradesPerSecondMidday: number;
  /** Typical displayed size at each side of the NBBO, shares. */
  readonly typicalSize: number;
  /** Typical trade print size, shares. */
  readonly tradeSize: number;
  /** Std-dev of the jump in mid at 09:30 relative to the last pre-market mid, as a fraction. */
  readonly openGapSigma: number;
  /** [min, max] seconds after 09:30 during which the opening quote is still unsettled (spread held at its peak). */
  readonly primaryOpenDelaySeconds: readonly [number, number];
  /** [min, max] pre-market spread as a multiple of the base spread; one level is drawn per day. Default [3, 6]. */
  readonly preMarketSpreadMultiplier?: readonly [number, number];
  /** Pre-market NBBO updates per second. Default half the midday rate. */
  readonly quotesPerSecondPreMarket?: number;
  /** Pre-market trades per second. Default a quarter of the midday rate. */
  readonly tradesPerSecondPreMarket?: number;
  /** E-folding time of the open's extra quote/trade activity and volatility, seconds. Default 300. */
  readonly openActivityDecaySeconds?: number;
}

// Compile-time guard: what the schema accepts is an OpenProfile, so the two cannot drift apart.
const schemaAcceptsProfiles: z.output<typeof openProfileSchema> extends OpenProfile ? true : never = true;
void schemaAcceptsProfiles;

/**
 * Checks an untrusted profile (for example from a scenario or profile JSON file) against the
 * strict schema of profile-schema.ts and returns it typed (the same object). Throws an Error
 * whose one-line message names the first bad field and the value it had, or an unknown
 * (misspelled) field.
 */
export function validateProfile(value: unknown): OpenProfile {
  const problem = profileProblem(value);
  if (problem !== null) throw new Error(problem);
  return value as OpenProfile;
}
