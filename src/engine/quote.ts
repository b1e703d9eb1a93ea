import type { EpochMs, Price } from './units.js';
import { CENT } from './units.js';

/** One NBBO snapshot. Sizes are in shares as displayed (not in Qty units). */
export interface Quote {
  readonly time: EpochMs;
  readonly bid: Price;
  readonly ask: Price;
  readonly bidSize: number;
  readonly askSize: number;
}

export type QuoteProblem = 'missing' | 'zero-side' | 'crossed' | 'locked' | 'stale';

/**
 * Why a quote must not be used to price an order, or null when it is usable. Locked quotes
 * (bid == ask) are refused too: they have no spread to price against and are almost always a
 * transient state inside one millisecond of the consolidated feed.
 */
export function quoteProblem(quote: Quote | null, now: EpochMs, maxAgeMs: number): QuoteProblem | null {
  if (quote === null) return 'missing';
  if (quote.bid <= 0 || quote.ask <= 0) return 'zero-side';
  if (quote.bid > quote.ask) return 'crossed';
  if (quote.bid === quote.ask) return 'locked';
  if (now - quote.time > maxAgeMs) return 'stale';
  return null;
}

/** Mid price in price units; may be a half unit. */
export function midPrice(quote: Quote): number {
  return (quote.bid + quote.ask) / 2;
}

export function spreadCents(quote: Quote): number {
  return (quote.ask - quote.bid) / CENT;
}

export function spreadBps(quote: Quote): number {
  return ((quote.ask - quote.bid) / midPrice(quote)) * 10_000;
}

