import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cashOf } from '../../../src/engine/rebalance/ledger.js';
import { planRebalance } from '../../../src/engine/rebalance/plan.js';
import type { RebalanceInput } from '../../../src/engine/rebalance/plan-types.js';
import { machineSettings, RebalanceHarness } from './rebalance-harness.js';
import { portfolioArb } from './portfolio-arbitraries.js';

/** Ladder settings a rebalance may run with: re-peg counts, both re-peg modes, every fallback. */
const ladderArb = fc.record({
  maxRepegs: fc.integer({ min: 0, max: 2 }),
  repegMode: fc.constantFrom('cancel', 'replace'),
  fallback: fc.constantFrom({ mode: 'market' }, { mode: 'limit-at-guard' }, { mode: 'stop' }),
  premarketAssessment: fc.constant({ enabled: false }),
});

const choicesArb = fc.array(fc.nat({ max: 1 << 20 }), { maxLength: 160 });

const sentBuys = (h: RebalanceHarness): bigint =>
  h.state.legs.filter((l) => l.side === 'buy' && l.sentQty !== null).reduce((sum, l) => sum + BigInt(l.sentQty!) * BigInt(l.priceCap!), 0n);

describe('rebalance state machine: properties over random portfolios and broker behaviour', () => {
  it('never goes below zero cash, never sells more than held, buys only from cash that exists, and always ends', () => {
    fc.assert(
      fc.property(portfolioArb, ladderArb, choicesArb, (input, ladder, choices) => {
        const plan = planRebalance(input);
        // The harness throws on a negative cash balance, an oversell, a buy reserving cash that
        // does not exist or a buy child beyond its cap, after every transition.
        const h = new RebalanceHarness(input, plan, machineSettings(input, ladder));
        h.run(choices);
        const s = h.state;
        expect(s.phase).toBe('done');
        // Buys wait for every sell to end, unless the cash alone covered them all at the start.
        const firstBuy = h.trace.find((x) => x.action.kind === 'start-execution' && x.action.request.side === 'buy');
        if (firstBuy !== undefined && !s.buysWithSells) {
          const sellsDone = h.trace.filter((x) => x.action.kind === 'execution' && x.action.action.kind === 'finish' && s.legs.find((l) => l.symbol === (x.action as { symbol: string }).symbol)!.side === 'sell');
          expect(sellsDone.length).toBe(plan.sells.length);
          expect(h.trace.indexOf(firstBuy)).toBeGreaterThan(h.trace.indexOf(sellsDone[sellsDone.length - 1]!));
        }
        if (s.buysWithSells) expect(firstBuy?.time).toBe(h.trace[0]!.time);
        // When the machine counted every fill the broker made, its books never show more cash than there is.
        const counted = s.legs.every((l) => l.filledQty === h.fills.filter((f) => f.symbol === l.symbol).reduce((a, f) => a + f.qty, 0));
        if (counted) expect(BigInt(cashOf(s)) * 1_000_000_000n <= h.exactCash).toBe(true);
        // The outcome names what happened: completed only when every leg filled what it was sent for.
        const complete = s.legs.every((l) => l.status === 'done' && l.execution?.outcome?.status === 'filled');
        expect(s.outcome?.status === 'completed').toBe(complete);
        if (!complete) expect(s.outcome?.reason).toBeTruthy();
        // No buy for a symbol being sold; execution ids derive from the rebalance id.
        expect(new Set(s.legs.map((l) => l.symbol)).size).toBe(s.legs.length);
        for (const l of s.legs) expect(l.executionId).toBe(`RB:${l.symbol}`);
        for (const o of h.orders.keys()) expect(o.startsWith('RB:')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a failed sell shrinks the buys: they reserve no more than without the failure, and only cash that exists', () => {
    const withSellsAndBuys = portfolioArb.filter((input) => {
      const plan = planRebalance(input);
      return plan.sells.length > 0 && plan.buys.length > 0;
    });
    fc.assert(
      fc.property(withSellsAndBuys, fc.nat(), (input, pick) => {
        const plan = planRebalance(input);
        const settings = machineSettings(input, { maxRepegs: 0, premarketAssessment: { enabled: false } });
        const normal = new RebalanceHarness(input, plan, settings, { perfect: true });
        normal.run([]);
        const failed = plan.sells[pick % plan.sells.length]!.symbol;
        const faulty = new RebalanceHarness(input, plan, settings, { perfect: true, rejectIds: new Set([`RB:${failed}:1`]) });
        faulty.run([]);
        expect(faulty.state.legs.find((l) => l.symbol === failed)!.filledQty).toBe(0);
        expect(sentBuys(faulty) <= sentBuys(normal)).toBe(true);
        const raised = faulty.fills.filter((f) => f.side === 'sell').reduce((sum, f) => sum + BigInt(f.qty) * BigInt(f.price), 0n);
        if (!faulty.state.buysWithSells) expect(sentBuys(faulty) <= BigInt(input.cash) * 1_000_000_000n + raised).toBe(true);
        expect(faulty.state.outcome?.status).not.toBe('completed');
      }),
      { numRuns: 200 },
    );
  });
});

describe('rebalance state machine: examples', () => {
  const SH = 1e9;
  const quote = (bid: number) => ({ time: 0, bid, ask: bid + 100, bidSize: 1000, askSize: 1000 });
  const base = (cash: number): RebalanceInput => ({
    targets: { kind: 'weights', weights: { AAA: 0.1, BBB: 0.45, CCC: 0.45 } },
    positions: { AAA: 1000 * SH },
    cash,
    markets: { AAA: { quote: quote(500_000), maxSlippageBps: 50 }, BBB: { quote: quote(500_000), maxSlippageBps: 50 }, CCC: { quote: quote(500_000), maxSlippageBps: 50 } },
    settings: { wholeShares: true, minTradeUsd: 1, driftPct: 0, cashBufferBps: 10 },
  });

  it('waits for the sells when the cash cannot cover the buys, then sizes them from what the sells raised', () => {
    const input = base(1000 * 1e4);
    const h = new RebalanceHarness(input, planRebalance(input), machineSettings(input, { premarketAssessment: { enabled: false } }), { perfect: true });
    const startsBefore = h.trace.filter((x) => x.action.kind === 'start-execution').map((x) => (x.action as { symbol: string }).symbol);
    expect(startsBefore).toEqual(['AAA']);
    h.run([]);
    expect(h.state.outcome?.status).toBe('completed');
    const [aaa, bbb, ccc] = h.state.legs;
    expect(aaa!.filledQty).toBe(898 * SH); // equity $51,005: AAA keeps 10%, $5,100.50 or 102 shares
    expect(bbb!.sentQty).toBe(ccc!.sentQty);
    expect(h.exactCash >= 0n).toBe(true);
  });

  it('starts the buys with the sells when the cash alone covers them at their caps', () => {
    // $1.5 M cash and 30,000 AAA ($1.5 M): AAA sells 12,000 shares; the buys of $600,000 each fit in the cash.
    const input: RebalanceInput = { ...base(1_500_000 * 1e4), targets: { kind: 'weights', weights: { AAA: 0.3, BBB: 0.2, CCC: 0.2 } }, positions: { AAA: 30_000 * SH } };
    const h = new RebalanceHarness(input, planRebalance(input), machineSettings(input, { premarketAssessment: { enabled: false } }), { perfect: true });
    expect(h.state.buysWithSells).toBe(true);
    expect(h.trace.filter((x) => x.action.kind === 'start-execution').length).toBe(3);
    h.run([]);
    expect(h.state.outcome?.status).toBe('completed');
  });

  it('a rejected sell leaves the buys with the cash alone: they shrink, and the outcome says why', () => {
    const input = base(1000 * 1e4);
    const settings = machineSettings(input, { premarketAssessment: { enabled: false } });
    const h = new RebalanceHarness(input, planRebalance(input), settings, { perfect: true, rejectIds: new Set(['RB:AAA:1']) });
    h.run([]);
    const [, bbb, ccc] = h.state.legs;
    // $1,000 between two buys capped at $50.30 x 1.001 = $50.35: 9 whole shares each.
    expect([bbb!.sentQty, ccc!.sentQty]).toEqual([9 * SH, 9 * SH]);
    expect(bbb!.note).toContain('re-sized to 9 of');
    expect(h.state.outcome?.status).toBe('partial');
    expect(h.state.outcome?.reason).toContain('AAA sell failed: broker rejected RB:AAA:1');
  });
});
