import { etClockToEpoch } from '../../engine/et-time.js';
import { CENT, PRICE_SCALE } from '../../engine/units.js';
import type { QuoteColumns, Tape } from '../../sim/tape/tape.js';
import { lastIndexAtOrBefore } from '../../sim/tape/tape.js';
import { openWindows, type OpenWindow } from './open-windows.js';
import { countInRange, coveredRange, forEachValidInterval, isValidQuoteAt } from './quote-intervals.js';
import { WeightedSampleBuilder, weightedQuantiles } from './time-weighted-quantile.js';

export interface WindowMeasurement {
  /** ET 'HH:MM:SS', inclusive. */
  readonly start: string;
  /** ET 'HH:MM:SS', exclusive (13:00:00 for the last window of a half day). */
  readonly end: string;
  /** Time-weighted median / 90th percentile spread in cents; null without valid quote time. */
  readonly spreadCentsMedian: number | null;
  readonly spreadCentsP90: number | null;
  /** The same in basis points of each quote's own mid. */
  readonly spreadBpsMedian: number | null;
  readonly spreadBpsP90: number | null;
  /** Snapshots stamped in the window per minute of it the tape covers; null when none is covered. */
  readonly quotesPerMinute: number | null;
}

export interface OpenMeasurement {
  readonly symbol: string;
  /** YYYY-MM-DD (America/New_York). */
  readonly date: string;
  readonly source: string;
  readonly windows: WindowMeasurement[];
  /** Mid of the quote in force at 10:00:00.000 ET in dollars; null if invalid or the tape ends earlier. */
  readonly midAt1000: number | null;
}

const MS_PER_MINUTE = 60_000;

function measureWindow(q: QuoteColumns, w: OpenWindow): WindowMeasurement {
  const cents = new WeightedSampleBuilder();
  const bps = new WeightedSampleBuilder();
  forEachValidInterval(q, w.fromMs, w.toMs, (i, ms) => {
    const bid = q.bid[i]!;
    const ask = q.ask[i]!;
    cents.push((ask - bid) / CENT, ms);
    bps.push(((ask - bid) / ((bid + ask) / 2)) * 10_000, ms);
  });
  const [centsMedian = null, centsP90 = null] = weightedQuantiles(cents, [0.5, 0.9]);
  const [bpsMedian = null, bpsP90 = null] = weightedQuantiles(bps, [0.5, 0.9]);
  const covered = coveredRange(q, w.fromMs, w.toMs);
  const quotesPerMinute = covered === null
    ? null
    : countInRange(q.time, q.length, w.fromMs, w.toMs) / ((covered.toMs - covered.fromMs) / MS_PER_MINUTE);
  return {
    start: w.start,
    end: w.end,
    spreadCentsMedian: centsMedian,
    spreadCentsP90: centsP90,
    spreadBpsMedian: bpsMedian,
    spreadBpsP90: bpsP90,
    quotesPerMinute,
  };
}

/** Mid in dollars of the quote in force at `t`, or null when it is invalid or the tape has ended. */
export function midAt(q: QuoteColumns, t: number): number | null {
  if (q.length === 0 || q.time[q.length - 1]! < t) return null;
  const i = lastIndexAtOrBefore(q.time, q.length, t);
  if (i < 0 || !isValidQuoteAt(q, i)) return null;
  return (q.bid[i]! + q.ask[i]!) / 2 / PRICE_SCALE;
}

/**
 * The measured open of one tape (the numbers `data profile` prints and calibration is checked
 * against): per window of `openWindows`, time-weighted spread quantiles and the quote rate.
 * Pure and deterministic; never throws for a well-formed tape (empty windows give nulls).
 */
export function measureOpen(tape: Tape): OpenMeasurement {
  const q = tape.quotes;
  return {
    symbol: tape.symbol,
    date: tape.date,
    source: tape.source,
    windows: openWindows(tape.date).map((w) => measureWindow(q, w)),
    midAt1000: midAt(q, etClockToEpoch(tape.date, '10:00:00')),
  };
}
