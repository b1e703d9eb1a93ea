import { describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import type { Quote } from '../../src/engine/quote.js';
import type { Side } from '../../src/engine/units.js';
import { chargedCostBps, windowEnd } from '../../src/sim/charged-cost.js';
import { at, buildTape, DATE, MIN, px, SEC, type QuoteRow } from './tape-builder.js';

const SHARE = 1e9;

/** The fields of a report the objective reads; the rest is irrelevant to it. */
function report(o: { side: Side; qty: number; filled: number; avg: number | null; arrival: QuoteRow | null; decisionMs?: number }): ExecutionReport {
  const arrival: Quote | null = o.arrival === null ? null : { time: at(o.arrival.t), bid: px(o.arrival.bid), ask: px(o.arrival.ask), bidSize: 100, askSize: 100 };
  return {
    side: o.side,
    qty: o.qty * SHARE,
    filledQty: o.filled * SHARE,
    decisionTime: at(o.decisionMs ?? 0),
    arrival,
    tca: { arrivalMid: arrival === null ? null : (arrival.bid + arrival.ask) / 2, avgPrice: o.avg === null ? null : px(o.avg) },
  } as unknown as ExecutionReport;
}

/** Positive = cost, in bps of `ref` dollars. */
const bps = (side: Side, price: number, ref: number): number => ((side === 'buy' ? 1 : -1) * (price - ref) * 10_000) / ref;

const ARRIVAL = { t: 0, bid: 10.0, ask: 10.02 };
const TAPE = buildTape([
  { t: -MIN, bid: 9.98, ask: 10.0 },
  ARRIVAL,
  { t: 10 * MIN, bid: 10.3, ask: 10.34 },
  { t: 20 * MIN, bid: 10.5, ask: 10.52 }, // the last valid quote
  { t: 20 * MIN + 1, bid: 0, ask: 10.53 }, // zero bid: skipped
  { t: 20 * MIN + 2, bid: 10.6, ask: 10.55 }, // crossed: skipped
]);

describe('chargedCostBps', () => {
  it('is the shortfall against the arrival mid when filled', () => {
    expect(chargedCostBps(report({ side: 'buy', qty: 100, filled: 100, avg: 10.02, arrival: ARRIVAL }), TAPE)).toBeCloseTo(bps('buy', 10.02, 10.01), 10);
    expect(chargedCostBps(report({ side: 'sell', qty: 100, filled: 100, avg: 10.0, arrival: ARRIVAL }), TAPE)).toBeCloseTo(bps('sell', 10.0, 10.01), 10);
  });

  it("with 'close', charges the unfilled remainder at the far side of the last valid quote of the window, by quantity", () => {
    const half = chargedCostBps(report({ side: 'buy', qty: 100, filled: 40, avg: 10.02, arrival: ARRIVAL }), TAPE, 'close');
    expect(half).toBeCloseTo(0.4 * bps('buy', 10.02, 10.01) + 0.6 * bps('buy', 10.52, 10.01), 10);
    // Nothing filled: all of it at the far side (the bid for a sell).
    expect(chargedCostBps(report({ side: 'sell', qty: 100, filled: 0, avg: null, arrival: ARRIVAL }), TAPE, 'close')).toBeCloseTo(bps('sell', 10.5, 10.01), 10);
    // A run away from a buy makes stopping expensive; the same run makes a stopped sell look good
    // (marked at the close, as if it had waited).
    expect(half).toBeGreaterThan(200);
  });

  it("by default ('close-or-arrival'), never charges a remainder less than the arrival far side", () => {
    // The price ran up: a sell left unfilled is marked at the close's bid, far above arrival.
    const sell = report({ side: 'sell', qty: 100, filled: 0, avg: null, arrival: ARRIVAL });
    expect(chargedCostBps(sell, TAPE, 'close')).toBeLessThan(-400);
    expect(chargedCostBps(sell, TAPE)).toBeCloseTo(bps('sell', 10.0, 10.01), 10);
    // Against the buyer, the close is already the worse of the two.
    const buy = report({ side: 'buy', qty: 100, filled: 40, avg: 10.02, arrival: ARRIVAL });
    expect(chargedCostBps(buy, TAPE)).toBe(chargedCostBps(buy, TAPE, 'close'));
  });

  it('ends the window at the regular close when the tape runs past it', () => {
    const close = etClockToEpoch(DATE, '16:00:00');
    const tape = buildTape([ARRIVAL, { t: close - at(0) - SEC, bid: 10.1, ask: 10.12 }, { t: close - at(0) + MIN, bid: 11, ask: 11.02 }]);
    expect(windowEnd(tape)).toBe(close);
    expect(windowEnd(TAPE)).toBe(at(20 * MIN + 2));
    expect(chargedCostBps(report({ side: 'buy', qty: 10, filled: 0, avg: null, arrival: ARRIVAL }), tape)).toBeCloseTo(bps('buy', 10.12, 10.01), 10);
  });

  it('without an arrival quote, uses the first valid quote after the decision; with none, charges 0', () => {
    const tape = buildTape([
      { t: 0, bid: 0, ask: 10.02 },
      { t: SEC, bid: 10.04, ask: 10.04 }, // locked: not valid
      { t: 2 * SEC, bid: 10.04, ask: 10.08 }, // the reference: mid 10.06
      { t: 3 * SEC, bid: 10.1, ask: 10.12 },
    ]);
    const r = report({ side: 'buy', qty: 10, filled: 0, avg: null, arrival: null });
    expect(chargedCostBps(r, tape)).toBeCloseTo(bps('buy', 10.12, 10.06), 10);
    const noValid = buildTape([{ t: 0, bid: 0, ask: 10.02 }, { t: SEC, bid: 10.1, ask: 10.05 }]);
    expect(chargedCostBps(r, noValid)).toBe(0);
  });
});
