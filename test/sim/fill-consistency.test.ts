/**
 * Fill consistency, as a property over generated tapes: whatever the strategy, the market and the
 * fill model, every fill respects its child's limit and the NBBO of its moment, never comes before
 * the order could have reached the venue, and the execution never overfills. Runs are
 * deterministic per seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { STRATEGIES } from '../../src/engine/strategies/strategy-settings.js';
import { addTicks } from '../../src/engine/tick.js';
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../../src/sim/fill-model-config.js';
import { LatencyModel } from '../../src/sim/latency-model.js';
import { runSimExecution } from '../../src/sim/sim-driver.js';
import { lastIndexAtOrBefore, type Tape } from '../../src/sim/tape/tape.js';
import { DATE, OPEN, SEC, at, buildTape, steadyQuotes } from './tape-builder.js';
import { simRequest } from './sim-run.js';

type Anomaly = 'none' | 'crossed' | 'zero-bid' | 'zero-ask' | 'locked';

interface Step {
  readonly dt: number;
  readonly move: number;
  readonly spread: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly anomaly: Anomaly;
  /** Prints after this quote: offset within the gap to the next quote (0 = same millisecond). */
  readonly prints: readonly { readonly offset: number; readonly pos: number; readonly size: number }[];
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  // Mostly sub-second updates, some in the same millisecond, now and then a stale gap.
  dt: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 1500 }) }, { weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 5000, max: 12000 }) }),
  move: fc.integer({ min: -3, max: 3 }),
  spread: fc.integer({ min: 1, max: 6 }),
  bidSize: fc.integer({ min: 0, max: 600 }),
  askSize: fc.integer({ min: 0, max: 600 }),
  anomaly: fc.oneof({ weight: 12, arbitrary: fc.constant<Anomaly>('none') }, { weight: 1, arbitrary: fc.constantFrom<Anomaly>('crossed', 'zero-bid', 'zero-ask', 'locked') }),
  prints: fc.array(fc.record({ offset: fc.double({ min: 0, max: 1, noNaN: true }), pos: fc.integer({ min: -2, max: 3 }), size: fc.integer({ min: 1, max: 500 }) }), { maxLength: 3 }),
});

const scenarioArb = fc.record({
  base: fc.constantFrom(500_000, 10_000, 2_000_000), // $50, $1.00 (sub-penny below), $200
  startMs: fc.integer({ min: -40 * SEC, max: 5 * 60 * SEC }),
  steps: fc.array(stepArb, { minLength: 20, maxLength: 120 }),
  decisionAt: fc.double({ min: -0.1, max: 0.9, noNaN: true }),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  milliShares: fc.integer({ min: 1, max: 1_500_000 }),
  remainder: fc.constantFrom('walk' as const, 'rest' as const),
  tradeFills: fc.boolean(),
  rejectRate: fc.constantFrom(0, 0, 0, 0.3),
  ladder: fc.record({
    aggressionTicks: fc.integer({ min: 0, max: 3 }),
    maxRepegs: fc.integer({ min: 0, max: 3 }),
    maxSlippageBps: fc.constantFrom(10, 50, 200),
    fallback: fc.record({ mode: fc.constantFrom('market', 'limit-at-guard', 'stop') }),
  }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds the tape in price units directly (the builder's rows are in dollars). */
function tapeOf(s: Scenario): Tape {
  const q = { time: [] as number[], bid: [] as number[], ask: [] as number[], bidSize: [] as number[], askSize: [] as number[] };
  const tr = { time: [] as number[], price: [] as number[], size: [] as number[] };
  let t = at(s.startMs);
  let level = 0;
  s.steps.forEach((st, i) => {
    level = Math.max(-500, Math.min(500, level + st.move));
    const bid = addTicks(s.base, level);
    const ask = addTicks(bid, st.spread);
    const [b, a] = { none: [bid, ask], crossed: [ask, bid], 'zero-bid': [0, ask], 'zero-ask': [bid, 0], locked: [bid, bid] }[st.anomaly];
    q.time.push(t);
    q.bid.push(b!);
    q.ask.push(a!);
    q.bidSize.push(st.bidSize);
    q.askSize.push(st.askSize);
    const gap = s.steps[i + 1]?.dt ?? 1000;
    for (const p of [...st.prints].sort((x, y) => x.offset - y.offset)) {
      tr.time.push(t + Math.floor(p.offset * gap));
      tr.price.push(p.pos <= 0 ? addTicks(bid, p.pos) : addTicks(ask, p.pos - 1));
      tr.size.push(p.size);
    }
    t += gap;
  });
  return {
    symbol: 'TQQQ',
    date: DATE,
    source: 'test:generated',
    quotes: { length: q.time.length, time: Float64Array.from(q.time), bid: Int32Array.from(q.bid), ask: Int32Array.from(q.ask), bidSize: Int32Array.from(q.bidSize), askSize: Int32Array.from(q.askSize) },
    trades: { length: tr.time.length, time: Float64Array.from(tr.time), price: Int32Array.from(tr.price), size: Int32Array.from(tr.size), regular: null },
    tradesAreBars: false,
  };
}

function checkFills(tape: Tape, r: ExecutionReport, model: FillModelConfig): void {
  const minLatency = new LatencyModel(model.latency, OPEN, () => 0);
  const q = tape.quotes;
  let total = 0;
  for (const c of r.childOrders) {
    let childTotal = 0;
    for (const f of c.fills) {
      total += f.qty;
      childTotal += f.qty;
      expect(f.qty).toBeGreaterThan(0);
      // Within the child's limit.
      if (c.limitPrice !== null) {
        if (r.side === 'buy') expect(f.price).toBeLessThanOrEqual(c.limitPrice);
        else expect(f.price).toBeGreaterThanOrEqual(c.limitPrice);
      }
      // Never through the NBBO prevailing at the fill, read from the tape itself.
      const i = lastIndexAtOrBefore(q.time, q.length, f.time);
      expect(i).toBeGreaterThanOrEqual(0);
      if (r.side === 'buy') expect(f.price).toBeGreaterThanOrEqual(q.bid[i]!);
      else expect(f.price).toBeLessThanOrEqual(q.ask[i]!);
      expect([f.bid, f.ask]).toEqual([q.bid[i], q.ask[i]]);
      // Not before the order could have reached the venue.
      expect(f.time).toBeGreaterThanOrEqual(c.submittedAt + minLatency.draw('submit', c.submittedAt));
    }
    expect(childTotal).toBeLessThanOrEqual(c.qty);
  }
  expect(total).toBeLessThanOrEqual(r.qty);
  expect(r.filledQty).toBe(total);
  expect(r.filledQty).toBeLessThanOrEqual(r.qty);
}

describe('fill consistency on generated tapes', () => {
  it('holds for every strategy, and the same tape and seed give the same report', () => {
    let withFills = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const tape = tapeOf(s);
        const first = tape.quotes.time[0]!;
        const last = tape.quotes.time[tape.quotes.length - 1]!;
        const decisionMs = Math.round(first + s.decisionAt * (last - first)) - OPEN;
        const model: FillModelConfig = { ...DEFAULT_FILL_MODEL, remainder: s.remainder, tradeFills: s.tradeFills, rejectRate: s.rejectRate };
        const config = parseConfig({ ladder: s.ladder });
        for (const strategy of STRATEGIES) {
          const req = simRequest(tape, { strategy, config, side: s.side, shares: s.milliShares / 1000, decisionMs });
          const r = runSimExecution(tape, req, model, s.seed);
          checkFills(tape, r, model);
          if (r.filledQty > 0) withFills++;
          expect(runSimExecution(tape, req, model, s.seed)).toEqual(r);
        }
      }),
      { numRuns: 200 },
    );
    // The generator must actually exercise fills, not just failures.
    expect(withFills).toBeGreaterThan(200);
  });
});

describe('seeds', () => {
  it('a different seed draws different latencies on the same tape', () => {
    const tape = buildTape(steadyQuotes(29 * 60 * SEC, 32 * 60 * SEC, { bid: 50, spread: 0.01, everyMs: 200, size: 1000 }));
    const arrive = (seed: number): number[] => {
      const req = simRequest(tape, { strategy: 'ladder', decisionMs: 30 * 60 * SEC, shares: 100 });
      const r = runSimExecution(tape, req, DEFAULT_FILL_MODEL, seed);
      return r.childOrders.map((c) => c.fills[0]!.time - c.submittedAt);
    };
    const latencies = [1, 2, 3, 4, 5].map(arrive);
    expect(new Set(latencies.map((l) => l.join())).size).toBeGreaterThan(1);
    expect(arrive(3)).toEqual(latencies[2]);
  });
});
