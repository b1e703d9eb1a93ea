/**
 * The tape index answers in O(log n) what a scan would: each query is checked against a linear
 * scan of the columns over random tapes (same-millisecond bursts, zero sides, crossed and locked
 * quotes, extreme prices) and random starting points and thresholds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadBps } from '../../../src/engine/quote.js';
import { FirstAtMostIndex } from '../../../src/sim/tape/first-at-most.js';
import { lastIndexBefore, maxSpreadWithin, QuoteIndex, quoteIndexOf, TradeIndex, tradeIndexOf } from '../../../src/sim/tape/tape-index.js';
import { quoteAt, type QuoteColumns, type TradeColumns } from '../../../src/sim/tape/tape.js';

const INT32_MAX = 2_147_483_647;

function scan(n: number, from: number, hit: (i: number) => boolean): number {
  for (let i = Math.max(0, from); i < n; i++) if (hit(i)) return i;
  return n;
}

describe('FirstAtMostIndex', () => {
  const valueArb = fc.oneof(
    fc.integer({ min: -50, max: 50 }),
    fc.constantFrom(Infinity, -Infinity, NaN, 0, -0, 1e300),
    fc.double({ noNaN: false }),
  );
  it('finds the first value <= x at or after any start, as a scan does', () => {
    fc.assert(
      fc.property(
        fc.array(valueArb, { maxLength: 300 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.tuple(fc.integer({ min: -5, max: 320 }), valueArb), { minLength: 1, maxLength: 30 }),
        (values, slack, queries) => {
          // Columns may be longer than their data: entries past `length` never count.
          const column = Float64Array.from([...values, ...Array.from({ length: slack }, () => -Infinity)]);
          const index = new FirstAtMostIndex(column, values.length);
          for (const [from, x] of queries) {
            expect(index.firstAtMost(from, x)).toBe(scan(values.length, from, (i) => column[i]! <= x));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('works on integer and byte columns across many blocks', () => {
    const ints = Int32Array.from({ length: 5_000 }, (_, i) => ((i * 7919) % 1000) - (i === 4_321 ? 5_000 : 0));
    const index = new FirstAtMostIndex(ints, ints.length);
    for (const from of [0, 31, 32, 33, 1_000, 4_321, 4_322, 4_999, 5_000]) {
      for (const x of [-5_000, -1, 0, 5, 500, 998, 999]) expect(index.firstAtMost(from, x)).toBe(scan(ints.length, from, (i) => ints[i]! <= x));
    }
    const bytes = new Uint8Array(1_000).fill(1);
    bytes[777] = 0;
    expect(new FirstAtMostIndex(bytes, 1_000).firstAtMost(5, 0)).toBe(777);
    expect(new FirstAtMostIndex(bytes, 1_000).firstAtMost(778, 0)).toBe(1_000);
    expect(new FirstAtMostIndex(new Int32Array(0), 0).firstAtMost(0, 1)).toBe(0);
  });
});

describe('maxSpreadWithin', () => {
  it('is the largest integer spread whose cents are within the threshold', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -1, max: 100, noNaN: true }), fc.integer({ min: 0, max: 1000 }).map((c) => c / 100), fc.constantFrom(0, 0.01, 0.03, 0.3, 3, 2.5, NaN, Infinity, -Infinity, 1e9, 1e300)), (cents) => {
        const s = maxSpreadWithin(cents);
        for (const spread of [1, 2, 3, 99, 100, 101, 299, 300, 301, 1_000, INT32_MAX - 1]) expect(spread <= s).toBe(spread / 100 <= cents);
        if (Number.isFinite(s) && s >= 1 && s < INT32_MAX - 1) {
          expect(s / 100 <= cents).toBe(true);
          expect((s + 1) / 100 <= cents).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});

type Kind = 'ok' | 'zero-bid' | 'zero-ask' | 'crossed' | 'locked' | 'huge';

const rowArb = fc.record({
  dt: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 50 }) }, { weight: 2, arbitrary: fc.constant(0) }),
  bid: fc.integer({ min: 1, max: 2_000 }),
  spread: fc.integer({ min: 1, max: 40 }),
  kind: fc.oneof({ weight: 8, arbitrary: fc.constant<Kind>('ok') }, { weight: 1, arbitrary: fc.constantFrom<Kind>('zero-bid', 'zero-ask', 'crossed', 'locked', 'huge') }),
});

function columnsOf(rows: readonly { dt: number; bid: number; spread: number; kind: Kind }[]): QuoteColumns {
  let t = 1_700_000_000_000;
  const time: number[] = [];
  const bid: number[] = [];
  const ask: number[] = [];
  for (const r of rows) {
    t += r.dt;
    const b = r.bid * 100;
    const a = b + r.spread * 100;
    const [bb, aa] = { ok: [b, a], 'zero-bid': [0, a], 'zero-ask': [b, 0], crossed: [a, b], locked: [b, b], huge: [b, INT32_MAX] }[r.kind];
    time.push(t);
    bid.push(bb!);
    ask.push(aa!);
  }
  const n = rows.length;
  return { length: n, time: Float64Array.from(time), bid: Int32Array.from(bid), ask: Int32Array.from(ask), bidSize: new Int32Array(n), askSize: new Int32Array(n) };
}

describe('QuoteIndex', () => {
  it('answers every query as a scan over the effective snapshots (last of each millisecond)', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 250 }),
        fc.array(fc.record({ from: fc.integer({ min: -3, max: 260 }), limit: fc.integer({ min: 0, max: 210_000 }), cents: fc.constantFrom(0, 0.5, 1, 3, 5, 12.5, 40), bps: fc.constantFrom(0, 1, 5, 20, 100, 5_000, NaN, Infinity), dt: fc.integer({ min: -5, max: 3_000 }) }), { minLength: 1, maxLength: 20 }),
        (rows, queries) => {
          const q = columnsOf(rows);
          const n = q.length;
          const index = new QuoteIndex(q);
          const effective = (i: number): boolean => i === n - 1 || q.time[i + 1] !== q.time[i];
          const tradable = (i: number): boolean => effective(i) && q.bid[i]! > 0 && q.ask[i]! > 0 && q.bid[i]! <= q.ask[i]!;
          const valid = (i: number): boolean => effective(i) && q.bid[i]! > 0 && q.ask[i]! > 0 && q.bid[i]! < q.ask[i]!;
          for (const { from, limit, cents, bps, dt } of queries) {
            expect(index.firstTradable(from)).toBe(scan(n, from, tradable));
            expect(index.firstAskAtMost(from, limit)).toBe(scan(n, from, (i) => tradable(i) && q.ask[i]! <= limit));
            expect(index.firstBidAtLeast(from, limit)).toBe(scan(n, from, (i) => tradable(i) && q.bid[i]! >= limit));
            expect(index.firstAskAbove(from, limit)).toBe(scan(n, from, (i) => tradable(i) && q.ask[i]! > limit));
            expect(index.firstBidBelow(from, limit)).toBe(scan(n, from, (i) => tradable(i) && q.bid[i]! < limit));
            expect(index.firstValid(from)).toBe(scan(n, from, valid));
            expect(index.firstInvalid(from)).toBe(scan(n, from, (i) => effective(i) && !valid(i)));
            const tight = (i: number): boolean => valid(i) && ((q.ask[i]! - q.bid[i]!) / 100 <= cents || spreadBps(quoteAt(q, i)) <= bps);
            expect(index.firstTight(from, cents, bps)).toBe(scan(n, from, tight));
            const t = (n > 0 ? q.time[0]! : 0) + dt;
            expect(index.firstAtOrAfterTime(from, t)).toBe(scan(n, from, (i) => effective(i) && q.time[i]! >= t));
            expect(index.firstEffective(from)).toBe(scan(n, from, effective));
            let before = -1;
            for (let i = 0; i < n; i++) if (q.time[i]! < t) before = i;
            expect(index.lastBefore(t)).toBe(before);
            expect(lastIndexBefore(q.time, n, t)).toBe(before);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is built once per quote columns', () => {
    const q = columnsOf([{ dt: 1, bid: 10, spread: 1, kind: 'ok' }]);
    expect(quoteIndexOf(q)).toBe(quoteIndexOf(q));
    expect(quoteIndexOf(columnsOf([{ dt: 1, bid: 10, spread: 1, kind: 'ok' }]))).not.toBe(quoteIndexOf(q));
  });
});

describe('TradeIndex', () => {
  const trades = (prices: readonly number[], sizes: readonly number[], regular: readonly boolean[] | null = null): TradeColumns => ({
    length: prices.length,
    time: Float64Array.from(prices, (_, i) => 1_000 + i),
    price: Int32Array.from(prices),
    size: Int32Array.from(sizes),
    regular: regular === null ? null : Uint8Array.from(regular, (r) => (r ? 1 : 0)),
  });

  it('finds regular prints at or through a limit and sums regular ranges exactly, as scans do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.boolean()), { maxLength: 300 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.integer({ min: -2, max: 305 }), fc.integer({ min: -2, max: 305 }), fc.integer({ min: 0, max: 3_100_000 })), { minLength: 1, maxLength: 20 }),
        (rows, withConditions, queries) => {
          const tr = trades(rows.map((r) => r[0]), rows.map((r) => r[1]), withConditions ? rows.map((r) => r[2]) : null);
          const regular = (i: number): boolean => !withConditions || rows[i]![2];
          const index = new TradeIndex(tr);
          const n = tr.length;
          for (const [a, b, limit] of queries) {
            expect(index.firstPriceAtMost(a, limit)).toBe(scan(n, a, (i) => regular(i) && tr.price[i]! <= limit));
            expect(index.firstPriceAtLeast(a, limit)).toBe(scan(n, a, (i) => regular(i) && tr.price[i]! >= limit));
            const first = Math.max(0, Math.min(a, b));
            const last = Math.min(n - 1, Math.max(a, b));
            let volume = 0;
            let notional = 0;
            for (let i = first; i <= last; i++) {
              if (!regular(i)) continue;
              volume += tr.size[i]!;
              notional += tr.size[i]! * tr.price[i]!;
            }
            expect(index.rangeSums(first, last)).toEqual({ volume, notional });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('declines prefix sums that could not be exact, and is built once per trade columns', () => {
    const big = trades([2_000_000_000, 2_000_000_000, 3], [2_000_000_000, 2_000_000_000, 1]);
    expect(new TradeIndex(big).rangeSums(0, 2)).toBeNull();
    const small = trades([5, 6], [1, 2]);
    expect(tradeIndexOf(small)).toBe(tradeIndexOf(small));
    expect(tradeIndexOf(small).rangeSums(1, 0)).toEqual({ volume: 0, notional: 0 });
  });
});
