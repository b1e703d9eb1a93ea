import { describe, expect, it } from 'vitest';
import { parseShares, QTY_SCALE, sideSign } from '../../src/engine/units.js';

describe('units', () => {
  it('parses share counts exactly, fractional to 9 decimals', () => {
    expect(parseShares('500')).toBe(500 * QTY_SCALE);
    expect(parseShares('0.1')).toBe(100_000_000);
    expect(parseShares('12.000000001')).toBe(12_000_000_001);
    expect(parseShares('1.0000000001')).toBeNull();
    expect(parseShares('-5')).toBeNull();
    expect(parseShares('abc')).toBeNull();
  });

  it('signs costs so that worse for us is positive', () => {
    expect(sideSign('buy')).toBe(1);
    expect(sideSign('sell')).toBe(-1);
  });
});
