import { REGULAR_SESSION_SECONDS, SIZE_SIGMA } from '../../sim/synthetic/generate-open.js';
import { TRADE_SIZE_SIGMA } from '../../sim/synthetic/synthetic-trades.js';
import { etClockToEpoch, parseClock } from '../../engine/et-time.js';
import { PRICE_SCALE } from '../../engine/units.js';
import { fitActivity, type RateWindow } from '../profile/fit-activity.js';
import { fitSpreadShape, type SpreadWindowObservation } from '../profile/fit-open-spread.js';
import { OPEN_WINDOW_CLOCKS, openWindows, sessionCloseMs } from '../profile/open-windows.js';
import {
  addDisplayedSizes, addSpreadTicks, addTradeSizes, countActivity, firstValidMidFrom, lastValidMidBefore, median,
  minuteLogReturns, validMidAt,
} from '../profile/tape-stats.js';
import { WeightedSampleBuilder } from '../profile/time-weighted-quantile.js';
import { TapeFormatError } from '../../sim/tape/tape-error.js';
import type { Tape } from '../../sim/tape/tape.js';
import { resolveProfile, volatilityMultiple, type OpenDay } from '../../sim/synthetic/open-dynamics.js';
import { validateProfile, type OpenProfile } from '../../sim/synthetic/open-profile.js';

/** A fitted profile and what the fit had to assume (printed by `synth calibrate`). */
export interface Calibration {
  readonly profile: OpenProfile;
  readonly notes: string[];
}

// The generator's own constants, so the fit inverts exactly its model: displayed and print sizes
// are mean-one lognormal multiples of typicalSize / tradeSize, so their medians sit at
// exp(-sigma^2 / 2) of those; the per-second volatility is daily / sqrt(regular-session seconds).
// When no tape flags its opening quote and the spread shows no widening to time it by: NYSE and
// Nasdaq opening quotes usually settle within seconds, now and then after a minute or more.
const DEFAULT_DELAY_S: readonly [number, number] = [1, 20];
const DEFAULT_TRADE_SIZE = 100;
// Activity windows (seconds after 09:30): finer than the reporting windows, so the decay is seen.
const ACTIVITY_BOUNDS_S = [0, 60, 120, 300, 600, 1200, 1800];
const SHAPE_WINDOWS = [...OPEN_WINDOW_CLOCKS.slice(0, 4), ['10:00:00', '10:30:00'] as const];
const OPEN_MS_OF_DAY = parseClock('09:30:00');

const sig = (x: number, digits = 4): number => (x === 0 ? 0 : Number(x.toPrecision(digits)));
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

interface Day {
  readonly tape: Tape;
  readonly open: number;
  readonly close: number;
  readonly at: (clock: string) => number;
}

function dayOf(tape: Tape): Day {
  return { tape, open: etClockToEpoch(tape.date, '09:30:00'), close: sessionCloseMs(tape.date), at: (c) => etClockToEpoch(tape.date, c) };
}

/** [10:00, close), or the latest reporting window this tape has valid quote time in. */
function baseWindow(d: Day): [number, number] | null {
  for (const w of openWindows(d.tape.date).reverse()) {
    const probe = new WeightedSampleBuilder();
    addSpreadTicks(d.tape, w.fromMs, w.toMs, probe);
    if (probe.length > 0) return [w.fromMs, w.toMs];
  }
  return null;
}

function pooledMedian(days: readonly Day[], add: (d: Day, into: WeightedSampleBuilder) => void): number | null {
  const sample = new WeightedSampleBuilder();
  for (const d of days) add(d, sample);
  return median(sample);
}

/**
 * Pooled median spread (ticks) of the four opening windows and of [10:00, 10:30), the rest of the
 * span generateOpen draws by default: the tail of the decay shows there, while [10:00, close) as a
 * whole mostly measures the base.
 */
function spreadObservations(days: readonly Day[]): SpreadWindowObservation[] {
  const out: SpreadWindowObservation[] = [];
  SHAPE_WINDOWS.forEach(([from, to]) => {
    const ticks = pooledMedian(days, (d, s) => addSpreadTicks(d.tape, d.at(from), Math.min(d.at(to), d.close), s));
    const fromS = (parseClock(from) - OPEN_MS_OF_DAY) / 1000;
    const toS = (parseClock(to) - OPEN_MS_OF_DAY) / 1000;
    if (ticks !== null) out.push({ fromS, toS, medianTicks: ticks });
  });
  return out;
}

function activityWindows(days: readonly Day[]): { quotes: RateWindow[]; trades: RateWindow[] | null } {
  const quotes: RateWindow[] = [];
  const trades: RateWindow[] = [];
  ACTIVITY_BOUNDS_S.forEach((fromS, k) => {
    let q = 0, qs = 0, t = 0, ts = 0, toS = fromS;
    for (const d of days) {
      const end = k + 1 < ACTIVITY_BOUNDS_S.length ? d.open + 1000 * ACTIVITY_BOUNDS_S[k + 1]! : d.close;
      toS = Math.max(toS, (end - d.open) / 1000);
      const c = countActivity(d.tape, d.open + 1000 * fromS, end);
      q += c.quotes; qs += c.seconds;
      if (c.trades !== null) { t += c.trades; ts += c.seconds; }
    }
    if (qs > 0 && toS > fromS) quotes.push({ fromS, toS, rate: q / qs });
    if (ts > 0 && toS > fromS) trades.push({ fromS, toS, rate: t / ts });
  });
  return { quotes, trades: trades.length > 0 ? trades : null };
}

// Only the shape of the generator's volatility multiple matters to the volatility fit; this stub
// carries the fields it reads (the activity decay is set per fit).
const STUB: OpenProfile = {
  name: 'stub', description: '', price: 1, dailyVolatility: 0.01, baseSpreadTicks: 1, openSpreadPeak: 1, openSpreadDecaySeconds: 1,
  quotesPerSecondOpen: 1, quotesPerSecondMidday: 1, tradesPerSecondOpen: 0, tradesPerSecondMidday: 0, typicalSize: 1, tradeSize: 1,
  openGapSigma: 0, primaryOpenDelaySeconds: [0, 0],
};

/**
 * Daily volatility that makes the model's expected squared 1-minute returns match the tapes': the
 * generator scales per-second volatility by volatilityMultiple (larger after the open), so each
 * minute's expected variance is daily^2 * (integral of multiple^2 over the minute) / session.
 */
function dailyVolatility(days: readonly Day[], activityDecaySeconds: number): number | null {
  const p = resolveProfile({ ...STUB, openActivityDecaySeconds: activityDecaySeconds });
  let sumSq = 0;
  let expected = 0;
  for (const d of days) {
    const day: OpenDay = { fromMs: d.open, toMs: d.close, openMs: d.open, settledMs: d.open, preMarketSpreadMultiple: 1, openGap: 0 };
    for (const { start, r } of minuteLogReturns(d.tape, d.open, d.close)) {
      sumSq += r * r;
      let integral = 0;
      for (let k = 0; k < 12; k++) integral += 5 * volatilityMultiple(p, day, start + 5000 * (k + 0.5)) ** 2;
      expected += integral / REGULAR_SESSION_SECONDS;
    }
  }
  return expected > 0 ? Math.sqrt(sumSq / expected) : null;
}

function geometricMean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

function describeTapes(days: readonly Day[]): string {
  const names = days.map((d) => `${d.tape.symbol} ${d.tape.date}`);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * Fits every OpenProfile field from real tapes by inverting the generator's model (see
 * docs/PROFILES.md for each estimator). Several tapes are pooled: counts and time-weighted samples
 * are added before dividing. Throws TapeFormatError when no tape has a valid regular-session quote.
 */
export function calibrateOpen(tapes: readonly Tape[], name: string): Calibration {
  if (tapes.length === 0) throw new RangeError('calibration needs at least one tape');
  const notes: string[] = [];
  const days = tapes.map(dayOf);
  const sources = tapes.map((t) => t.source).join(', ');

  const baseTicks = pooledMedian(days, (d, s) => {
    const w = baseWindow(d);
    if (w !== null) addSpreadTicks(d.tape, w[0], w[1], s);
  });
  if (baseTicks === null) throw new TapeFormatError(sources, null, 'no valid quote in the regular session: nothing to calibrate from');
  const base = clamp(baseTicks, 1, 1000);

  const flagged = days.filter((d) => d.tape.openingQuoteTime != null).map((d) => clamp((d.tape.openingQuoteTime! - d.open) / 1000, 0, 3600));
  const knownDelay = flagged.length > 0 ? ([Math.min(...flagged), Math.max(...flagged)] as const) : null;
  if (knownDelay === null) notes.push('no opening-quote flag in the tapes: the primary open delay is fitted from the spread shape');
  const shape = fitSpreadShape(base, spreadObservations(days), knownDelay, DEFAULT_DELAY_S);

  const rates = activityWindows(days);
  const activity = fitActivity(rates.quotes.length > 0 ? rates.quotes : [{ fromS: 0, toS: 60, rate: 1 }], rates.trades);
  if (rates.trades === null) notes.push('no trade ticks in the tapes: trade rates are 0 and the trade size a default');

  const vol = dailyVolatility(days, activity.decaySeconds);
  if (vol === null) notes.push('no whole regular-session minute with valid quotes: daily volatility defaults to 2%');

  const prices = days
    .map((d) => validMidAt(d.tape, d.at('09:00:00')) ?? firstValidMidFrom(d.tape, d.at('09:00:00')) ?? firstValidMidFrom(d.tape, 0))
    .filter((m): m is number => m !== null);

  const displayed = pooledMedian(days, (d, s) => {
    const w = baseWindow(d);
    if (w !== null) addDisplayedSizes(d.tape, w[0], w[1], s);
  });
  const prints = pooledMedian(days, (d, s) => addTradeSizes(d.tape, d.open, d.close, s));

  const gaps = days.flatMap((d) => {
    const before = lastValidMidBefore(d.tape, d.open);
    const after = firstValidMidFrom(d.tape, d.tape.openingQuoteTime ?? d.open, d.close);
    return before !== null && after !== null ? [Math.log(after / before)] : [];
  });
  if (gaps.length === 0) notes.push('no pre-market quotes: no opening gap (openGapSigma 0)');

  const preDays = days.filter((d) => countActivity(d.tape, d.at('09:00:00'), d.open).seconds > 0);
  const preRatios = preDays.flatMap((d) => {
    const s = new WeightedSampleBuilder();
    addSpreadTicks(d.tape, d.at('09:00:00'), d.open, s);
    const m = median(s);
    return m === null ? [] : [clamp(m / base, 1, 100)];
  });
  const pre = preDays.map((d) => countActivity(d.tape, d.at('09:00:00'), d.open));
  const preSeconds = pre.reduce((s, c) => s + c.seconds, 0);
  const preTrades = pre.filter((c) => c.trades !== null);

  const profile: OpenProfile = {
    name,
    description: `calibrated on ${tapes.length} tape(s): ${describeTapes(days)}`,
    price: sig(clamp(prices.length > 0 ? geometricMean(prices) / PRICE_SCALE : 1, 1e-4, 100_000), 6),
    dailyVolatility: sig(clamp(vol ?? 0.02, 1e-4, 1)),
    baseSpreadTicks: sig(base),
    openSpreadPeak: sig(clamp(shape.peak, 1, 100)),
    openSpreadDecaySeconds: sig(shape.decaySeconds),
    quotesPerSecondOpen: sig(clamp(activity.quotes.open, 1e-3, 1000)),
    quotesPerSecondMidday: sig(clamp(activity.quotes.midday, 1e-3, 1000)),
    tradesPerSecondOpen: sig(clamp(activity.trades?.open ?? 0, 0, 1000)),
    tradesPerSecondMidday: sig(clamp(activity.trades?.midday ?? 0, 0, 1000)),
    typicalSize: sig(clamp((displayed ?? 100) / Math.exp(-(SIZE_SIGMA ** 2) / 2), 1, 1e8)),
    tradeSize: sig(clamp((prints ?? DEFAULT_TRADE_SIZE) / Math.exp(-(TRADE_SIZE_SIGMA ** 2) / 2), 1, 1e8)),
    openGapSigma: sig(clamp(Math.sqrt(gaps.reduce((s, g) => s + g * g, 0) / Math.max(1, gaps.length)), 0, 0.5)),
    primaryOpenDelaySeconds: [sig(shape.delaySeconds[0]), sig(shape.delaySeconds[1])],
    openActivityDecaySeconds: sig(activity.decaySeconds),
    ...(preRatios.length > 0 ? { preMarketSpreadMultiplier: [sig(Math.min(...preRatios)), sig(Math.max(...preRatios))] as const } : {}),
    ...(preSeconds > 0 ? { quotesPerSecondPreMarket: sig(clamp(pre.reduce((s, c) => s + c.quotes, 0) / preSeconds, 1e-3, 1000)) } : {}),
    ...(preTrades.length > 0
      ? { tradesPerSecondPreMarket: sig(clamp(preTrades.reduce((s, c) => s + c.trades!, 0) / preTrades.reduce((s, c) => s + c.seconds, 0), 0, 1000)) }
      : {}),
  };
  return { profile: validateProfile(profile), notes };
}

/** The fitted profile alone; see calibrateOpen. */
export function calibrateProfile(tapes: readonly Tape[], name: string): OpenProfile {
  return calibrateOpen(tapes, name).profile;
}
