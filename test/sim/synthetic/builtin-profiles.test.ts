import { describe, expect, it } from 'vitest';
import { measureOpen } from '../../../src/analysis/profile/measure-open.js';
import { LEV5_LIKE, SOXL_LIKE, TQQQ_LIKE, UVXY_LIKE, builtinProfiles, findBuiltinProfile, generateOpen } from '../../../src/sim/synthetic/index.js';
import { validateProfile } from '../../../src/sim/synthetic/open-profile.js';

// Dates across winter (EST) and summer (EDT), Mondays and Fridays, one half day (2024-11-29).
const DATES = ['2024-03-04', '2024-07-12', '2024-11-29', '2025-01-15', '2025-06-02'];
const SEEDS = [1, 2, 3, 42, 'tune', 'x7'];
const LEVERAGED = [TQQQ_LIKE, SOXL_LIKE, UVXY_LIKE, LEV5_LIKE];

describe('built-in leveraged-ETF profiles', () => {
  it('are all registered, valid, and found by forgiving names', () => {
    expect(Object.keys(builtinProfiles).sort()).toEqual(['lev5-like', 'soxl-like', 'tqqq-like', 'uvxy-like']);
    for (const p of LEVERAGED) {
      expect(validateProfile(p)).toBe(p);
      expect(builtinProfiles[p.name]).toBe(p);
    }
    expect(findBuiltinProfile('UVXY_LIKE')).toBe(UVXY_LIKE);
    expect(findBuiltinProfile(' Lev5-Like ')).toBe(LEV5_LIKE);
  });

  it('describe their instruments: price level, penny-wide midday, a real opening widening', () => {
    expect([TQQQ_LIKE.price, SOXL_LIKE.price, UVXY_LIKE.price, LEV5_LIKE.price]).toEqual([60, 30, 25, 5]);
    for (const p of LEVERAGED) {
      expect(p.baseSpreadTicks, p.name).toBe(1);
      expect(p.openSpreadPeak, p.name).toBeGreaterThanOrEqual(3);
      expect(p.dailyVolatility, p.name).toBeGreaterThanOrEqual(0.03);
    }
  });

  for (const profile of LEVERAGED) {
    it(`${profile.name}: measured [09:30,09:31) median spread >= 2x the [10:00,16:00) median (synthetic covers 10:00-10:30), every date and seed`, () => {
      for (const date of DATES) {
        for (const seed of SEEDS) {
          const m = measureOpen(generateOpen(profile, date, seed));
          const first = m.windows[0]!;
          const later = m.windows[4]!;
          expect(later.spreadCentsMedian, `${date} seed ${seed}: [10:00,16:00) covered`).not.toBeNull();
          expect(first.spreadCentsMedian!, `${date} seed ${seed}`).toBeGreaterThanOrEqual(2 * later.spreadCentsMedian!);
          expect(first.spreadBpsMedian!, `${date} seed ${seed} (bps)`).toBeGreaterThanOrEqual(1.8 * later.spreadBpsMedian!);
        }
      }
    });
  }
});
