import { describe, expect, it } from 'vitest';
import { CONTEXT_MS, executionSection } from '../../../src/analysis/report/execution-section.js';
import { runSection } from '../../../src/analysis/report/run-section.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { costReport, richReport } from '../../store/fixtures.js';

const T0 = 1_709_303_400_000; // richReport's decision: 2024-03-01 09:30:00 ET

/** Quotes at T0 + the given ms offsets with bids/asks in price units; trades likewise. */
function tapeOf(quotes: [number, number, number][], trades: [number, number, number][]): Tape {
  return {
    symbol: 'TQQQ',
    date: '2024-03-01',
    source: 'test',
    tradesAreBars: false,
    quotes: {
      length: quotes.length,
      time: Float64Array.from(quotes, (q) => T0 + q[0]),
      bid: Int32Array.from(quotes, (q) => q[1]),
      ask: Int32Array.from(quotes, (q) => q[2]),
      bidSize: Int32Array.from(quotes, () => 100),
      askSize: Int32Array.from(quotes, () => 100),
    },
    trades: { length: trades.length, time: Float64Array.from(trades, (t) => T0 + t[0]), price: Int32Array.from(trades, (t) => t[1]), size: Int32Array.from(trades, (t) => t[2]), regular: null },
  };
}

describe('executionSection', () => {
  it('keeps the market of the window (the quote standing at its start included), children and fills in seconds from the decision', () => {
    const r = richReport(); // it lasts 4,250 ms; its last fill is at +2,350 ms
    const last = 4_250 + CONTEXT_MS;
    const tape = tapeOf(
      [[-20_000, 612_000, 612_400], [-6_000, 612_300, 612_500], [-1_000, 0, 612_500], [1_000, 612_400, 612_600], [last, 612_500, 612_700], [last + 1, 1, 2]],
      [[-5_500, 612_400, 10], [-4_000, 612_450, 20], [2_000, 612_600, 30], [last + 1, 612_000, 5]],
    );
    const s = executionSection(r, tape, 'title');
    // -20 s is superseded by -6 s, the quote standing at the window's start (-5 s): the band starts there.
    expect(s.quotes.t).toEqual([-6, -1, 1, last / 1000]);
    expect(s.quotes.bid).toEqual([61.23, null, 61.24, 61.25]);
    expect(s.quotes.ask).toEqual([61.25, 61.25, 61.26, 61.27]);
    expect(s.prints).toEqual({ t: [-4, 2], price: [61.245, 61.26], size: [20, 30] });
    expect(s.children.map((c) => [c.limit, c.from, c.to])).toEqual([[61.255, 0.13, 0.18], [61.26, 0.2, 2.2], [null, 2.3, 4.25]]);
    expect(s.fills).toEqual([
      { t: 0.25, price: 61.26, shares: 0.5, child: 'exec-1:1' },
      { t: 0.9, price: 61.26, shares: 0.25, child: 'exec-1:1' },
      { t: 2.35, price: 61.27, shares: 0.75, child: 'exec-1:2' },
    ]);
    expect(s.arrivalMid).toBeCloseTo(61.24005, 10);
    expect(s.events.map((e) => e.t)).toEqual([0, 0.18, 2.2, 2.3, 2.31]); // 2.31: the fixture's alert entry (issue 12)
    expect(s.note).toBeNull();
    expect(s.originLabel).toBe('09:30:00.000 ET');
  });

  it('without a tape draws orders and fills only, and says why', () => {
    const s = executionSection(richReport(), null, 'title', 'the tape is gone');
    expect(s.quotes.t).toEqual([]);
    expect(s.prints.t).toEqual([]);
    expect(s.fills).toHaveLength(3);
    expect(s.note).toBe('the tape is gone');
  });
});

describe('runSection', () => {
  it('gives each strategy its cost quantiles and its paired difference against market, per liquidity model', () => {
    const reports = [
      // Two orders (decision times 1 and 2) under each model; chargedCostBps is the whole-order cost.
      costReport('m1', 'market', 1, 5, { chargedCostBps: 5, liquidity: 'conservative' }),
      costReport('m2', 'market', 2, 9, { chargedCostBps: 9, liquidity: 'conservative' }),
      costReport('l1', 'ladder', 1, 2, { chargedCostBps: 2, liquidity: 'conservative' }),
      costReport('l2', 'ladder', 2, 10, { chargedCostBps: 10, liquidity: 'conservative' }),
      costReport('n1', 'market', 1, 4, { chargedCostBps: 4, liquidity: 'nominal' }),
      costReport('n2', 'ladder', 1, 1, { chargedCostBps: 1, liquidity: 'nominal' }),
    ];
    const s = runSection(reports, { id: 3, kind: 'sim', command: 'better-orders backtest', seed: 1 });
    expect(s.models.map((m) => m.liquidity)).toEqual(['conservative', 'nominal']);
    const cons = s.models[0]!;
    const at = (values: readonly (number | null)[], p: number): number | null => values[s.q.indexOf(p)]!;
    const market = cons.costs.find((c) => c.strategy === 'market')!;
    expect([at(market.values, 0), at(market.values, 0.5), at(market.values, 1)]).toEqual([5, 7, 9]);
    // Ladder minus market on the same orders: 2 - 5 = -3 and 10 - 9 = 1.
    const paired = cons.vsMarket.find((c) => c.strategy === 'ladder')!;
    expect([at(paired.values, 0), at(paired.values, 0.5), at(paired.values, 1)]).toEqual([-3, -1, 1]);
    expect(cons.vsMarket.map((c) => c.strategy)).toEqual(['ladder']);
    expect(s.models[1]!.vsMarket[0]!.values.every((v) => v === -3)).toBe(true);
    expect(s.table.rows.map((r) => [r[0], r[1]])).toEqual([['market', 'conservative'], ['market', 'nominal'], ['ladder', 'conservative'], ['ladder', 'nominal']]);
    expect(s.strategies).toEqual(['market', 'ladder']);
  });

  it('says so when the run has no market order to pair with', () => {
    const s = runSection([costReport('l1', 'ladder', 1, 2)], { id: 1, kind: 'sim', command: 'c', seed: 1 });
    expect(s.models[0]!.vsMarket).toEqual([]);
    expect(s.notes[0]).toMatch(/no market executions/);
  });
});
