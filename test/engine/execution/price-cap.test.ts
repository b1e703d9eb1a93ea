/**
 * ExecutionRequest.priceCap: the hard cap a rebalance buy sets at the price its cash was reserved
 * at. No child is ever priced beyond it, and no market order is sent while it is set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startExecution, stepExecution } from '../../../src/engine/execution/step.js';
import type { ExecutionAction } from '../../../src/engine/execution/types.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { parseConfig } from '../../../src/engine/config.js';
import { gridSteps, setupArb, type Setup } from './harness.js';
import { assertModelRun } from './model-run.js';
import { et, SHARE } from './scenarios.js';

/** Scenarios of every strategy with a cap a few ticks inside, or well outside, the reference price. */
const cappedSetups: fc.Arbitrary<Setup> = fc.tuple(setupArb, fc.integer({ min: -5, max: 60 })).map(([setup, ticks]) => {
  const side = setup.request.side;
  const cap = Math.max(1, gridSteps(setup.ref, side === 'buy' ? ticks : -ticks));
  return { ...setup, request: { ...setup.request, priceCap: cap } };
});

describe('price cap', () => {
  it('never prices a child beyond the cap, and never sends a market order under one (model-based)', () => {
    assertModelRun([1, 2, 4, 7, 8, 9, 10], {
      setups: cappedSetups,
      numRuns: 300,
      onRun: (h) => {
        const cap = h.setup.request.priceCap!;
        const buy = h.setup.request.side === 'buy';
        for (const c of h.model.children) {
          expect(c.type).toBe('limit');
          expect(buy ? c.limitPrice! <= cap : c.limitPrice! >= cap).toBe(true);
        }
        if (h.state.guard !== null) expect(buy ? h.state.guard <= cap : h.state.guard >= cap).toBe(true);
      },
    });
  });

  it('turns the market fallback into a limit at the guard, the tighter of the cap and the slippage guard', () => {
    const settings = strategySettings('ladder', parseConfig({ ladder: { maxRepegs: 0, maxSlippageBps: 50 } }), 'TQQQ');
    const t0 = et('10:00');
    const quote = { time: t0, bid: 500_000, ask: 500_100, bidSize: 100, askSize: 100 };
    const run = (priceCap?: number): ExecutionAction[] => {
      const start = startExecution({ executionId: 'x', side: 'buy', qty: 100 * SHARE, decisionTime: t0, quote, ...(priceCap === undefined ? {} : { priceCap }) }, settings);
      const sent = start.actions.find((a) => a.kind === 'submit');
      const id = sent?.kind === 'submit' ? sent.order.clientOrderId : '';
      // The first limit times out unfilled: cancel, confirm, then the fallback.
      const timer = start.state.timer!;
      const afterTimeout = stepExecution(stepExecution(start.state, { type: 'accepted', time: t0 + 50, clientOrderId: id }, settings).state, { type: 'timer', time: timer.at, id: timer.id }, settings);
      const afterCancel = stepExecution(afterTimeout.state, { type: 'cancelled', time: timer.at + 50, clientOrderId: id }, settings);
      return [...start.actions, ...afterTimeout.actions, ...afterCancel.actions];
    };
    const orders = (actions: ExecutionAction[]) => actions.flatMap((a) => (a.kind === 'submit' ? [[a.order.type, a.order.limitPrice]] : []));
    // Uncapped: the ask + 1 tick, then a market order.
    expect(orders(run())).toEqual([['limit', 500_200], ['market', null]]);
    // A cap above the guard ($50.25 at 50 bps from $50.005): the guard rules, and the fallback is a limit there.
    expect(orders(run(506_000))).toEqual([['limit', 500_200], ['limit', 502_500]]);
    // A cap under the ask: the first limit is capped there, and it is kept as the fallback.
    expect(orders(run(500_000))).toEqual([['limit', 500_000]]);
  });
});
