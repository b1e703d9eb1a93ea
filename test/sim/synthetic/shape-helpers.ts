import { createHash } from 'node:crypto';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import type { OpenProfile } from '../../../src/sim/synthetic/open-profile.js';
import type { QuoteColumns, Tape } from '../../../src/sim/tape/tape.js';
import { lastIndexAtOrBefore } from '../../../src/sim/tape/tape.js';

/**
 * TQQQ_LIKE's numbers as they were when the shapes were added, copied so the golden hash below
 * pins the generator's code, not a profile another change may re-tune.
 */
export const REF_PROFILE: OpenProfile = {
  name: 'tqqq-like',
  description: 'reference copy',
  price: 60,
  dailyVolatility: 0.04,
  baseSpreadTicks: 1,
  openSpreadPeak: 4,
  openSpreadDecaySeconds: 90,
  quotesPerSecondOpen: 30,
  quotesPerSecondMidday: 3,
  tradesPerSecondOpen: 10,
  tradesPerSecondMidday: 2,
  typicalSize: 2000,
  tradeSize: 150,
  openGapSigma: 0.004,
  primaryOpenDelaySeconds: [0.5, 10],
  preMarketSpreadMultiplier: [3, 6],
  quotesPerSecondPreMarket: 1.5,
  tradesPerSecondPreMarket: 0.3,
  openActivityDecaySeconds: 300,
};

/** sha256 of every column's bytes: equal hashes mean byte-identical tapes. */
export function columnsHash(tape: Tape): string {
  const h = createHash('sha256');
  const q = tape.quotes;
  const t = tape.trades;
  for (const a of [q.time, q.bid, q.ask, q.bidSize, q.askSize, ...(t ? [t.time, t.price, t.size] : [])]) {
    h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

export const et = (date: string, clock: string): number => etClockToEpoch(date, clock);

export function isValidAt(q: QuoteColumns, i: number): boolean {
  return q.bid[i]! > 0 && q.ask[i]! > q.bid[i]!;
}

/** Log of the quoted mid of the quote prevailing at `t`. */
export function logMidAt(q: QuoteColumns, t: number): number {
  const i = lastIndexAtOrBefore(q.time, q.length, t);
  if (i < 0) throw new Error(`no quote at or before ${t}`);
  return Math.log((q.bid[i]! + q.ask[i]!) / 2);
}

/** Change of the quoted mid from t0 to t1, in bps (log-return). */
export function moveBps(q: QuoteColumns, t0: number, t1: number): number {
  return 10_000 * (logMidAt(q, t1) - logMidAt(q, t0));
}
