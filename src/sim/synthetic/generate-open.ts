import { etClockToEpoch } from '../../engine/et-time.js';
import { DateTime } from 'luxon';
import { lastIndexAtOrBefore, QuoteColumnsBuilder } from '../tape/tape.js';
import type { QuoteColumns, Tape } from '../tape/tape.js';
import { addTicks, roundDownToTick, tickSize } from '../../engine/tick.js';
import { PRICE_SCALE } from '../../engine/units.js';
import type { OpenProfile } from './open-profile.js';
import { validateProfile } from './open-profile.js';
import { createRng } from '../rng.js';
import type { SyntheticRng } from '../rng.js';
import type { OpenDay, ResolvedProfile } from './open-dynamics.js';
import {
  drawOpenDay,
  nextArrival,
  quoteRate,
  resolveProfile,
  sizeMultiple,
  spreadTicksTarget,
  volatilityMultiple,
} from './open-dynamics.js';
import { generateTrades } from './synthetic-trades.js';
import type { Drift, OpenShape } from './open-shape.js';
import { NO_DRIFT, shapeDrift, shapeGapLog, shapeProfile, validateShape } from './open-shape.js';
import { applyBadQuotes, planBadQuotes } from './bad-quotes.js';

export interface GenerateOpenOptions {
  /** Start of the tape, ET wall time HH:MM:SS. Default 09:00:00. */
  readonly fromEt?: string;
  /** End of the tape (exclusive), ET wall time HH:MM:SS. Default 10:30:00. */
  readonly toEt?: string;
  /** Forces the kind of open (gap, trend, reversal, thin or bad quotes); see open-shape.ts. */
  readonly shape?: OpenShape;
}

export const REGULAR_SESSION_SECONDS = 6.5 * 3600;

// Fat tails: besides the Gaussian diffusion, the mid jumps now and then (news, sweeps), each jump
// worth about a minute of ordinary movement. Jumps take a fixed share of the variance, so
// `dailyVolatility` still means what it says.
const JUMPS_PER_SECOND = 1 / 600;
const JUMP_SIGMA_MULTIPLE = 8;
const DIFFUSION_SCALE = Math.sqrt(1 - JUMPS_PER_SECOND * JUMP_SIGMA_MULTIPLE ** 2);

// Spread noise is an AR(1) in log-spread with a few seconds' memory: real spreads flicker
// between neighbouring widths rather than jumping independently on every update.
const SPREAD_NOISE_SIGMA = 0.25;
const SPREAD_NOISE_MEMORY_MS = 2000;
// Displayed size varies by a factor of two or so from update to update.
export const SIZE_SIGMA = 0.7;

/** "tqqq-like" -> "TQQQ", "SOXL_LIKE" -> "SOXL", "foo" -> "FOO". */
export function symbolForProfile(name: string): string {
  return name.trim().replace(/[-_ ]like$/i, '').toUpperCase();
}

/**
 * A seeded synthetic tape of NBBO quotes and trade prints around the 09:30 ET open, with the
 * opening spread widening the tuner needs. All randomness comes from seedrandom keyed on
 * `${seed}:${date}:${profile.name}`, so the same arguments always give identical arrays.
 * `opts.shape` bends the day (forced gap, drift, rates, bad quotes) without re-seeding it, and
 * no shape (or `{}`) gives exactly the unshaped tape. `openingQuoteTime` is set from the drawn
 * primary-open delay. Throws an Error for an invalid profile, shape, date or window.
 */
export function generateOpen(profile: OpenProfile, date: string, seed: string | number, opts: GenerateOpenOptions = {}): Tape {
  const shape = opts.shape === undefined ? null : validateShape(opts.shape);
  const base = resolveProfile(validateProfile(profile));
  const p = shape === null ? base : shapeProfile(base, shape);
  const fromMs = etClockToEpoch(date, opts.fromEt ?? '09:00:00');
  const toMs = etClockToEpoch(date, opts.toEt ?? '10:30:00');
  if (toMs <= fromMs) throw new Error(`invalid window: toEt ${opts.toEt ?? '10:30:00'} is not after fromEt ${opts.fromEt ?? '09:00:00'}`);
  const openMs = etClockToEpoch(date, '09:30:00');

  const key = `${seed}:${date}:${profile.name}`;
  // Separate streams per stage, so tuning the trade model leaves the quotes of a seed unchanged.
  const day = drawOpenDay(p, createRng(key), fromMs, toMs, openMs, shapeGapLog(shape));
  const valid = generateQuotes(p, day, createRng(`${key}:quotes`), shapeDrift(shape, openMs));
  // Prints are priced off the valid stream: a broken feed does not make the market trade at 0.
  const trades = generateTrades(p, day, valid, createRng(`${key}:trades`));
  const bad = shape?.badQuotes;
  const quotes = bad === undefined ? valid : applyBadQuotes(valid, planBadQuotes(bad, date, fromMs, toMs, createRng(`${key}:bad`)));
  return {
    symbol: symbolForProfile(profile.name),
    date,
    source: `synthetic:${profile.name}:${date}:${seed}`,
    quotes,
    trades,
    tradesAreBars: false,
    openingQuoteTime: openingQuoteTime(quotes, day),
  };
}

/**
 * The primary exchange's opening quote: the first valid NBBO update once the opening quote has
 * settled (`day.settledMs`, from the profile's primaryOpenDelaySeconds). Null when the tape starts
 * after that moment (it cannot show it) or has no valid update after it.
 */
function openingQuoteTime(q: QuoteColumns, day: OpenDay): number | null {
  if (day.settledMs < day.fromMs) return null;
  for (let i = lastIndexAtOrBefore(q.time, q.length, Math.ceil(day.settledMs) - 1) + 1; i < q.length; i++) {
    if (q.bid[i]! > 0 && q.ask[i]! > q.bid[i]!) return q.time[i]!;
  }
  return null;
}

function displayedSize(p: ResolvedProfile, day: OpenDay, t: number, rng: SyntheticRng): number {
  const mean = p.typicalSize * sizeMultiple(p, day, t);
  const shares = mean * Math.exp(SIZE_SIGMA * rng.normal() - (SIZE_SIGMA * SIZE_SIGMA) / 2);
  // NBBO sizes are shown in round lots when the instrument trades in them.
  if (p.typicalSize >= 100) return Math.max(100, Math.round(shares / 100) * 100);
  return Math.max(1, Math.round(shares));
}

function generateQuotes(p: ResolvedProfile, day: OpenDay, rng: SyntheticRng, drift: Drift = NO_DRIFT): QuoteColumns {
  const quotes = new QuoteColumnsBuilder(8192);

  const sigmaPerSecond = p.dailyVolatility / Math.sqrt(REGULAR_SESSION_SECONDS);
  let logMid = Math.log(p.price * PRICE_SCALE);
  // A window starting after 09:30 begins from a mid that has already gapped.
  let gapped = day.fromMs >= day.openMs;
  if (gapped) logMid += day.openGap + drift(day.openMs, day.fromMs);
  let spreadNoise = SPREAD_NOISE_SIGMA * rng.normal();

  let t = day.fromMs;
  for (;;) {
    const mid = Math.exp(logMid);
    const tick = tickSize(mid);
    const spreadTicks = Math.max(1, Math.round(spreadTicksTarget(p, day, t) * Math.exp(spreadNoise)));
    // Rounding the bid to the nearest tick (not always down) keeps the quoted mid unbiased
    // around the latent mid; the ask is then exactly `spreadTicks` above, so never crossed.
    const b = Math.max(1, roundDownToTick(mid - (spreadTicks * tick) / 2 + tick / 2));
    // Arguments evaluate left to right: the bid size is drawn before the ask size, as always.
    quotes.push(Math.floor(t), b, addTicks(b, spreadTicks), displayedSize(p, day, t, rng), displayedSize(p, day, t, rng));

    // Advance to the next update, evolving the mid over the gap (and through 09:30 if crossed).
    let next = nextArrival(t, quoteRate(p, day, t), rng, day);
    while (next.restart) {
      logMid += stepLogMid(p, day, t, next.t - t, sigmaPerSecond, rng) + drift(t, next.t);
      if (!gapped) {
        logMid += day.openGap;
        gapped = true;
      }
      t = next.t;
      next = nextArrival(t, quoteRate(p, day, t), rng, day);
    }
    if (next.t >= day.toMs) break;
    const dtMs = next.t - t;
    logMid += stepLogMid(p, day, t, dtMs, sigmaPerSecond, rng) + drift(t, next.t);
    const keep = Math.exp(-dtMs / SPREAD_NOISE_MEMORY_MS);
    spreadNoise = keep * spreadNoise + Math.sqrt(1 - keep * keep) * SPREAD_NOISE_SIGMA * rng.normal();
    t = next.t;
  }
  return quotes.finish();

}

/** Log-return of the mid over `dtMs` starting at `t`: scaled Gaussian diffusion plus rare jumps. */
function stepLogMid(p: ResolvedProfile, day: OpenDay, t: number, dtMs: number, sigmaPerSecond: number, rng: SyntheticRng): number {
  const dt = dtMs / 1000;
  const sigma = sigmaPerSecond * volatilityMultiple(p, day, t);
  let r = sigma * DIFFUSION_SCALE * Math.sqrt(dt) * rng.normal();
  if (rng.uniform() < JUMPS_PER_SECOND * dt) r += sigma * JUMP_SIGMA_MULTIPLE * rng.normal();
  return r;
}
