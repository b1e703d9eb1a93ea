/**
 * The indexed sim driver skips the quotes and prints that cannot change anything, and jumps to the
 * next one that can. These properties hold it to the straightforward semantics: on random tapes
 * (random walks with crossed, zero-side, locked and stale quotes, same-millisecond bursts, trade
 * prints at and through the book, halts, opening quotes, bar trades, no trades), random ladder
 * configurations, fill models (both liquidity models) and decision times, every strategy's report
 * deep-equals the one of the reference driver, which replays every quote and print
 * (test/sim/reference-driver.ts) into the same exchange.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ladderParamsFor, parseConfig, type BetterOrdersConfig } from '../../src/engine/config.js';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { STRATEGIES, strategySettings } from '../../src/engine/strategies/strategy-settings.js';
import { addTicks } from '../../src/engine/tick.js';
import { sharesToQty, type Side } from '../../src/engine/units.js';
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../../src/sim/fill-model-config.js';
import { runSimExecution, type SimExecutionRequest } from '../../src/sim/sim-driver.js';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { runReferenceExecution } from './reference-driver.js';
import { DATE, OPEN, SEC, at } from './tape-builder.js';

type Anomaly = 'none' | 'crossed' | 'zero-bid' | 'zero-ask' | 'locked';

const stepArb = fc.record({
  // Mostly sub-second updates, bursts in one millisecond, stale gaps, now and then a long silence.
  dt: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 1500 }) },
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 4000, max: 12_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 70_000 }) },
  ),
  move: fc.integer({ min: -3, max: 3 }),
  spread: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 2, arbitrary: fc.integer({ min: 4, max: 12 }) }),
  bidSize: fc.integer({ min: 0, max: 600 }),
  askSize: fc.integer({ min: 0, max: 600 }),
  anomaly: fc.oneof(
    { weight: 10, arbitrary: fc.constant<Anomaly>('none') },
    { weight: 1, arbitrary: fc.constantFrom<Anomaly>('crossed', 'zero-bid', 'zero-ask', 'locked') },
  ),
  /** Prints after this quote: offset within the gap to the next quote (0 = same millisecond), ticks from the book. */
  prints: fc.array(
    fc.record({ offset: fc.double({ min: 0, max: 1, noNaN: true }), pos: fc.integer({ min: -3, max: 4 }), size: fc.integer({ min: 1, max: 500 }), regular: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }),
    { maxLength: 3 },
  ),
});

const windowsArb = fc.constantFrom(
  { waitForSpreadsEnd: '09:32:00', normalEnd: '09:35:00' },
  { waitForSpreadsEnd: '09:30:20', normalEnd: '09:31:00' },
  { waitForSpreadsEnd: '09:34:00', normalEnd: '09:34:00' },
);

const ladderArb = fc.record({
  timeouts: fc.record({ openMs: fc.constantFrom<number>(150, 800, 2_000), normalMs: fc.constantFrom<number>(300, 3_000, 9_000) }),
  maxRepegs: fc.integer({ min: 0, max: 4 }),
  aggressionTicks: fc.integer({ min: 0, max: 3 }),
  escalationTicksPerRepeg: fc.integer({ min: 0, max: 2 }),
  repegMode: fc.constantFrom('cancel' as const, 'replace' as const),
  spread: fc.constantFrom(
    { tightCents: 3, wideCents: 5, tightBps: 5, wideBps: 15 },
    { tightCents: 1, wideCents: 2, tightBps: 0.5, wideBps: 1 },
    { tightCents: 0, wideCents: 4, tightBps: 2, wideBps: 2 },
    { tightCents: 2.5, wideCents: 9, tightBps: 40, wideBps: 90 },
    { tightCents: 0.015, wideCents: 0.5, tightBps: 0, wideBps: 0 },
  ),
  windows: windowsArb,
  openWaitMs: fc.constantFrom<number>(0, 3_000, 60_000, 120_000, 900_000),
  maxSlippageBps: fc.constantFrom<number | null>(null, 10, 50, 200),
  fallback: fc.record({ mode: fc.constantFrom('market' as const, 'stop' as const, 'limit-at-guard' as const), timeoutMs: fc.constantFrom<number>(1, 2_000, 30_000) }),
  maxQuoteAgeMs: fc.constantFrom<number>(1, 300, 2_000, 5_000, 60_000),
  quoteWaitMs: fc.constantFrom<number>(0, 1_500, 30_000, 200_000),
  premarketAssessment: fc.record({
    enabled: fc.boolean(),
    tight: fc.record({ waitMs: fc.constantFrom<number>(0, 1_000), slippageBudgetBps: fc.constantFrom<number>(5) }),
    normal: fc.record({ waitMs: fc.constantFrom<number>(0, 20_000, 60_000), slippageBudgetBps: fc.constantFrom<number>(10) }),
    wide: fc.record({ waitMs: fc.constantFrom<number>(5_000, 120_000, 600_000), slippageBudgetBps: fc.constantFrom<number>(15) }),
  }),
});

const fillModelArb = fc.record({
  liquidity: fc.constantFrom('conservative' as const, 'nominal' as const),
  remainder: fc.constantFrom('walk' as const, 'rest' as const),
  tradeFills: fc.boolean(),
  rejectRate: fc.constantFrom<number>(0, 0, 0, 0.3),
  sellableShares: fc.constantFrom<number | null>(null, null, 50),
  noFillBeforeOpeningQuote: fc.boolean(),
  latency: fc.record({
    submitMs: fc.constantFrom<number>(0, 40, 900),
    cancelMs: fc.constantFrom<number>(0, 40, 900),
    replaceMs: fc.constantFrom<number>(0, 40, 900),
    reportMs: fc.constantFrom<number>(0, 15, 300),
    jitterMs: fc.constantFrom<number>(0, 25),
    openMultiplier: fc.constantFrom<number>(1, 3),
    openDecayMs: fc.constantFrom<number>(60_000),
  }),
});

const scenarioArb = fc.record({
  base: fc.constantFrom<number>(500_000, 10_000, 2_000_000, 50_000), // $50, $1.00 (sub-penny below), $200, $5
  startMs: fc.integer({ min: -90 * SEC, max: 4 * 60 * SEC }),
  steps: fc.array(stepArb, { minLength: 5, maxLength: 160 }),
  trades: fc.constantFrom('ticks', 'ticks', 'ticks', 'bars', 'none'),
  halt: fc.option(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), lengthMs: fc.integer({ min: 1, max: 90_000 }) }), { freq: 4 }),
  openingQuote: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { freq: 3 }),
  decisions: fc.array(fc.double({ min: -0.15, max: 1.05, noNaN: true }), { minLength: 1, maxLength: 3 }),
  side: fc.constantFrom<Side>('buy', 'sell'),
  milliShares: fc.integer({ min: 1, max: 1_500_000 }),
  ladder: ladderArb,
  fillModel: fillModelArb,
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function tapeOf(s: Scenario): Tape {
  const q = { time: [] as number[], bid: [] as number[], ask: [] as number[], bidSize: [] as number[], askSize: [] as number[] };
  const tr = { time: [] as number[], price: [] as number[], size: [] as number[], regular: [] as number[] };
  let t = at(s.startMs);
  let level = 0;
  s.steps.forEach((st, i) => {
    level = Math.max(-500, Math.min(500, level + st.move));
    const bid = addTicks(s.base, level);
    const ask = addTicks(bid, st.spread);
    const sides: Record<Anomaly, [number, number]> = { none: [bid, ask], crossed: [ask, bid], 'zero-bid': [0, ask], 'zero-ask': [bid, 0], locked: [bid, bid] };
    const [b, a] = sides[st.anomaly];
    q.time.push(t);
    q.bid.push(b);
    q.ask.push(a);
    q.bidSize.push(st.bidSize);
    q.askSize.push(st.askSize);
    const gap = s.steps[i + 1]?.dt ?? 1000;
    for (const p of [...st.prints].sort((x, y) => x.offset - y.offset)) {
      tr.time.push(t + Math.floor(p.offset * gap));
      tr.price.push(p.pos <= 0 ? addTicks(bid, p.pos) : addTicks(ask, p.pos - 1));
      tr.size.push(p.size);
      tr.regular.push(p.regular === false ? 0 : 1);
    }
    t += gap;
  });
  const first = q.time[0]!;
  const last = q.time[q.time.length - 1]!;
  const span = Math.max(1, last - first);
  const halts = s.halt === null ? undefined : [{ start: Math.round(first + s.halt.at * span), end: Math.round(first + s.halt.at * span) + s.halt.lengthMs }];
  return {
    symbol: 'TQQQ',
    date: DATE,
    source: 'test:equivalence',
    quotes: { length: q.time.length, time: Float64Array.from(q.time), bid: Int32Array.from(q.bid), ask: Int32Array.from(q.ask), bidSize: Int32Array.from(q.bidSize), askSize: Int32Array.from(q.askSize) },
    trades:
      s.trades === 'none'
        ? null
        : { length: tr.time.length, time: Float64Array.from(tr.time), price: Int32Array.from(tr.price), size: Int32Array.from(tr.size), regular: Uint8Array.from(tr.regular) },
    tradesAreBars: s.trades === 'bars',
    openingQuoteTime: s.openingQuote === null ? null : Math.round(first + s.openingQuote * span),
    ...(halts === undefined ? {} : { halts }),
  };
}

function request(tape: Tape, config: BetterOrdersConfig, strategy: (typeof STRATEGIES)[number], side: Side, qty: number, decisionTime: number): SimExecutionRequest {
  return {
    executionId: `eq-${strategy}-${decisionTime}`,
    strategy,
    symbol: tape.symbol,
    date: tape.date,
    side,
    qty,
    decisionTime,
    settings: strategySettings(strategy, config, tape.symbol),
    alertCostBps: ladderParamsFor(config, tape.symbol).alertCostBps,
  };
}

/** What the generated runs went through, so the property is known to reach the skipped waits. */
const seen = { runs: 0, fills: 0, spreadWaits: 0, quoteWaits: 0, tightGo: 0, boundGo: 0, repegs: 0 };

function tally(r: ExecutionReport): void {
  seen.runs++;
  if (r.filledQty > 0) seen.fills++;
  if (r.repegs > 0) seen.repegs++;
  const kinds = new Set(r.events.map((e) => e.kind));
  if (kinds.has('await-spread')) seen.spreadWaits++;
  if (kinds.has('await-quote')) seen.quoteWaits++;
  if (r.events.some((e) => e.kind === 'go' && e.detail.startsWith('spread tight'))) seen.tightGo++;
  if (r.events.some((e) => e.kind === 'go' && e.detail.includes('wait bound'))) seen.boundGo++;
}

describe('the indexed sim driver equals stepping every quote', () => {
  it('gives deep-equal reports on random tapes, configurations, fill models and decisions', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const tape = tapeOf(s);
        const fallback = s.ladder.maxSlippageBps === null && s.ladder.fallback.mode === 'limit-at-guard' ? { ...s.ladder.fallback, mode: 'market' } : s.ladder.fallback;
        const config = parseConfig({ ladder: { ...s.ladder, fallback } });
        const model: FillModelConfig = { ...DEFAULT_FILL_MODEL, ...s.fillModel };
        const first = tape.quotes.time[0]!;
        const last = tape.quotes.time[tape.quotes.length - 1]!;
        for (const d of s.decisions) {
          const decisionTime = Math.round(first + d * (last - first));
          for (const strategy of STRATEGIES) {
            const req = request(tape, config, strategy, s.side, s.milliShares * 1_000_000, decisionTime);
            const expected = runReferenceExecution(tape, req, model, s.seed);
            const actual = runSimExecution(tape, req, model, s.seed);
            expect(actual).toStrictEqual(expected);
            tally(actual);
          }
        }
      }),
      { numRuns: Number(process.env.EQ_RUNS ?? 500) },
    );
    // The generator must reach the waits the driver skips through, and real trading.
    expect(seen.spreadWaits).toBeGreaterThan(100);
    expect(seen.quoteWaits).toBeGreaterThan(50);
    expect(seen.tightGo).toBeGreaterThan(30);
    expect(seen.boundGo).toBeGreaterThan(10);
    expect(seen.fills).toBeGreaterThan(500);
    expect(seen.repegs).toBeGreaterThan(100);
  });
});

describe('re-pegs racing dense prints', () => {
  // Replace mode keeps an order working while its limit moves: prints that could not touch the old
  // limit must never reach the new one after the fact.
  it('gives deep-equal reports when limits move through a stream of prints', () => {
    const denseArb = scenarioArb.map((s) => ({
      ...s,
      trades: 'ticks' as const,
      halt: null,
      ladder: { ...s.ladder, repegMode: 'replace' as const, escalationTicksPerRepeg: 1 + (s.ladder.escalationTicksPerRepeg % 2), maxRepegs: Math.max(2, s.ladder.maxRepegs), maxQuoteAgeMs: 60_000, quoteWaitMs: 30_000 },
      fillModel: { ...s.fillModel, tradeFills: true, remainder: 'rest' as const, rejectRate: 0, sellableShares: null },
      milliShares: 200_000 + (s.milliShares % 2_000_000),
    }));
    const printsArb = fc.array(fc.record({ offset: fc.double({ min: 0, max: 1, noNaN: true }), pos: fc.integer({ min: -2, max: 5 }), size: fc.integer({ min: 1, max: 300 }), regular: fc.boolean() }), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(denseArb, fc.array(printsArb, { minLength: 160, maxLength: 160 }), (base, prints) => {
        const s = { ...base, steps: base.steps.map((st, i) => ({ ...st, anomaly: 'none' as const, dt: Math.min(st.dt, 900), prints: prints[i]! })) };
        const tape = tapeOf(s);
        const config = parseConfig({ ladder: { ...s.ladder, fallback: { ...s.ladder.fallback, mode: 'market' } } });
        const model: FillModelConfig = { ...DEFAULT_FILL_MODEL, ...s.fillModel };
        const first = tape.quotes.time[0]!;
        const last = tape.quotes.time[tape.quotes.length - 1]!;
        for (const d of s.decisions) {
          const req = request(tape, config, 'ladder', s.side, s.milliShares * 1_000_000, Math.round(first + d * (last - first)));
          expect(runSimExecution(tape, req, model, s.seed)).toStrictEqual(runReferenceExecution(tape, req, model, s.seed));
        }
      }),
      { numRuns: Number(process.env.EQ_RUNS ?? 300) },
    );
  });
});

const AIG = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'quotes', 'equity', 'usa', 'tick', 'aig', '20131007_quote.zip');

describe.skipIf(!existsSync(AIG))('on the real AIG 2013-10-07 tick tape', () => {
  it('gives the reference reports for decisions across the open, both sides, every strategy', () => {
    const tape = loadTape(AIG);
    const open = etClockToEpoch(tape.date, '09:30:00');
    const configs = [DEFAULT_CONFIG, parseConfig({ ladder: { repegMode: 'replace', spread: { tightCents: 1, wideCents: 2, tightBps: 1, wideBps: 2 }, timeouts: { openMs: 300, normalMs: 500 } } })];
    const model: FillModelConfig = { ...DEFAULT_FILL_MODEL, remainder: 'rest', liquidity: 'nominal' };
    let n = 0;
    for (const config of configs) {
      for (let k = 0; k < 24; k++) {
        // Every 77 s from 09:28, so decisions fall before the open, in each window and later.
        const decisionTime = open - 2 * 60 * SEC + k * 77 * SEC;
        for (const side of ['buy', 'sell'] as const) {
          for (const strategy of STRATEGIES) {
            for (const fm of [DEFAULT_FILL_MODEL, model]) {
              const req = request(tape, config, strategy, side, sharesToQty(k % 2 === 0 ? 500 : 20_000), decisionTime);
              expect(runSimExecution(tape, req, fm, 7)).toStrictEqual(runReferenceExecution(tape, req, fm, 7));
              n++;
            }
          }
        }
      }
    }
    expect(n).toBe(768);
  });
});
