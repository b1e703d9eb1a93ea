/**
 * Fits the generator's activity curve (open-dynamics.ts quoteRate/tradeRate): after 09:30 a rate is
 *
 *   midday + (open - midday) * exp(-t / tau),   t in seconds after 09:30,
 *
 * one tau shared by quotes and trades (and by the open's extra volatility). Over a window [a, b)
 * the mean rate is midday + (open - midday) * g, with g = tau (e^{-a/tau} - e^{-b/tau}) / (b - a),
 * which is linear in (midday, open - midday): for each tau on a grid the two are solved by weighted
 * least squares, and the tau with the smallest error wins. Errors are relative (a window of 5
 * quotes/s missed by 1 counts as much as one of 50 missed by 10), so the quiet midday is not
 * drowned by the busy open. Real opens need not be busier than midday; the fit allows either.
 */

export interface RateWindow {
  /** Window start and end, seconds after 09:30 (end may be Infinity-free large numbers). */
  readonly fromS: number;
  readonly toS: number;
  /** Events per second measured in it. */
  readonly rate: number;
}

export interface RateFit {
  readonly open: number;
  readonly midday: number;
}

export interface ActivityFit {
  readonly decaySeconds: number;
  readonly quotes: RateFit;
  /** Null when no trade windows were given. */
  readonly trades: RateFit | null;
}

const TAUS = Array.from({ length: 80 }, (_, k) => 10 * (7200 / 10) ** (k / 79));

/** Mean of exp(-t / tau) over [a, b). */
export function meanDecay(a: number, b: number, tau: number): number {
  return (tau * (Math.exp(-a / tau) - Math.exp(-b / tau))) / (b - a);
}

function solve(windows: readonly RateWindow[], tau: number, floor: number): { fit: RateFit; err: number } {
  const mean = windows.reduce((s, w) => s + w.rate, 0) / windows.length;
  let sw = 0, sg = 0, sgg = 0, sr = 0, sgr = 0;
  const rows = windows.map((w) => {
    // A window that saw nothing would get an infinite relative weight; a tenth of the mean caps it.
    const weight = 1 / Math.max(w.rate, 0.1 * mean, 1e-9) ** 2;
    const g = meanDecay(w.fromS, w.toS, tau);
    sw += weight; sg += weight * g; sgg += weight * g * g; sr += weight * w.rate; sgr += weight * g * w.rate;
    return { weight, g, rate: w.rate };
  });
  const det = sw * sgg - sg * sg;
  let midday = sr / sw;
  let excess = 0;
  if (Math.abs(det) > 1e-12 * sw * sgg) {
    midday = (sr * sgg - sg * sgr) / det;
    excess = (sw * sgr - sg * sr) / det;
  }
  const fit = { midday: Math.max(floor, midday), open: Math.max(floor, midday + excess) };
  let err = 0;
  for (const r of rows) err += r.weight * (fit.midday + (fit.open - fit.midday) * r.g - r.rate) ** 2;
  return { fit, err };
}

/**
 * Best tau and rates. `floor` keeps fitted rates strictly positive where the profile requires it
 * (quotes); trades are fitted with floor 0. Throws RangeError without quote windows.
 */
export function fitActivity(quotes: readonly RateWindow[], trades: readonly RateWindow[] | null, quoteFloor = 1e-3): ActivityFit {
  if (quotes.length === 0) throw new RangeError('fitActivity needs at least one quote-rate window');
  const useTrades = trades !== null && trades.length > 0;
  let best: ActivityFit | null = null;
  let bestErr = Number.POSITIVE_INFINITY;
  for (const tau of TAUS) {
    const q = solve(quotes, tau, quoteFloor);
    const t = useTrades ? solve(trades, tau, 0) : null;
    const err = q.err + (t?.err ?? 0);
    if (err < bestErr - 1e-15) {
      bestErr = err;
      best = { decaySeconds: tau, quotes: q.fit, trades: t?.fit ?? null };
    }
  }
  return best!;
}
