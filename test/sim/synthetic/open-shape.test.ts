import { describe, expect, it } from 'vitest';
import { generateOpen, SOXL_LIKE, TQQQ_LIKE } from '../../../src/sim/synthetic/index.js';
import type { OpenShape } from '../../../src/sim/synthetic/open-shape.js';
import { validateShape } from '../../../src/sim/synthetic/open-shape.js';
import { lastIndexAtOrBefore } from '../../../src/sim/tape/tape.js';
import { columnsHash, et, isValidAt, moveBps, REF_PROFILE } from './shape-helpers.js';
import { countQuotes, timeWeightedMedianSpread } from './spread-stats.js';

const DATE = '2024-03-04';
const OPEN = et(DATE, '09:30:00');
const SEEDS = [1, 2, 3, 4, 5, 6];
const shaped = (seed: number, shape: OpenShape) => generateOpen(TQQQ_LIKE, DATE, seed, { shape });

describe('shapes keep the generator deterministic and the default unchanged', () => {
  it('generates the same bytes as before shapes existed when no shape (or {}) is given', () => {
    // Hash of the pre-shape generator's output for this profile, date and seed.
    const golden = '9d59e570d55199676086a826356d0563142b3d9a3735d7b6ceeb981cbc45521b';
    expect(columnsHash(generateOpen(REF_PROFILE, DATE, 7))).toBe(golden);
    expect(columnsHash(generateOpen(REF_PROFILE, DATE, 7, { shape: {} }))).toBe(golden);
  });

  it('gives identical bytes for identical arguments, and different ones for another seed', () => {
    const shape: OpenShape = { gapBps: -80, trendBpsPerMinute: 5, reversalAfterSeconds: 60, quoteRateFactor: 0.5, badQuotes: { burstsPerHour: 100, staleGapsPerHour: 20 } };
    const a = columnsHash(shaped(3, shape));
    expect(columnsHash(shaped(3, shape))).toBe(a);
    expect(columnsHash(shaped(4, shape))).not.toBe(a);
    expect(shaped(3, shape).openingQuoteTime).toBe(shaped(3, shape).openingQuoteTime);
  });

  it('changes only what a shape names: trade rates leave the quotes byte-identical', () => {
    const plain = shaped(2, {});
    const fewer = shaped(2, { tradeRateFactor: 0.1 });
    expect(columnsHash({ ...fewer, trades: null })).toBe(columnsHash({ ...plain, trades: null }));
  });
});

describe('gapBps forces the 09:30 gap', () => {
  it.each([150, -200])('moves the mid by %s bps across 09:30 on every seed', (gapBps) => {
    for (const seed of SEEDS) {
      const q = shaped(seed, { gapBps }).quotes;
      const first = lastIndexAtOrBefore(q.time, q.length, OPEN - 1) + 1; // first quote at or after 09:30
      expect(Math.abs(moveBps(q, OPEN - 1, q.time[first]!) - 10_000 * Math.log1p(gapBps / 10_000))).toBeLessThan(10);
    }
  });

  it('is exactly the difference from a zero gap after 09:30, and nothing before it', () => {
    const up = shaped(5, { gapBps: 150 }).quotes;
    const flat = shaped(5, { gapBps: 0 }).quotes;
    expect(up.length).toBe(flat.length);
    for (let i = 0; i < up.length; i += 97) {
      const diff = 10_000 * Math.log((up.bid[i]! + up.ask[i]!) / (flat.bid[i]! + flat.ask[i]!));
      const want = up.time[i]! < OPEN ? 0 : 10_000 * Math.log1p(0.015);
      expect(Math.abs(diff - want)).toBeLessThan(2); // two half-tick roundings at ~$60
    }
  });
});

describe('trendBpsPerMinute and reversalAfterSeconds drift the mid after 09:30', () => {
  /** Shaped minus unshaped log mid at each quote: the drift alone, since both share every draw. */
  function driftAt(shape: OpenShape, seed: number): Array<[number, number]> {
    const a = shaped(seed, shape).quotes;
    const b = shaped(seed, {}).quotes;
    expect(a.length).toBe(b.length);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < a.length; i += 53) out.push([a.time[i]!, 10_000 * Math.log((a.bid[i]! + a.ask[i]!) / (b.bid[i]! + b.ask[i]!))]);
    return out;
  }

  it('adds trend x minutes since 09:30, within rounding', () => {
    for (const [t, d] of driftAt({ trendBpsPerMinute: 12 }, 1)) {
      expect(Math.abs(d - (t < OPEN ? 0 : (12 * (t - OPEN)) / 60_000))).toBeLessThan(2);
    }
  });

  it('flips the drift after reversalAfterSeconds: up for 2 minutes, then down', () => {
    for (const [t, d] of driftAt({ trendBpsPerMinute: 20, reversalAfterSeconds: 120 }, 2)) {
      const up = Math.min(Math.max(t - OPEN, 0), 120_000);
      const down = Math.max(t - OPEN - 120_000, 0);
      expect(Math.abs(d - (20 * (up - down)) / 60_000)).toBeLessThan(2);
    }
  });

  it('shows the reversal in the raw tape: the mean move turns from up to down across seeds', () => {
    const shape = { gapBps: 100, trendBpsPerMinute: 40, reversalAfterSeconds: 300 };
    const before = SEEDS.map((s) => moveBps(shaped(s, shape).quotes, OPEN + 10_000, OPEN + 300_000));
    const after = SEEDS.map((s) => moveBps(shaped(s, shape).quotes, OPEN + 300_000, OPEN + 900_000));
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    // Drift alone: +193 bps, then -400 bps; the open's noise is ~100 bps a seed, hence loose bounds.
    expect(mean(before)).toBeGreaterThan(40);
    expect(mean(after)).toBeLessThan(-150);
  });

  it('applies gap and drift already accrued to a window that starts after the open', () => {
    const late = { fromEt: '09:45:00', toEt: '09:50:00' };
    const a = generateOpen(TQQQ_LIKE, DATE, 9, { ...late, shape: { gapBps: 100, trendBpsPerMinute: 10 } }).quotes;
    const b = generateOpen(TQQQ_LIKE, DATE, 9, { ...late, shape: { gapBps: 0 } }).quotes;
    const d = 10_000 * Math.log((a.bid[0]! + a.ask[0]!) / (b.bid[0]! + b.ask[0]!));
    expect(Math.abs(d - (10_000 * Math.log1p(0.01) + 150))).toBeLessThan(2);
  });
});

describe('rate and spread factors', () => {
  const from = et(DATE, '09:00:00');
  const to = et(DATE, '10:30:00');

  it('quoteRateFactor 0.1 leaves about a tenth of the quotes, tradeRateFactor a tenth of the prints', () => {
    for (const seed of [1, 2]) {
      const plain = shaped(seed, {});
      const thin = shaped(seed, { quoteRateFactor: 0.1, tradeRateFactor: 0.1 });
      const qRatio = countQuotes(thin.quotes, from, to) / countQuotes(plain.quotes, from, to);
      const tRatio = thin.trades!.length / plain.trades!.length;
      expect(qRatio).toBeGreaterThan(0.085);
      expect(qRatio).toBeLessThan(0.115);
      expect(tRatio).toBeGreaterThan(0.08);
      expect(tRatio).toBeLessThan(0.12);
    }
    expect(shaped(1, { tradeRateFactor: 0 }).trades).toBeNull();
  });

  it('spreadPeakFactor 3 triples the first-minute spread and leaves 10:00-10:30 alone', () => {
    for (const seed of [1, 2, 3]) {
      const plain = generateOpen(SOXL_LIKE, DATE, seed).quotes;
      const wide = generateOpen(SOXL_LIKE, DATE, seed, { shape: { spreadPeakFactor: 3 } }).quotes;
      const ratio = timeWeightedMedianSpread(wide, OPEN, OPEN + 30_000) / timeWeightedMedianSpread(plain, OPEN, OPEN + 30_000);
      expect(ratio).toBeGreaterThan(2.2);
      expect(ratio).toBeLessThan(3.5);
      expect(timeWeightedMedianSpread(wide, et(DATE, '10:00:00'), to)).toBe(timeWeightedMedianSpread(plain, et(DATE, '10:00:00'), to));
    }
  });
});

describe('openingQuoteTime', () => {
  it('is the first valid quote once the drawn primary-open delay has passed', () => {
    for (const seed of SEEDS) {
      const tape = shaped(seed, {});
      const t = tape.openingQuoteTime!;
      const [d0, d1] = TQQQ_LIKE.primaryOpenDelaySeconds;
      expect(t).toBeGreaterThanOrEqual(OPEN + 1000 * d0);
      expect(t).toBeLessThan(OPEN + 1000 * d1 + 2000);
      const i = lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, t);
      expect(tape.quotes.time[i]).toBe(t);
      expect(isValidAt(tape.quotes, i)).toBe(true);
    }
  });

  it('is null when the tape starts after it', () => {
    expect(generateOpen(TQQQ_LIKE, DATE, 1, { fromEt: '09:45:00' }).openingQuoteTime).toBeNull();
  });
});

describe('validateShape names the bad field', () => {
  it.each<[unknown, RegExp]>([
    [{ reversalAfterSeconds: 30 }, /reversalAfterSeconds: needs trendBpsPerMinute/],
    [{ gapBps: 'x' }, /^invalid open shape: gapBps: /],
    [{ quoteRateFactor: 0 }, /quoteRateFactor: Too small/],
    [{ badQuotes: { kinds: ['zero'] } }, /badQuotes\.kinds\.0: /],
    [{ badQuotes: { kinds: [] } }, /badQuotes\.kinds: Too small/],
    [{ badQuotes: { fromEt: '09:40:00', toEt: '09:30:00' } }, /badQuotes\.toEt: must be after fromEt 09:40:00/],
    [{ gapBPS: 10 }, /gapBPS: unknown field/],
    [{ badQuotes: { bursts: 1 } }, /badQuotes\.bursts: unknown field/],
  ])('%j', (shape, message) => {
    expect(() => validateShape(shape)).toThrow(message);
    expect(() => generateOpen(TQQQ_LIKE, DATE, 1, { shape: shape as OpenShape })).toThrow(message);
  });

  it('fills badQuotes defaults', () => {
    expect(validateShape({ badQuotes: {} }).badQuotes).toEqual({
      burstsPerHour: 0, burstQuotes: 5, kinds: ['zero-bid', 'zero-ask', 'crossed', 'locked'],
      staleGapsPerHour: 0, staleGapSeconds: 10, fromEt: '09:29:00', toEt: '09:40:00',
    });
  });
});
