import { describe, expect, it } from 'vitest';
import { SOXL_LIKE, TQQQ_LIKE, builtinProfiles, findBuiltinProfile } from '../../../src/sim/synthetic/index.js';
import { validateProfile } from '../../../src/sim/synthetic/open-profile.js';
import type { OpenProfile } from '../../../src/sim/synthetic/open-profile.js';

function withField(field: string, value: unknown): unknown {
  return { ...TQQQ_LIKE, [field]: value };
}

describe('built-in profiles', () => {
  it('are valid and keyed by their names', () => {
    for (const [key, profile] of Object.entries(builtinProfiles)) {
      expect(profile.name).toBe(key);
      expect(validateProfile(profile)).toBe(profile);
    }
    expect(Object.keys(builtinProfiles).sort()).toEqual(['lev5-like', 'soxl-like', 'tqqq-like', 'uvxy-like']);
  });

  it('describe the intended instruments', () => {
    expect(TQQQ_LIKE.price).toBeCloseTo(60, -1);
    expect(TQQQ_LIKE.baseSpreadTicks).toBe(1);
    expect(TQQQ_LIKE.openSpreadPeak).toBeGreaterThanOrEqual(3);
    expect(TQQQ_LIKE.quotesPerSecondOpen).toBeGreaterThan(TQQQ_LIKE.quotesPerSecondMidday * 5);
    expect(SOXL_LIKE.price).toBe(30);
  });

  it('can be found by forgiving names', () => {
    expect(findBuiltinProfile('TQQQ_LIKE')).toBe(TQQQ_LIKE);
    expect(findBuiltinProfile(' soxl-like ')).toBe(SOXL_LIKE);
    expect(findBuiltinProfile('spy-like')).toBeUndefined();
  });
});

describe('validateProfile', () => {
  it.each([
    ['price', 0],
    ['price', Number.NaN],
    ['dailyVolatility', -0.01],
    ['dailyVolatility', '0.04'],
    ['baseSpreadTicks', 0.5],
    ['openSpreadPeak', 0.9],
    ['openSpreadDecaySeconds', 0],
    ['quotesPerSecondOpen', 0],
    ['quotesPerSecondMidday', 1e9],
    ['tradesPerSecondOpen', -1],
    ['typicalSize', 0],
    ['tradeSize', undefined],
    ['openGapSigma', -0.1],
    ['quotesPerSecondPreMarket', 0],
    ['openActivityDecaySeconds', Number.POSITIVE_INFINITY],
  ])('names the bad field %s = %s', (field, value) => {
    expect(() => validateProfile(withField(field, value))).toThrow(new RegExp(`\\b${field}\\b`));
  });

  it('names the bad range field and element', () => {
    expect(() => validateProfile(withField('primaryOpenDelaySeconds', [5]))).toThrow(/primaryOpenDelaySeconds.*\[min, max\]/);
    expect(() => validateProfile(withField('primaryOpenDelaySeconds', [10, 5]))).toThrow(/primaryOpenDelaySeconds.*min <= max/);
    expect(() => validateProfile(withField('primaryOpenDelaySeconds', [-1, 5]))).toThrow(/primaryOpenDelaySeconds\[0\]/);
    expect(() => validateProfile(withField('preMarketSpreadMultiplier', [2, 'x']))).toThrow(/preMarketSpreadMultiplier\[1\]/);
  });

  it('names the profile and the value it got', () => {
    expect(() => validateProfile(withField('dailyVolatility', 4))).toThrow(
      'invalid open profile "tqqq-like": dailyVolatility must be in (0, 1] (got 4)',
    );
  });

  it('names an unknown field, and the fields then missing, so a misspelling is plain', () => {
    const { quotesPerSecondOpen, ...rest } = TQQQ_LIKE;
    expect(() => validateProfile({ ...rest, quotesPerSecondOpn: quotesPerSecondOpen })).toThrow(
      'invalid open profile "tqqq-like": unknown field "quotesPerSecondOpn" (missing: quotesPerSecondOpen)',
    );
    expect(() => validateProfile({ ...TQQQ_LIKE, colour: 'blue' })).toThrow('invalid open profile "tqqq-like": unknown field "colour"');
  });

  it('rejects non-objects and missing names', () => {
    expect(() => validateProfile(null)).toThrow(/profile must be an object/);
    expect(() => validateProfile([TQQQ_LIKE])).toThrow(/profile must be an object/);
    expect(() => validateProfile(withField('name', ''))).toThrow(/\bname\b/);
  });

  it('accepts a minimal profile without the optional fields', () => {
    const { preMarketSpreadMultiplier, quotesPerSecondPreMarket, tradesPerSecondPreMarket, openActivityDecaySeconds, ...rest } =
      TQQQ_LIKE;
    void [preMarketSpreadMultiplier, quotesPerSecondPreMarket, tradesPerSecondPreMarket, openActivityDecaySeconds];
    const minimal: OpenProfile = { ...rest, name: 'minimal' };
    expect(validateProfile(minimal)).toBe(minimal);
  });
});
