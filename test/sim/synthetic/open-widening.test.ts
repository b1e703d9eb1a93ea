import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { describe, expect, it } from 'vitest';
import { SOXL_LIKE, TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { countQuotes, timeWeightedMedianSpread } from './spread-stats.js';

const DATES = ['2024-03-04', '2024-07-08', '2025-01-15'];
const SEEDS = [1, 2, 3, 42, 'tune'];

describe('market-open spread widening', () => {
  for (const profile of [TQQQ_LIKE, SOXL_LIKE]) {
    it(`${profile.name}: first-minute median spread is at least 2x the 10:00-10:30 median`, () => {
      for (const date of DATES) {
        for (const seed of SEEDS) {
          const q = generateOpen(profile, date, seed).quotes;
          const open = timeWeightedMedianSpread(q, etClockToEpoch(date, '09:30:00'), etClockToEpoch(date, '09:31:00'));
          const later = timeWeightedMedianSpread(q, etClockToEpoch(date, '10:00:00'), etClockToEpoch(date, '10:30:00'));
          expect(open, `${date} seed ${seed}`).toBeGreaterThanOrEqual(2 * later);
        }
      }
    });
  }

  it('keeps the regular session near the base spread and the pre-market several ticks wide', () => {
    for (const seed of SEEDS) {
      const date = DATES[0]!;
      const q = generateOpen(TQQQ_LIKE, date, seed).quotes;
      expect(timeWeightedMedianSpread(q, etClockToEpoch(date, '10:00:00'), etClockToEpoch(date, '10:30:00'))).toBe(100);
      const pre = timeWeightedMedianSpread(q, etClockToEpoch(date, '09:00:00'), etClockToEpoch(date, '09:30:00'));
      expect(pre).toBeGreaterThanOrEqual(300);
    }
  });

  it('quotes much faster in the first minute than at 10:00, with modest totals', () => {
    const date = DATES[0]!;
    const q = generateOpen(TQQQ_LIKE, date, 9).quotes;
    const first = countQuotes(q, etClockToEpoch(date, '09:30:00'), etClockToEpoch(date, '09:31:00'));
    const later = countQuotes(q, etClockToEpoch(date, '10:15:00'), etClockToEpoch(date, '10:16:00'));
    expect(first / 60).toBeGreaterThan(15);
    expect(later / 60).toBeLessThan(8);
    expect(first).toBeGreaterThan(4 * later);
    expect(q.length).toBeGreaterThan(5_000);
    expect(q.length).toBeLessThan(60_000);
  });

  it('shows smaller displayed size at the open than later', () => {
    const date = DATES[0]!;
    const q = generateOpen(TQQQ_LIKE, date, 4).quotes;
    const meanSize = (from: string, to: string): number => {
      const fromMs = etClockToEpoch(date, from);
      const toMs = etClockToEpoch(date, to);
      let sum = 0;
      let n = 0;
      for (let i = 0; i < q.length; i++) {
        const t = q.time[i]!;
        if (t >= fromMs && t < toMs) {
          sum += q.bidSize[i]! + q.askSize[i]!;
          n += 2;
        }
      }
      return sum / n;
    };
    expect(meanSize('09:30:00', '09:30:30')).toBeLessThan(0.6 * meanSize('10:00:00', '10:30:00'));
  });

  it('generates a 90-minute day quickly', () => {
    generateOpen(TQQQ_LIKE, DATES[0]!, 'warm-up');
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) generateOpen(TQQQ_LIKE, DATES[0]!, i);
    const perDay = (performance.now() - t0) / 5;
    // The target is well under 100 ms; the bound leaves room for slow, shared CI machines.
    expect(perDay).toBeLessThan(250);
  });
});
