/**
 * Fits the opening-spread shape of the synthetic generator (open-dynamics.ts) to measured window
 * medians. The generator's target spread, in ticks, t seconds after 09:30 is
 *
 *   base * (1 + (peak - 1) * excess(t)),  excess = 1 until the opening quote settles (t < delay),
 *                                          then exp(-(t - delay) / decay),
 *
 * times a mean-one lognormal noise, rounded to whole ticks (at least 1). This file inverts that:
 * given base and the time-weighted median spread of a few windows after 09:30, it searches peak,
 * decay and (when no tape tells when the opening quote came) the delay.
 *
 * The median of a window is predicted without simulation. For one delay, excess(t) is monotone, so
 * the time-weighted median of the target over [a, b) is the level x at which the time spent above
 * x is half the window; with several delays (the generator draws one per day) the time fractions
 * are averaged. Rounding a noisy value whose median is v gives a median of round(v), so the fit
 * compares max(1, round(prediction)) with the observation, and breaks ties on the unrounded error.
 */

export interface SpreadWindowObservation {
  /** Window start and end, seconds after 09:30. */
  readonly fromS: number;
  readonly toS: number;
  /** Time-weighted median spread in ticks. */
  readonly medianTicks: number;
}

export interface SpreadShapeFit {
  readonly peak: number;
  readonly decaySeconds: number;
  /** The [min, max] delay used: the one given, or the fitted one. */
  readonly delaySeconds: readonly [number, number];
  /** Predicted median (ticks, unrounded) per observation, in order. */
  readonly predicted: number[];
}

const PEAK_MAX = 40;
const DECAY_MIN_S = 5;
const DECAY_MAX_S = 3600;
// Delay centres tried when no tape flags its opening quote; the range used is centre * [0.5, 1.5],
// because one number fitted from a few medians says nothing about day-to-day spread around it.
const DELAY_CENTRES_S = [0, 1, 2, 4, 7, 10, 15, 20, 30, 45, 60, 90, 120];
const DELAY_POINTS = 7;
// The unrounded error only breaks ties among equally good rounded fits.
const TIE_BREAK_WEIGHT = 0.01;
// A mild prior against tall, brief spikes: a first-minute median of 3 ticks is met as well by a
// 37-tick spike lasting seconds as by a 9-tick peak decaying over tens of seconds, and the tapes
// (and DESIGN.md's "decaying over about 90 s") favour the latter.
const PEAK_PRIOR_WEIGHT = 0.002;

function logGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => lo * (hi / lo) ** (k / (n - 1)));
}

const PEAKS = [1, ...logGrid(1.02, PEAK_MAX, 160)];
const DECAYS = logGrid(DECAY_MIN_S, DECAY_MAX_S, 90);

function delayPoints([d0, d1]: readonly [number, number]): number[] {
  if (d1 <= d0) return [d0];
  return Array.from({ length: DELAY_POINTS }, (_, k) => d0 + ((d1 - d0) * (k + 0.5)) / DELAY_POINTS);
}

/** Share of [a, b) during which excess > x, averaged over the delays (x in (0, 1]). */
function shareAbove(x: number, a: number, b: number, decay: number, delays: readonly number[]): number {
  const reach = decay * Math.log(1 / x); // excess > x for t < delay + reach
  let sum = 0;
  for (const d of delays) sum += Math.min(1, Math.max(0, (d + reach - a) / (b - a)));
  return sum / delays.length;
}

/**
 * The excess level x* in [0, 1] that is the time-weighted median of excess(t) over [a, b): the
 * smallest x with at most half the time above it. Independent of base and peak, which is what
 * makes the grid search cheap.
 */
export function medianExcess(a: number, b: number, decay: number, delays: readonly number[]): number {
  if (shareAbove(1, a, b, decay, delays) > 0.5) return 1; // held at the peak most of the window
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2;
    if (mid > 0 && shareAbove(mid, a, b, decay, delays) <= 0.5) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Predicted window medians (ticks, unrounded) for a shape. */
export function predictWindowMedians(
  base: number, peak: number, decay: number, delay: readonly [number, number], windows: readonly SpreadWindowObservation[],
): number[] {
  const delays = delayPoints(delay);
  return windows.map((w) => base * (1 + (peak - 1) * medianExcess(w.fromS, w.toS, decay, delays)));
}

function errorOf(base: number, peak: number, levels: readonly number[], obs: readonly SpreadWindowObservation[]): number {
  let rounded = 0;
  let smooth = 0;
  for (let w = 0; w < obs.length; w++) {
    const pred = base * (1 + (peak - 1) * levels[w]!);
    const target = Math.log(obs[w]!.medianTicks);
    rounded += (Math.log(Math.max(1, Math.round(pred))) - target) ** 2;
    smooth += (Math.log(pred) - target) ** 2;
  }
  return rounded + TIE_BREAK_WEIGHT * smooth + PEAK_PRIOR_WEIGHT * Math.log(peak) ** 2;
}

/**
 * Least-squares (in log ticks) grid fit of peak and decay, and of the delay when `knownDelay` is
 * null. Observations with a median below one tick are impossible for the model and are floored.
 * With no observation, or none above the base, the result is "no widening" (peak 1).
 */
export function fitSpreadShape(
  base: number, observations: readonly SpreadWindowObservation[], knownDelay: readonly [number, number] | null,
  fallbackDelay: readonly [number, number],
): SpreadShapeFit {
  const obs = observations.map((o) => ({ ...o, medianTicks: Math.max(1, o.medianTicks) }));
  const delays: Array<readonly [number, number]> = knownDelay !== null
    ? [knownDelay]
    : DELAY_CENTRES_S.map((c) => [0.5 * c, 1.5 * c] as const);
  let best = { err: Number.POSITIVE_INFINITY, peak: 1, decay: DECAYS[0]!, delay: delays[0]! };
  for (const delay of delays) {
    const points = delayPoints(delay);
    for (const decay of DECAYS) {
      const levels = obs.map((w) => medianExcess(w.fromS, w.toS, decay, points));
      for (const peak of PEAKS) {
        const err = errorOf(base, peak, levels, obs);
        if (err < best.err - 1e-12) best = { err, peak, decay, delay };
      }
    }
  }
  // Without widening the decay and delay are unidentified: report neutral values, not grid edges.
  const flat = best.peak === 1;
  const decay = flat ? 60 : best.decay;
  const delay = flat ? (knownDelay ?? fallbackDelay) : best.delay;
  return { peak: best.peak, decaySeconds: decay, delaySeconds: delay, predicted: predictWindowMedians(base, best.peak, decay, delay, obs) };
}
