import { describe, expect, it } from 'vitest';
import { calibrateOpen, calibrateProfile } from '../../../src/analysis/calibration/calibrate.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { validateProfile } from '../../../src/sim/synthetic/open-profile.js';
import type { OpenProfile } from '../../../src/sim/synthetic/open-profile.js';
import { TapeFormatError } from '../../../src/sim/tape/tape-error.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { tinyTape } from '../profile/tiny-tape.js';

// A profile unlike the built-ins (3-tick base, slow settle) so the fit cannot lean on defaults.
const TRUTH: OpenProfile = {
  ...TQQQ_LIKE,
  name: 'truth-like',
  price: 42,
  dailyVolatility: 0.03,
  baseSpreadTicks: 3,
  openSpreadPeak: 5,
  openSpreadDecaySeconds: 120,
  primaryOpenDelaySeconds: [2, 30],
  quotesPerSecondOpen: 20,
  quotesPerSecondMidday: 4,
  tradesPerSecondOpen: 6,
  tradesPerSecondMidday: 1,
  typicalSize: 800,
  tradeSize: 120,
  preMarketSpreadMultiplier: [2, 4],
  quotesPerSecondPreMarket: 0.5,
  tradesPerSecondPreMarket: 0.1,
  openActivityDecaySeconds: 400,
};
const DATES = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-11', '2024-03-12', '2024-03-13'];

const within = (got: number, want: number, rel: number) => expect(Math.abs(got - want) / want, `${got} vs ${want}`).toBeLessThanOrEqual(rel);

describe('calibrateOpen on synthetic tapes of a known profile (the fit inverts the generator)', () => {
  const tapes = DATES.map((d, i) => generateOpen(TRUTH, d, i));
  const { profile: fit, notes } = calibrateOpen(tapes, 'fit-like');

  it('returns a valid, named profile and needs no assumption', () => {
    expect(validateProfile(fit)).toBe(fit);
    expect(fit.name).toBe('fit-like');
    expect(fit.description).toMatch(/calibrated on 8 tape\(s\): TRUTH 2024-03-04/);
    expect(notes).toEqual([]);
  });

  it('recovers price, spread shape, rates, sizes and volatility', () => {
    within(fit.price, TRUTH.price, 0.01);
    expect(fit.baseSpreadTicks).toBe(3);
    within(fit.openSpreadPeak, TRUTH.openSpreadPeak, 0.25);
    expect(fit.openSpreadDecaySeconds).toBeGreaterThan(TRUTH.openSpreadDecaySeconds / 2);
    expect(fit.openSpreadDecaySeconds).toBeLessThan(TRUTH.openSpreadDecaySeconds * 2);
    // The delay comes from the tapes' opening-quote times: draws from [2, 30].
    expect(fit.primaryOpenDelaySeconds[0]).toBeGreaterThanOrEqual(2);
    expect(fit.primaryOpenDelaySeconds[1]).toBeLessThanOrEqual(30.1);
    within(fit.quotesPerSecondOpen, TRUTH.quotesPerSecondOpen, 0.1);
    within(fit.quotesPerSecondMidday, TRUTH.quotesPerSecondMidday, 0.1);
    within(fit.tradesPerSecondOpen, TRUTH.tradesPerSecondOpen, 0.15);
    within(fit.tradesPerSecondMidday, TRUTH.tradesPerSecondMidday, 0.15);
    within(fit.openActivityDecaySeconds!, TRUTH.openActivityDecaySeconds!, 0.25);
    within(fit.typicalSize, TRUTH.typicalSize, 0.15);
    within(fit.tradeSize, TRUTH.tradeSize, 0.15);
    within(fit.dailyVolatility, TRUTH.dailyVolatility, 0.25);
    within(fit.quotesPerSecondPreMarket!, TRUTH.quotesPerSecondPreMarket!, 0.1);
    within(fit.tradesPerSecondPreMarket!, TRUTH.tradesPerSecondPreMarket!, 0.25);
    const [m0, m1] = fit.preMarketSpreadMultiplier!;
    expect(m0).toBeGreaterThanOrEqual(2 * 0.8);
    expect(m1).toBeLessThanOrEqual(4 * 1.25);
  });

  it('finds no widening where the spread is pinned at one tick', () => {
    const pinned = { ...TQQQ_LIKE, name: 'pinned-like', openSpreadPeak: 1, preMarketSpreadMultiplier: [1, 1] as const };
    const p = calibrateProfile(DATES.slice(0, 3).map((d) => generateOpen(pinned, d, 1)), 'p');
    expect(p.baseSpreadTicks).toBe(1);
    expect(p.openSpreadPeak).toBe(1);
  });

  it('is deterministic', () => {
    expect(calibrateProfile(tapes.slice(0, 2), 'x')).toEqual(calibrateProfile(tapes.slice(0, 2), 'x'));
  });
});

describe('calibrateOpen with thin or odd tapes', () => {
  it('says what it assumed when tapes have no trades, no pre-market and no opening-quote flag', () => {
    const t = generateOpen(TRUTH, DATES[0]!, 1, { fromEt: '09:30:00', toEt: '10:30:00' });
    const bare: Tape = { ...t, trades: null, openingQuoteTime: null };
    const { profile, notes } = calibrateOpen([bare], 'bare');
    expect(profile.tradesPerSecondOpen).toBe(0);
    expect(profile.tradesPerSecondMidday).toBe(0);
    expect(profile.openGapSigma).toBe(0);
    expect(profile.preMarketSpreadMultiplier).toBeUndefined();
    expect(profile.quotesPerSecondPreMarket).toBeUndefined();
    expect(notes.join('\n')).toMatch(/no trade ticks/);
    expect(notes.join('\n')).toMatch(/no pre-market quotes/);
    expect(notes.join('\n')).toMatch(/no opening-quote flag/);
    expect(validateProfile(profile)).toBe(profile);
  });

  it('takes the base from the latest covered window when the tape stops before 10:00', () => {
    const early = tinyTape('2024-03-04', [['09:00:00', 20, 20.1], ['09:30:00', 20, 20.05], ['09:40:00', 20, 20.02], ['09:50:00', 20, 20.02]]);
    const p = calibrateProfile([early], 'early');
    expect(p.baseSpreadTicks).toBe(2); // [09:35, 10:00) holds 2 cents
    expect(p.price).toBe(20.05);
  });

  it('refuses tapes with no valid regular-session quote, naming them', () => {
    const crossed = tinyTape('2024-03-04', [['09:00:00', 20.1, 20], ['11:00:00', 20.1, 20]]);
    expect(() => calibrateProfile([crossed], 'x')).toThrow(TapeFormatError);
    expect(() => calibrateProfile([crossed], 'x')).toThrow(/tiny:TEST:2024-03-04: no valid quote in the regular session/);
    expect(() => calibrateProfile([], 'x')).toThrow(RangeError);
  });
});
