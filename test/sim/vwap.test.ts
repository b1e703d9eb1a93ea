import { describe, expect, it } from 'vitest';
import { intervalVwap } from '../../src/sim/vwap.js';

const trades = { length: 4, time: Float64Array.from([10, 20, 20, 30]), price: Int32Array.from([100, 200, 300, 400]), size: Int32Array.from([1, 1, 2, 5]), regular: null };

describe('intervalVwap', () => {
  it('weights prices by size over the closed interval', () => {
    expect(intervalVwap(trades, 20, 20)).toBeCloseTo((200 + 600) / 3);
    expect(intervalVwap(trades, 0, 100)).toBeCloseTo((100 + 200 + 600 + 2000) / 9);
    expect(intervalVwap(trades, 11, 19)).toBeNull();
    expect(intervalVwap(null, 0, 100)).toBeNull();
  });

  it('leaves out prints that are not regular (late, average price...)', () => {
    const flagged = { ...trades, regular: Uint8Array.from([1, 0, 1, 0]) };
    expect(intervalVwap(flagged, 0, 100)).toBeCloseTo((100 + 600) / 3);
    expect(intervalVwap(flagged, 30, 30)).toBeNull();
  });
});
