import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addTicks, isOnTickGrid, tickSize } from '../../../src/engine/tick.js';
import { regularOpen, widenSpreads } from '../../../src/sim/overlay/widen-spreads.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { DATE, MIN, OPEN, SEC, at, buildTape, px, steadyQuotes } from '../tape-builder.js';

/** A quiet tape: $50.00 x $50.01 every 500 ms from 09:29 to 09:45, with a few prints. */
const calm = buildTape(steadyQuotes(-MIN, 15 * MIN, { bid: 50, spread: 0.01 }), [{ t: 1000, price: 50.01, size: 100 }]);
const spreadAt = (tape: Tape, ms: number): number => {
  const i = Array.from(tape.quotes.time).findIndex((t) => t >= at(ms));
  return tape.quotes.ask[i]! - tape.quotes.bid[i]!;
};
const copy = (tape: Tape) => ({ bid: tape.quotes.bid.slice(), ask: tape.quotes.ask.slice(), time: tape.quotes.time.slice() });

describe('widenSpreads', () => {
  it('widens most at the open and decays back to the recorded spread (09:30:05 wider than 09:40)', () => {
    const w = widenSpreads(calm, { peak: 4, decaySeconds: 90 }, 1);
    expect(spreadAt(w, 5 * SEC)).toBeGreaterThanOrEqual(px(0.03));
    expect(spreadAt(w, 5 * SEC)).toBeGreaterThan(spreadAt(w, 10 * MIN));
    expect(spreadAt(w, 10 * MIN)).toBe(px(0.01)); // m - 1 is tiny by then: the tape is untouched
    expect(spreadAt(w, -30 * SEC)).toBe(px(0.01)); // before the open m = 1
  });

  it('without noise follows m(t) = 1 + (peak - 1) exp(-(t - open) / decay), to the nearest tick', () => {
    const wide = buildTape([{ t: 0, bid: 50, ask: 50.1 }, { t: 90 * SEC, bid: 50, ask: 50.1 }, { t: 270 * SEC, bid: 50, ask: 50.1 }]);
    const w = widenSpreads(wide, { peak: 5, decaySeconds: 90, noise: 0 }, 1);
    const expected = (m: number) => [px(50.05) - Math.round(500 * m / 100) * 100, px(50.05) + Math.round(500 * m / 100) * 100];
    for (const [i, m] of [[0, 5], [1, 1 + 4 / Math.E], [2, 1 + 4 * Math.exp(-3)]] as const) {
      expect([w.quotes.bid[i], w.quotes.ask[i]]).toEqual(expected(m));
    }
  });

  it('with noise = 0 the widened spread of a constant tape never grows after the open', () => {
    const w = widenSpreads(buildTape(steadyQuotes(0, 10 * MIN, { bid: 50, spread: 0.05 })), { peak: 6, decaySeconds: 60, noise: 0 }, 1);
    for (let i = 1; i < w.quotes.length; i++) expect(w.quotes.ask[i]! - w.quotes.bid[i]!).toBeLessThanOrEqual(w.quotes.ask[i - 1]! - w.quotes.bid[i - 1]!);
  });

  it('is deterministic per seed, and the seed changes the noise', () => {
    const opts = { peak: 4, decaySeconds: 90, noise: 0.5 };
    const wideCalm = buildTape(steadyQuotes(0, 5 * MIN, { bid: 50, spread: 0.1 }));
    const a = widenSpreads(wideCalm, opts, 7);
    expect(widenSpreads(wideCalm, opts, 7).quotes).toEqual(a.quotes);
    expect(Array.from(widenSpreads(wideCalm, opts, 8).quotes.ask)).not.toEqual(Array.from(a.quotes.ask));
  });

  it('leaves invalid snapshots, sizes, times and trades alone and never mutates its input', () => {
    const tape = buildTape([
      { t: 1000, bid: 0, ask: 50.05, bidSize: 0, askSize: 300 },
      { t: 2000, bid: 50.05, ask: 50, bidSize: 100, askSize: 200 },
      { t: 3000, bid: 50, ask: 50, bidSize: 100, askSize: 200 },
      { t: 4000, bid: 50, ask: 50.04, bidSize: 700, askSize: 900 },
    ], [{ t: 1500, price: 50.02, size: 10 }]);
    const before = copy(tape);
    const w = widenSpreads(tape, { peak: 8, decaySeconds: 90 }, 1);
    expect(copy(tape)).toEqual(before);
    expect(Array.from(w.quotes.bid.slice(0, 3))).toEqual([0, px(50.05), px(50)]);
    expect(Array.from(w.quotes.ask.slice(0, 3))).toEqual([px(50.05), px(50), px(50)]);
    expect(w.quotes.ask[3]! - w.quotes.bid[3]!).toBeGreaterThan(px(0.04));
    expect(w.quotes.bidSize).toEqual(tape.quotes.bidSize);
    expect(w.quotes.time).toEqual(tape.quotes.time);
    expect(w.trades).toEqual(tape.trades);
    expect(w.symbol).toBe(tape.symbol);
  });

  it('takes the open from the calendar: a regular day opens at 09:30 ET', () => {
    expect(regularOpen(DATE)).toBe(OPEN);
  });

  it('property: valid quotes stay valid, on the grid, no narrower, mid kept within half a tick', () => {
    const row = fc.record({
      dt: fc.integer({ min: 0, max: 20_000 }),
      bid: fc.oneof(fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 100, max: 30_000 }).map((c) => c * 100)),
      spreadTicks: fc.integer({ min: -2, max: 40 }),
      zeroSide: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), fc.double({ min: 1, max: 20, noNaN: true }), fc.integer({ min: 1, max: 900 }), fc.double({ min: 0, max: 1.5, noNaN: true }), fc.integer(), fc.integer({ min: -120, max: 600 }), (rows, peak, decaySeconds, noise, seed, startSec) => {
        let t = startSec * SEC;
        const quotes = rows.map((r) => {
          t += r.dt;
          const ask = addTicks(r.bid, r.spreadTicks);
          return { t, bid: r.zeroSide ? 0 : r.bid / 10_000, ask: ask / 10_000 };
        });
        const tape = buildTape(quotes);
        const w = widenSpreads(tape, { peak, decaySeconds, noise }, seed);
        const q = tape.quotes;
        for (let i = 0; i < q.length; i++) {
          const [b, a, b2, a2] = [q.bid[i]!, q.ask[i]!, w.quotes.bid[i]!, w.quotes.ask[i]!];
          if (b <= 0 || a <= 0 || b >= a) {
            expect([b2, a2]).toEqual([b, a]);
            continue;
          }
          expect(b2).toBeGreaterThan(0);
          expect(b2).toBeLessThan(a2);
          expect(b2).toBeLessThanOrEqual(b);
          expect(a2).toBeGreaterThanOrEqual(a);
          expect(isOnTickGrid(b2) && isOnTickGrid(a2)).toBe(true);
          if (b2 > 1) expect(Math.abs((a2 + b2) / 2 - (a + b) / 2)).toBeLessThanOrEqual(tickSize(a2) / 2);
          if (q.time[i]! < OPEN) expect([b2, a2]).toEqual([b, a]);
        }
        expect(widenSpreads(tape, { peak, decaySeconds, noise }, seed).quotes).toEqual(w.quotes);
      }),
      { numRuns: 300 },
    );
  });
});
