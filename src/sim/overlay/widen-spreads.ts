import { tradingSession } from '../../engine/calendar.js';
import { etClockToEpoch } from '../../engine/et-time.js';
import type { EpochMs } from '../../engine/units.js';
import { createRng } from '../rng.js';
import type { Tape } from '../tape/tape.js';
import { MIN_PRICE, nearestTick } from './tick-round.js';
import type { WidenOptions } from './overlay-schema.js';

/** Correlation time of the noise: real opening spreads stay wide or tight for a few seconds at a time. */
const NOISE_CORRELATION_MS = 2_000;
const DEFAULT_NOISE = 0.2;
/** Highest cent-grid price an Int32 price column holds. */
const MAX_PRICE = 2_147_483_600;

/** The regular open of the tape's date from the calendar (a late open moves it); 09:30 ET otherwise. */
export function regularOpen(date: string): EpochMs {
  try {
    const session = tradingSession(date);
    if (session.isOpen) return session.openTime;
  } catch {
    // A year outside the calendar: the usual open is the best guess.
  }
  return etClockToEpoch(date, '09:30:00');
}

/**
 * Widens the spreads of a replayed tape near the open, around the mid, so that a recorded calm
 * open can stand in for a violent one. The multiplier of the half-spread is
 *   m(t) = 1 + (peak - 1) * exp(-(t - open) / decay) * N(t)   for t >= open, and 1 before,
 * where N is a mean-one lognormal noise of sigma `noise` that follows an Ornstein-Uhlenbeck
 * process (correlated over about 2 s). The noise scales the excess over 1, so m never drops
 * below 1 and returns to exactly 1 as the open effect fades.
 *
 * New sides are the nearest grid prices (tick grid of engine/tick.ts) to mid -/+ m * half-spread,
 * never inside the original quote and never <= 0: the result is never crossed or locked, and the
 * mid moves by at most half a tick. Invalid snapshots (a zero side, crossed, locked) are left as
 * they are, for the engine to refuse. Sizes, times and trades are unchanged and shared with the
 * input; the input is never mutated. Deterministic for a given (tape, options, seed).
 */
export function widenSpreads(tape: Tape, opts: WidenOptions, seed: string | number): Tape {
  const q = tape.quotes;
  const bid = q.bid.slice();
  const ask = q.ask.slice();
  const open = regularOpen(tape.date);
  const decayMs = opts.decaySeconds * 1000;
  const sigma = opts.noise ?? DEFAULT_NOISE;
  const rng = createRng(`${seed}|widen|${tape.symbol}|${tape.date}`);
  // Start in the stationary distribution, so the first quote after the open is as noisy as any.
  let x = sigma * rng.normal();
  let lastT = open;
  for (let i = 0; i < q.length; i++) {
    const t = q.time[i]!;
    if (t < open) continue;
    const rho = Math.exp(-(t - lastT) / NOISE_CORRELATION_MS);
    x = x * rho + sigma * Math.sqrt(1 - rho * rho) * rng.normal();
    lastT = t;
    const b = bid[i]!;
    const a = ask[i]!;
    if (b <= 0 || a <= 0 || b >= a) continue;
    const m = 1 + (opts.peak - 1) * Math.exp(-(t - open) / decayMs) * Math.exp(x - (sigma * sigma) / 2);
    const mid = (a + b) / 2;
    const half = ((a - b) / 2) * m;
    const newAsk = Math.max(a, nearestTick(mid + half, true));
    if (newAsk > MAX_PRICE) continue; // would wrap around in the Int32 column
    bid[i] = Math.max(MIN_PRICE, Math.min(b, nearestTick(mid - half, false)));
    ask[i] = newAsk;
  }
  return { ...tape, quotes: { ...q, bid, ask } };
}
