/**
 * The simulated rebalance on hand-built tapes of one day: several lanes on one clock, the sells
 * before the buys they fund, the buys with the sells when the cash covers them, cash never below
 * zero by the fills themselves, and the same inputs giving the same result.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/engine/config.js';
import { alertBounds, rebalanceMachineSettings } from '../../src/engine/rebalance/machine-settings.js';
import type { RebalanceTargets } from '../../src/engine/rebalance/plan-types.js';
import { DEFAULT_FILL_MODEL } from '../../src/sim/fill-model-config.js';
import { runSimRebalance, type SimRebalanceResult } from '../../src/sim/rebalance-driver.js';
import { MIN, SEC, at, buildTape, steadyQuotes } from './tape-builder.js';

const TEN = 30 * MIN; // 10:00 ET: past the open's windows
const AAA = buildTape(steadyQuotes(TEN - SEC, TEN + 5 * MIN, { bid: 50, spread: 0.01, size: 10_000 }), null, { symbol: 'AAA' });
const BBB = buildTape(steadyQuotes(TEN - SEC, TEN + 5 * MIN, { bid: 20, spread: 0.01, size: 10_000 }), null, { symbol: 'BBB' });
const SETTINGS = rebalanceMachineSettings(DEFAULT_CONFIG, ['AAA', 'BBB'], { wholeShares: false, minTradeUsd: 1, driftPct: 0, cashBufferBps: 10 });

function run(targets: RebalanceTargets, positions: Record<string, number>, cashUsd: number): SimRebalanceResult {
  return runSimRebalance(
    { rebalanceId: 'RB', tapes: [AAA, BBB], targets, positions, cash: cashUsd * 10_000, decisionTime: at(TEN), settings: SETTINGS, alertCostBps: alertBounds(DEFAULT_CONFIG, ['AAA', 'BBB']), liquidity: 'conservative' },
    DEFAULT_FILL_MODEL,
    7,
  );
}

/** Cash walked through every fill in time order, as the broker would book it (dollars). */
function cashPath(r: SimRebalanceResult, cashUsd: number): number[] {
  const fills = r.executions.flatMap((e) => e.childOrders.flatMap((c) => c.fills.map((f) => ({ ...f, side: e.side }))));
  let cash = cashUsd;
  return fills.sort((a, b) => a.time - b.time).map((f) => (cash += ((f.side === 'sell' ? 1 : -1) * f.price * f.qty) / 1e13));
}

const firstSubmit = (r: SimRebalanceResult, symbol: string): number => Math.min(...r.executions.find((e) => e.symbol === symbol)!.childOrders.map((c) => c.submittedAt));
const lastFill = (r: SimRebalanceResult, symbol: string): number => Math.max(...r.executions.find((e) => e.symbol === symbol)!.childOrders.flatMap((c) => c.fills.map((f) => f.time)));

describe('runSimRebalance', () => {
  it('with too little cash, buys only after the sells filled, from their proceeds, and never goes below zero', () => {
    const r = run({ kind: 'weights', weights: { AAA: 0, BBB: 0.99 } }, { AAA: 100e9 }, 10);
    expect(r.outcome.status).toBe('completed');
    expect(r.plan.buysCoveredByCash).toBe(false);
    expect(r.executions.map((e) => `${e.executionId} ${e.side} ${e.outcome}`)).toEqual(['RB:AAA sell filled', 'RB:BBB buy filled']);
    expect(r.executions[0]!.filledQty).toBe(100e9);
    expect(firstSubmit(r, 'BBB')).toBeGreaterThanOrEqual(lastFill(r, 'AAA'));
    expect(Math.min(...cashPath(r, 10))).toBeGreaterThanOrEqual(0);
    expect(r.lowestCash).toBeGreaterThanOrEqual(0);
    // The buy spent the proceeds: what is left is under one percent plus the buffer of the equity.
    expect(cashPath(r, 10).at(-1)!).toBeLessThan(0.02 * 5010);
    expect(run({ kind: 'weights', weights: { AAA: 0, BBB: 0.99 } }, { AAA: 100e9 }, 10)).toEqual(r);
  });

  it('with cash covering every buy at its cap, starts the buys with the sells', () => {
    const r = run({ kind: 'weights', weights: { AAA: 0, BBB: 0.3 } }, { AAA: 100e9 }, 10_000);
    expect(r.plan.buysCoveredByCash).toBe(true);
    expect(r.log.map((l) => l.event)).toContain('buys-with-sells');
    expect(firstSubmit(r, 'BBB')).toBe(firstSubmit(r, 'AAA'));
    expect(firstSubmit(r, 'BBB')).toBeLessThan(lastFill(r, 'AAA'));
    expect(r.outcome.status).toBe('completed');
    expect(Math.min(...cashPath(r, 10_000))).toBeGreaterThanOrEqual(0);
  });

  it('refuses tapes of different dates and a symbol without a tape', () => {
    const other = { ...BBB, date: '2024-03-05' };
    expect(() => runSimRebalance({ rebalanceId: 'RB', tapes: [AAA, other], targets: { kind: 'weights', weights: { AAA: 1 } }, positions: {}, cash: 0, decisionTime: at(TEN), settings: SETTINGS, alertCostBps: {}, liquidity: 'conservative' }, DEFAULT_FILL_MODEL, 1)).toThrow(/one date/);
    expect(() => run({ kind: 'weights', weights: { AAA: 0.5, CCC: 0.5 } }, {}, 1000)).toThrow(/CCC/);
  });
});

describe('runSimRebalance when a sell fails', () => {
  it('sizes the buys from the cash there is: a sell that never fills shrinks them', () => {
    // AAA's bid falls 5% 10 ms after the plan and stays there: past the sell's 50 bps guard, so with
    // fallback "stop" it never fills. BBB is calm.
    const falling = buildTape(
      [...steadyQuotes(TEN - SEC, TEN + 10, { bid: 50, spread: 0.01, size: 10_000 }), ...steadyQuotes(TEN + 10, TEN + 5 * MIN, { bid: 47.5, spread: 0.01, size: 10_000 })],
      null,
      { symbol: 'AAA' },
    );
    const config = parseConfig({ ladder: { fallback: { mode: 'stop' } } });
    const settings = rebalanceMachineSettings(config, ['AAA', 'BBB'], { wholeShares: false, minTradeUsd: 1, driftPct: 0, cashBufferBps: 10 });
    const r = runSimRebalance(
      { rebalanceId: 'RB', tapes: [falling, BBB], targets: { kind: 'weights', weights: { AAA: 0, BBB: 0.9 } }, positions: { AAA: 100e9 }, cash: 1000 * 10_000, decisionTime: at(TEN), settings, alertCostBps: alertBounds(config, ['AAA', 'BBB']), liquidity: 'conservative' },
      DEFAULT_FILL_MODEL,
      7,
    );
    const [sell, buy] = r.executions;
    expect(sell!.filledQty).toBe(0);
    const planned = r.plan.buys.find((b) => b.symbol === 'BBB')!;
    // The plan counted on the sell's proceeds; the buy went out for what $1000 affords at its cap.
    expect(planned.qty * 20).toBeGreaterThan(3000e9);
    expect(buy!.qty).toBeLessThan(planned.qty);
    expect((buy!.qty / 1e9) * 20.02).toBeLessThanOrEqual(1000);
    expect((buy!.qty / 1e9) * 20.02).toBeGreaterThan(950);
    expect(Math.min(...cashPath(r, 1000))).toBeGreaterThanOrEqual(0);
    expect(r.outcome.status).toBe('partial');
    expect(r.outcome.reason).toMatch(/AAA sell failed/);
  });
});
