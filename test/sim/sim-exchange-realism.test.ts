/**
 * Market-open realism in the simulated exchange: no matching before the primary exchange's
 * opening quote (fill model `noFillBeforeOpeningQuote`) and none during a halt (`tape.halts`).
 */
import { describe, expect, it } from 'vitest';
import { calendarWindows } from '../../src/engine/execution/calendar-windows.js';
import type { OrderRequest } from '../../src/engine/execution/types.js';
import { DEFAULT_WINDOW_TIMES, type ResolvedWindows } from '../../src/engine/trading-day-windows.js';
import { sharesToQty, type Side } from '../../src/engine/units.js';
import { DEFAULT_FILL_MODEL, fillModelSchema, type FillModelConfig } from '../../src/sim/fill-model-config.js';
import { SimExchange, type VenueReport } from '../../src/sim/sim-exchange.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { OPEN, SEC, at, buildTape, px, steadyQuotes } from './tape-builder.js';
import { fixedLatency, runOn } from './sim-run.js';

const WINDOWS = calendarWindows(OPEN, DEFAULT_WINDOW_TIMES) as ResolvedWindows;
const GATED: Partial<FillModelConfig> = { noFillBeforeOpeningQuote: true };

function venue(tape: Tape, cfg: Partial<FillModelConfig> = {}) {
  const reports: VenueReport[] = [];
  const ex = new SimExchange(tape, { ...DEFAULT_FILL_MODEL, ...cfg }, WINDOWS, () => 0.5, (e) => reports.push(e));
  const fills = (): [number, number, number][] =>
    reports.flatMap((r) => (r.type === 'fill' ? [[r.qty / 1e9, r.price / 10_000, r.time - OPEN] as [number, number, number]] : []));
  return { ex, fills };
}

function order(id: string, side: Side, shares: number, limit: number | null): OrderRequest {
  return { clientOrderId: id, side, type: limit === null ? 'market' : 'limit', qty: sharesToQty(shares), limitPrice: limit === null ? null : px(limit) };
}

/** Away-venue quotes from 09:30, the NYSE opening quote at 09:30:40 (index 2), then normal trading. */
const OPENING_AT = 40 * SEC;
const lateOpen: Tape = {
  ...buildTape(
    [
      { t: 0, bid: 50.0, ask: 50.01, bidSize: 300, askSize: 200 },
      { t: 20 * SEC, bid: 49.98, ask: 50.0, bidSize: 300, askSize: 200 },
      { t: OPENING_AT, bid: 50.01, ask: 50.02, bidSize: 500, askSize: 400 },
      { t: 60 * SEC, bid: 49.99, ask: 50.0, bidSize: 500, askSize: 400 },
    ],
    [{ t: 10 * SEC, price: 49.99, size: 500 }, { t: 50 * SEC, price: 49.99, size: 500 }],
  ),
  openingQuoteTime: at(OPENING_AT),
};

describe('noFillBeforeOpeningQuote', () => {
  it('is off by default and documented in the schema', () => {
    expect(DEFAULT_FILL_MODEL.noFillBeforeOpeningQuote).toBe(false);
    expect(fillModelSchema.parse({ noFillBeforeOpeningQuote: true }).noFillBeforeOpeningQuote).toBe(true);
  });

  it('a market order arriving before the opening quote waits for it, and walks it as if arriving then', () => {
    for (const [cfg, expected] of [
      [{}, [[200, 50.01, 1000], [100, 50.02, 1000]]],
      [GATED, [[300, 50.02, OPENING_AT]]],
    ] as const) {
      const v = venue(lateOpen, cfg);
      v.ex.orderArrives(at(1000), order('m', 'buy', 300, null));
      for (let i = 1; i < 4; i++) v.ex.onQuote(i);
      expect(v.fills()).toEqual(expected);
    }
  });

  it('a resting limit fills neither from quotes nor from prints before the opening quote', () => {
    const free = venue(lateOpen);
    free.ex.orderArrives(at(1000), order('b', 'buy', 100, 50.0));
    free.ex.onTrade(0); // a print through the limit at 09:30:10
    expect(free.fills()).toEqual([[100, 50.0, 10 * SEC]]);

    // Nominal liquidity: once the bid leaves 50.00, nothing is left ahead at the limit, so the ask
    // coming to it fills the order (the queue rules have tests of their own).
    const gated = venue(lateOpen, { ...GATED, liquidity: 'nominal' });
    gated.ex.orderArrives(at(1000), order('b', 'buy', 100, 50.0));
    gated.ex.onTrade(0);
    gated.ex.onQuote(1); // the ask comes down to the limit at 09:30:20, still before the opening quote
    expect(gated.fills()).toEqual([]);
    gated.ex.onQuote(2); // the opening quote: not marketable for a 50.00 bid, so it joins the book
    gated.ex.onQuote(3); // the ask comes down to the limit after the opening: it fills
    expect(gated.fills()).toEqual([[100, 50.0, 60 * SEC]]);
  });

  it('a marketable limit sent before the opening quote takes the opening ask, not its own limit', () => {
    const v = venue(lateOpen, GATED);
    v.ex.orderArrives(at(1000), order('b', 'buy', 100, 50.05));
    v.ex.onQuote(1);
    v.ex.onQuote(2);
    expect(v.fills()).toEqual([[100, 50.02, OPENING_AT]]);
  });

  it('has no effect on a tape that does not know its opening quote', () => {
    for (const openingQuoteTime of [null, undefined]) {
      const v = venue({ ...lateOpen, openingQuoteTime }, GATED);
      v.ex.orderArrives(at(1000), order('m', 'buy', 100, null));
      expect(v.fills()).toEqual([[100, 50.01, 1000]]);
    }
  });

  it('changes the outcome of a whole execution: the market strategy fills at the opening quote, or not at all', () => {
    const tapeOpening = (s: number): Tape => ({ ...buildTape(steadyQuotes(-60 * SEC, 5 * 60 * SEC, { bid: 50, spread: 0.01 })), openingQuoteTime: at(s * SEC) });
    const run = (tape: Tape, fillModel: FillModelConfig) => runOn(tape, { strategy: 'market', decisionMs: 0, fillModel });
    expect(run(tapeOpening(20), fixedLatency()).childOrders[0]!.fills[0]!.time).toBeLessThan(at(SEC));
    expect(run(tapeOpening(20), fixedLatency(GATED)).childOrders[0]!.fills[0]!.time).toBe(at(20 * SEC));
    // An opening quote later than the market order's 30 s working time: it is cancelled unfilled.
    const late = run(tapeOpening(45), fixedLatency(GATED));
    expect([late.outcome, late.filledQty]).toEqual(['failed', 0]);
  });
});

describe('halts recorded on the tape', () => {
  const halted: Tape = { ...lateOpen, halts: [{ start: at(5 * SEC), end: at(OPENING_AT) }] };

  it('an order arriving in a halt rests, even against a marketable quote, until the first quote after it', () => {
    const v = venue(halted);
    v.ex.orderArrives(at(6 * SEC), order('m', 'buy', 100, null));
    v.ex.onTrade(0);
    v.ex.onQuote(1);
    expect(v.fills()).toEqual([]);
    v.ex.onQuote(2);
    expect(v.fills()).toEqual([[100, 50.02, OPENING_AT]]);
  });

  it('an order arriving after the halt but before any later quote still waits: the last quote is from before it', () => {
    const tape: Tape = { ...lateOpen, halts: [{ start: at(21 * SEC), end: at(30 * SEC) }] };
    const v = venue(tape);
    v.ex.orderArrives(at(35 * SEC), order('m', 'buy', 100, null));
    expect(v.fills()).toEqual([]);
    v.ex.onQuote(2);
    expect(v.fills()).toEqual([[100, 50.02, OPENING_AT]]);
  });

  it('a resting order from before the halt fills neither from prints nor from quotes inside it, and again after it', () => {
    const v = venue(halted, { liquidity: 'nominal' }); // nothing ahead once the bid has left the limit
    v.ex.orderArrives(at(1000), order('b', 'buy', 100, 50.0));
    expect(v.fills()).toEqual([]);
    v.ex.onTrade(0); // 09:30:10, inside the halt, through the limit
    v.ex.onQuote(1); // 09:30:20, inside the halt, the ask at the limit
    expect(v.fills()).toEqual([]);
    v.ex.onQuote(2);
    v.ex.onQuote(3); // 09:31:00, after it, the ask at the limit again
    expect(v.fills()).toEqual([[100, 50.0, 60 * SEC]]);
  });
});
