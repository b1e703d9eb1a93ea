import { describe, expect, it } from 'vitest';
import { formatWirePrice, formatWireQty, parseWirePrice, parseWireQty } from '../../../src/live/emulator/wire-units.js';

describe('wire units', () => {
  it('parses dollar strings and numbers exactly into 1/10,000 dollar', () => {
    expect(parseWirePrice('12.34')).toBe(123_400);
    expect(parseWirePrice(12.34)).toBe(123_400);
    expect(parseWirePrice('0.1234')).toBe(1_234);
    expect(parseWirePrice('12.340000')).toBe(123_400);
    expect(parseWirePrice('12.34567')).toBeNull();
    expect(parseWirePrice('-1')).toBeNull();
    expect(parseWirePrice('0')).toBeNull();
  });
  it('formats prices and quantities as Alpaca strings', () => {
    expect(formatWirePrice(123_400)).toBe('12.34');
    expect(formatWirePrice(1_234)).toBe('0.1234');
    expect(formatWirePrice(1_000_000)).toBe('100.00');
    expect(formatWireQty(parseWireQty('100')!)).toBe('100');
    expect(formatWireQty(parseWireQty('0.000000001')!)).toBe('0.000000001');
    expect(parseWireQty('0')).toBeNull();
  });
});
