import { describe, expect, it } from 'vitest';
import type { Quote } from '../../src/engine/quote.js';
import { classifySpread } from '../../src/engine/spread.js';

const q = (bid: number, ask: number): Quote => ({ time: 0, bid, ask, bidSize: 100, askSize: 100 });
const defaults = { tightCents: 3, wideCents: 5, tightBps: 5, wideBps: 15 };

describe('classifySpread', () => {
  it('tells a 16-cent spread on $180 from one on $14', () => {
    expect(classifySpread(q(1_800_000, 1_801_600), defaults)).toBe('normal'); // 8.9 bps
    expect(classifySpread(q(140_000, 141_600), defaults)).toBe('wide'); // 114 bps
  });

  it('keeps a one-tick spread on a cheap ETF tight although it is many bps', () => {
    expect(classifySpread(q(50_000, 50_100), defaults)).toBe('tight'); // 1 cent, 20 bps
  });

  it('uses the thresholds inclusively for tight and strictly for wide', () => {
    const cents = { tightCents: 3, wideCents: 5, tightBps: 0, wideBps: 0 };
    expect(classifySpread(q(600_000, 600_300), cents)).toBe('tight');
    expect(classifySpread(q(600_000, 600_400), cents)).toBe('normal');
    expect(classifySpread(q(600_000, 600_500), cents)).toBe('normal');
    expect(classifySpread(q(600_000, 600_600), cents)).toBe('wide');
  });
});
