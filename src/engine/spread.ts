import type { Quote } from './quote.js';
import { spreadBps, spreadCents } from './quote.js';

export type SpreadClass = 'tight' | 'normal' | 'wide';

/**
 * Thresholds in cents and in basis points of the mid. A spread is tight at or below the tight
 * threshold and wide strictly above the wide one.
 */
export interface SpreadThresholds {
  readonly tightCents: number;
  readonly wideCents: number;
  readonly tightBps: number;
  readonly wideBps: number;
}

const SEVERITY: Record<SpreadClass, number> = { tight: 0, normal: 1, wide: 2 };

function classify(value: number, tight: number, wide: number): SpreadClass {
  if (value <= tight) return 'tight';
  if (value > wide) return 'wide';
  return 'normal';
}

/**
 * Classifies a valid quote's spread by cents and by bps and keeps the milder of the two.
 * Either measure alone misjudges one end of the price range: 16 cents is 9 bps on a $180 stock
 * (fine) but 114 bps on a $14 one (wide), while a one-tick spread on a $5 ETF is 20 bps although
 * it cannot get any tighter. Taking the milder class lets cents speak for cheap names pinned at
 * one tick and bps speak for expensive ones.
 */
export function classifySpread(quote: Quote, t: SpreadThresholds): SpreadClass {
  const byCents = classify(spreadCents(quote), t.tightCents, t.wideCents);
  const byBps = classify(spreadBps(quote), t.tightBps, t.wideBps);
  return SEVERITY[byCents] <= SEVERITY[byBps] ? byCents : byBps;
}
