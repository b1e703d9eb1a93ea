/**
 * The baselines the ladder is compared with, on the same state machine: `enabled: false` runs the
 * progressive schedule (mid, 75%, 95% of the spread, 10 s apart, then market), `passive` joins the
 * near side first, `market` sends one market order.
 */
import { describe, expect, it } from 'vitest';
import type { StrategyName } from '../../../src/engine/strategies/strategy-settings.js';
import type { EpochMs, Side } from '../../../src/engine/units.js';
import { et, Harness, kinds, setupFor, SHARE, submitted, usd } from './harness.js';

const T0 = et('09:30:05'); // inside the open window: the baselines have no open gate
const run = (strategy: StrategyName, config: Record<string, unknown>, side: Side = 'buy') =>
  new Harness(setupFor(strategy, config, { side, qty: 100 * SHARE, decisionTime: T0, quote: { time: T0, bid: usd(60), ask: usd(60.1), bidSize: 100, askSize: 100 } }));

/** Lets the working step time out, confirms the cancel, and returns the next order. */
function nextStep(h: Harness, at: EpochMs) {
  h.quote(at - 100, usd(60), usd(60.1));
  h.fireTimer();
  return submitted(h.cancelled(h.state.liveChild!, at));
}

describe('baseline schedules', () => {
  it('enabled: false runs the progressive schedule on the ladder slot: mid, 75 %, 95 %, 10 s apart, then market', () => {
    const h = run('ladder', { enabled: false });
    expect(h.settings.policy.name).toBe('ladder (disabled: progressive)');
    expect(h.lastSubmit()).toMatchObject({ type: 'limit', limitPrice: usd(60.05), qty: 100 * SHARE }); // wide spread, no wait
    expect(h.state.timer?.at).toBe(T0 + 10_000);
    h.fill('x1:1', 10 * SHARE, usd(60.05), T0 + 1_000);
    expect(nextStep(h, T0 + 10_050)).toMatchObject({ limitPrice: usd(60.08), qty: 90 * SHARE }); // 60.075 rounded up
    expect(h.state.timer?.at).toBe(T0 + 20_050);
    expect(nextStep(h, T0 + 20_100)).toMatchObject({ limitPrice: usd(60.1), qty: 90 * SHARE }); // 60.095 rounded up
    expect(nextStep(h, T0 + 30_150)).toEqual({ clientOrderId: 'x1:4', side: 'buy', type: 'market', qty: 90 * SHARE, limitPrice: null });
    expect(h.state.usedFallback).toBe(true);
  });

  it('progressive sells step down from the ask, rounding down', () => {
    const h = run('progressive', {}, 'sell');
    expect(h.lastSubmit().limitPrice).toBe(usd(60.05));
    expect(nextStep(h, T0 + 10_050)?.limitPrice).toBe(usd(60.02)); // 60.025 rounded down
    expect(nextStep(h, T0 + 20_100)?.limitPrice).toBe(usd(60)); // 60.005 rounded down
  });

  it('passive joins the near side first, then follows the progressive steps', () => {
    const buy = run('passive', {});
    expect(buy.lastSubmit().limitPrice).toBe(usd(60));
    expect(nextStep(buy, T0 + 10_050)?.limitPrice).toBe(usd(60.05));
    const sell = run('passive', {}, 'sell');
    expect(sell.lastSubmit().limitPrice).toBe(usd(60.1));
  });

  it('market sends the whole quantity at once; a cancelled remainder ends it partial with the reason', () => {
    const h = run('market', {});
    expect(h.lastSubmit()).toEqual({ clientOrderId: 'x1:1', side: 'buy', type: 'market', qty: 100 * SHARE, limitPrice: null });
    expect(h.state.timer?.at).toBe(T0 + 30_000);
    h.fill('x1:1', 60 * SHARE, usd(60.1), T0 + 20);
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
    h.cancelled('x1:1', T0 + 30_100);
    expect(h.state.outcome).toMatchObject({ status: 'partial', reason: 'market order cancelled with 40 shares unfilled' });
  });

  it('the ladder configuration does not leak into the baselines (no guard, no gate)', () => {
    const h = run('progressive', { ladder: { maxSlippageBps: 1, maxRepegs: 0 } });
    expect(h.state.guard).toBeNull();
    expect(h.settings.policy.limitSteps).toBe(3);
  });
});
