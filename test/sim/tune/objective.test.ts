import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import type { Quote } from '../../../src/engine/quote.js';
import type { Side } from '../../../src/engine/units.js';
import type { BacktestPlan } from '../../../src/sim/backtest.js';
import { fillModelSchema } from '../../../src/sim/fill-model-config.js';
import { cachePlanTapes, evaluateCandidate, openKeysOf } from '../../../src/sim/tune/evaluate.js';
import { aggregate, objectiveCostBps, summarizeCosts, windowEnd } from '../../../src/sim/tune/objective.js';
import { at, buildTape, DATE, MIN, px, SEC, steadyQuotes, type QuoteRow } from '../tape-builder.js';

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

describe('objectiveCostBps', () => {
  it('is the shortfall against the arrival mid when filled', () => {
    expect(objectiveCostBps(report({ side: 'buy', qty: 100, filled: 100, avg: 10.02, arrival: ARRIVAL }), TAPE)).toBeCloseTo(bps('buy', 10.02, 10.01), 10);
    expect(objectiveCostBps(report({ side: 'sell', qty: 100, filled: 100, avg: 10.0, arrival: ARRIVAL }), TAPE)).toBeCloseTo(bps('sell', 10.0, 10.01), 10);
  });

  it("with 'close', charges the unfilled remainder at the far side of the last valid quote of the window, by quantity", () => {
    const half = objectiveCostBps(report({ side: 'buy', qty: 100, filled: 40, avg: 10.02, arrival: ARRIVAL }), TAPE, 'close');
    expect(half).toBeCloseTo(0.4 * bps('buy', 10.02, 10.01) + 0.6 * bps('buy', 10.52, 10.01), 10);
    // Nothing filled: all of it at the far side (the bid for a sell).
    expect(objectiveCostBps(report({ side: 'sell', qty: 100, filled: 0, avg: null, arrival: ARRIVAL }), TAPE, 'close')).toBeCloseTo(bps('sell', 10.5, 10.01), 10);
    // A run away from a buy makes stopping expensive; the same run makes a stopped sell look good
    // (marked at the close, as if it had waited).
    expect(half).toBeGreaterThan(200);
  });

  it("by default ('close-or-arrival'), never charges a remainder less than the arrival far side", () => {
    // The price ran up: a sell left unfilled is marked at the close's bid, far above arrival.
    const sell = report({ side: 'sell', qty: 100, filled: 0, avg: null, arrival: ARRIVAL });
    expect(objectiveCostBps(sell, TAPE, 'close')).toBeLessThan(-400);
    expect(objectiveCostBps(sell, TAPE)).toBeCloseTo(bps('sell', 10.0, 10.01), 10);
    // Against the buyer, the close is already the worse of the two.
    const buy = report({ side: 'buy', qty: 100, filled: 40, avg: 10.02, arrival: ARRIVAL });
    expect(objectiveCostBps(buy, TAPE)).toBe(objectiveCostBps(buy, TAPE, 'close'));
  });

  it('ends the window at the regular close when the tape runs past it', () => {
    const close = etClockToEpoch(DATE, '16:00:00');
    const tape = buildTape([ARRIVAL, { t: close - at(0) - SEC, bid: 10.1, ask: 10.12 }, { t: close - at(0) + MIN, bid: 11, ask: 11.02 }]);
    expect(windowEnd(tape)).toBe(close);
    expect(windowEnd(TAPE)).toBe(at(20 * MIN + 2));
    expect(objectiveCostBps(report({ side: 'buy', qty: 10, filled: 0, avg: null, arrival: ARRIVAL }), tape)).toBeCloseTo(bps('buy', 10.12, 10.01), 10);
  });

  it('without an arrival quote, uses the first valid quote after the decision; with none, charges 0', () => {
    const tape = buildTape([
      { t: 0, bid: 0, ask: 10.02 },
      { t: SEC, bid: 10.04, ask: 10.04 }, // locked: not valid
      { t: 2 * SEC, bid: 10.04, ask: 10.08 }, // the reference: mid 10.06
      { t: 3 * SEC, bid: 10.1, ask: 10.12 },
    ]);
    const r = report({ side: 'buy', qty: 10, filled: 0, avg: null, arrival: null });
    expect(objectiveCostBps(r, tape)).toBeCloseTo(bps('buy', 10.12, 10.06), 10);
    const noValid = buildTape([{ t: 0, bid: 0, ask: 10.02 }, { t: SEC, bid: 10.1, ask: 10.05 }]);
    expect(objectiveCostBps(r, noValid)).toBe(0);
  });
});

describe('aggregate', () => {
  it('matches hand computations', () => {
    expect(aggregate([1, 2, 3, 4], 'mean')).toBe(2.5);
    // p90 of 1..10: position 0.9 x 9 = 8.1 between the 9th and 10th values.
    expect(aggregate([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 'p90')).toBeCloseTo(9.1, 12);
    expect(aggregate([5], 'p90')).toBe(5);
    // CVaR95: the worst ceil(5% of n) values, at least one.
    expect(aggregate(Float64Array.from({ length: 10 }, (_, i) => i + 1), 'cvar95')).toBe(10);
    expect(aggregate(Array.from({ length: 40 }, (_, i) => 40 - i), 'cvar95')).toBe(39.5);
    expect(aggregate(Array.from({ length: 21 }, (_, i) => i), 'cvar95')).toBe(19.5);
    expect(aggregate([-3, -1, -2], 'cvar95')).toBe(-1);
    for (const o of ['mean', 'p90', 'cvar95'] as const) expect(aggregate([], o)).toBeNaN();
  });
});

describe('summarizeCosts', () => {
  it('summarises the chosen executions only', () => {
    const outcome = { costs: Float64Array.from([1, 100, 3, 5]), filled: Uint8Array.from([1, 0, 1, 0]), fallback: Uint8Array.from([0, 1, 1, 0]) };
    const s = summarizeCosts(outcome, [0, 2, 3], 'cvar95');
    expect(s.objective).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.fillRate).toBeCloseTo(2 / 3, 12);
    expect(s.fallbackRate).toBeCloseTo(1 / 3, 12);
    expect(s.executions).toBe(3);
    // t(2) = 4.303, sd 2, n 3.
    expect(s.meanCi95![0]).toBeCloseTo(3 - (4.303 * 2) / Math.sqrt(3), 10);
    expect(summarizeCosts(outcome, [], 'mean').executions).toBe(0);
  });
});

describe('unfilled executions are charged, so not trading does not win', () => {
  // The price runs away from a buyer: +1 cent every 200 ms, only 100 shares shown at each price,
  // and a remainder that rests instead of walking the book.
  const tape = buildTape(steadyQuotes(-MIN, 30 * MIN, { bid: 20, spread: 0.01, everyMs: 200, driftPerQuote: 0.01, size: 100 }));
  const plan: BacktestPlan = cachePlanTapes({
    tapes: [{ label: 'run-up', load: () => tape }],
    sides: ['buy'],
    quantities: [1000 * SHARE],
    decisionTimes: ['09:33:00'],
    strategies: ['ladder'],
    config: DEFAULT_CONFIG,
    fillModel: fillModelSchema.parse({ remainder: 'rest' }),
    seed: 1,
  });
  const stop = { 'fallback.mode': 'stop', maxRepegs: 0, aggressionTicks: 0 };

  it('scores a stop-early configuration worse than the default on a run-away tape', () => {
    const base = evaluateCandidate(plan, null);
    const stopped = evaluateCandidate(plan, stop);
    expect(openKeysOf(plan)).toEqual([`TQQQ|${DATE}`]);
    expect(base.filled[0]).toBe(1);
    expect(stopped.filled[0]).toBe(0);
    expect(stopped.fallback[0]).toBe(0);
    expect(stopped.costs[0]!).toBeGreaterThan(base.costs[0]! + 100);
  });

  it('is deterministic', () => {
    expect(evaluateCandidate(plan, stop)).toEqual(evaluateCandidate(plan, stop));
  });
});
