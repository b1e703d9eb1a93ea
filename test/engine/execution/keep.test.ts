/**
 * The ladder keeps a working order whose re-peg would not change its price (DESIGN.md: "No re-peg
 * re-sends the price of the order it replaces"), as a trader reads it. TQQQ around $60 at 10:00
 * ET (3 s timeout); one tick is $0.01. Every example also runs the invariant checks (11 included)
 * after each event.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionAction } from '../../../src/engine/execution/types.js';
import type { Quote } from '../../../src/engine/quote.js';
import type { StrategyName } from '../../../src/engine/strategies/strategy-settings.js';
import type { EpochMs, Side } from '../../../src/engine/units.js';
import { et, Harness, kinds, setupFor, SHARE, submitted, usd } from './harness.js';

const T0 = et('10:00');
const q = (time: EpochMs, bid: number, ask: number): Quote => ({ time, bid: usd(bid), ask: usd(ask), bidSize: 100, askSize: 100 });
const start = (ladder: Record<string, unknown>, side: Side = 'buy', quote = q(T0, 60, 60.01), strategy: StrategyName = 'ladder') =>
  new Harness(setupFor(strategy, { ladder }, { side, qty: 100 * SHARE, decisionTime: T0, quote }));
const logOf = (actions: readonly ExecutionAction[], event: string) => actions.flatMap((a) => (a.kind === 'log' && a.event === event ? [a.detail] : []));
const limits = (h: Harness) => h.log.flatMap((s) => s.transition.actions.flatMap((a) => (a.kind === 'submit' || a.kind === 'replace' ? [a.order.limitPrice] : [])));

describe('the ladder keeps a working order whose price would not change', () => {
  it('a flat quote: every re-peg keeps the order (no cancel), counts, re-arms its timeout; then the fallback', () => {
    const h = start({ maxRepegs: 2, maxSlippageBps: null });
    expect(h.lastSubmit()).toMatchObject({ clientOrderId: 'x1:1', limitPrice: usd(60.02) });
    h.quote(T0 + 2_900, usd(60), usd(60.01));
    const first = h.fireTimer();
    expect(kinds(first)).toEqual(['set-timer']);
    expect(logOf(first, 'keep')).toEqual(['x1:1 keeps working at $60.02: the re-peg would send the same limit']);
    expect(h.state).toMatchObject({ phase: 'working', liveChild: 'x1:1', repegs: 1, limitChildren: 2 });
    expect(h.state.timer?.at).toBe(T0 + 6_000);
    h.quote(T0 + 5_900, usd(60), usd(60.01));
    expect(kinds(h.fireTimer())).toEqual(['set-timer']);
    expect(h.state).toMatchObject({ repegs: 2, limitChildren: 3 });
    // The schedule is used up: the order is cancelled and the remainder goes at market.
    h.quote(T0 + 8_900, usd(60), usd(60.01));
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
    expect(submitted(h.cancelled('x1:1', T0 + 9_100))).toMatchObject({ clientOrderId: 'x1:2', type: 'market' });
    expect(h.submits()).toHaveLength(2);
    h.finish();
  });

  it('a keep, then a move: the next re-peg cancels and re-prices as usual', () => {
    const h = start({ maxRepegs: 2, maxSlippageBps: null });
    h.quote(T0 + 2_900, usd(60), usd(60.01));
    h.fireTimer();
    h.quote(T0 + 5_900, usd(60.03), usd(60.04));
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
    expect(submitted(h.cancelled('x1:1', T0 + 6_100))).toMatchObject({ clientOrderId: 'x1:2', limitPrice: usd(60.05) });
    expect(h.state).toMatchObject({ repegs: 2, limitChildren: 3 });
    h.finish();
  });

  it('the guard holds the re-peg at the working price: no re-peg can do better, so the fallback comes at once', () => {
    // Mid 60.005 + 1 bp = 60.011: the guard is 60.01, which caps the first limit (60.02).
    const h = start({ maxRepegs: 3, maxSlippageBps: 1 });
    expect(h.lastSubmit().limitPrice).toBe(usd(60.01));
    h.quote(T0 + 2_900, usd(60.01), usd(60.02)); // the market runs away; the guard still says 60.01
    const timeout = h.fireTimer();
    expect(kinds(timeout)).toEqual(['alert', 'cancel', 'set-timer']);
    expect(timeout).toContainEqual({ kind: 'alert', code: 'slippage-guard-hit', detail: 'the slippage guard holds the re-peg at $60.01, where x1:1 already works: going to the fallback' });
    expect(logOf(timeout, 'cancel')).toEqual(['x1:1: the slippage guard holds the re-peg at 600100, where x1:1 already works']);
    const fallback = h.cancelled('x1:1', T0 + 3_100);
    expect(submitted(fallback)).toMatchObject({ clientOrderId: 'x1:2', type: 'market', qty: 100 * SHARE });
    expect(logOf(fallback, 'fallback')[0]).toMatch(/the next limit would repeat \$60.01, and the slippage guard allows none further/);
    expect(h.state).toMatchObject({ repegs: 0, usedFallback: true });
    h.finish();
  });

  it('with a "limit-at-guard" fallback, a working order already at the guard is kept as the fallback', () => {
    const h = start({ maxRepegs: 3, maxSlippageBps: 1, fallback: { mode: 'limit-at-guard', timeoutMs: 20_000 } });
    h.quote(T0 + 2_900, usd(60.01), usd(60.02));
    const timeout = h.fireTimer();
    expect(kinds(timeout)).toEqual(['alert', 'set-timer']);
    expect(logOf(timeout, 'fallback')[0]).toMatch(/^x1:1 already works at the slippage guard \$60.01: kept as the limit-at-guard fallback/);
    expect(h.state).toMatchObject({ phase: 'working', liveChild: 'x1:1', usedFallback: true, repegs: 0 });
    expect(h.state.children[0]?.isFallback).toBe(true);
    expect(h.state.timer?.at).toBe(T0 + 3_000 + 20_000);
    // Its own timeout is the fallback's: cancel, then the execution ends with what it filled.
    h.fill('x1:1', 40 * SHARE, usd(60.01), T0 + 4_000);
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
    expect(kinds(h.cancelled('x1:1', T0 + 23_100))).toEqual(['finish']);
    expect(h.state.outcome).toMatchObject({ status: 'partial', reason: 'limit order cancelled with 60 shares unfilled' });
    expect(h.submits()).toHaveLength(1);
  });

  it('with the schedule used up, a last limit already at the guard is the limit-at-guard fallback itself', () => {
    const h = start({ maxRepegs: 0, maxSlippageBps: 1, fallback: { mode: 'limit-at-guard' } });
    h.quote(T0 + 2_900, usd(60.01), usd(60.02));
    expect(kinds(h.fireTimer())).toEqual(['set-timer']);
    expect(h.state).toMatchObject({ liveChild: 'x1:1', usedFallback: true });
    expect(h.submits()).toHaveLength(1);
    h.finish();
  });

  it('fallback "stop" with the guard holding: the execution stops after the cancel, saying why', () => {
    const h = start({ maxRepegs: 3, maxSlippageBps: 1, fallback: { mode: 'stop' } });
    h.quote(T0 + 2_900, usd(60.01), usd(60.02));
    h.fireTimer();
    const end = h.cancelled('x1:1', T0 + 3_100);
    expect(kinds(end)).toEqual(['alert', 'finish']);
    expect(end).toContainEqual({ kind: 'alert', code: 'slippage-guard-hit', detail: 'the slippage guard at $60.01 allows no limit beyond the last one: going to the fallback' });
    expect(h.state.outcome?.reason).toBe('the next limit would repeat $60.01, and the slippage guard allows none further; fallback is "stop"');
  });

  it('the quote comes back during a cancel: the new child goes one tick further instead of repeating the price', () => {
    const h = start({ maxRepegs: 2, maxSlippageBps: null });
    h.quote(T0 + 2_900, usd(60.01), usd(60.02)); // at the timeout the re-peg would be 60.03: cancel
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
    h.quote(T0 + 3_050, usd(60), usd(60.01)); // ... and by the confirmation the step prices at 60.02 again
    const next = h.cancelled('x1:1', T0 + 3_100);
    expect(submitted(next)).toMatchObject({ clientOrderId: 'x1:2', limitPrice: usd(60.03), qty: 100 * SHARE });
    expect(logOf(next, 'repeg')).toEqual(['limit buy $60.03 for the remaining quantity (one tick past the previous limit, which the quote priced again)']);
    h.finish();
  });

  it('a sell that comes back to its price goes one tick lower; at the smallest price there is none lower: the fallback', () => {
    const sell = start({ maxRepegs: 2, maxSlippageBps: null }, 'sell');
    expect(sell.lastSubmit().limitPrice).toBe(usd(59.99));
    sell.quote(T0 + 2_900, usd(59.99), usd(60));
    sell.fireTimer();
    sell.quote(T0 + 3_050, usd(60), usd(60.01));
    expect(submitted(sell.cancelled('x1:1', T0 + 3_100))).toMatchObject({ limitPrice: usd(59.98) });
    sell.finish();

    const floor = start({ maxRepegs: 2, aggressionTicks: 0, maxSlippageBps: null }, 'sell', { time: T0, bid: 1, ask: 3, bidSize: 1, askSize: 1 });
    expect(floor.lastSubmit().limitPrice).toBe(1);
    floor.feed({ type: 'cancelled', time: T0 + 500, clientOrderId: 'x1:1' }); // the broker ended it
    expect(floor.lastSubmit()).toMatchObject({ clientOrderId: 'x1:2', type: 'market' });
    floor.finish();
  });

  it('the broker cancelling the order itself: the next child does not repeat its price either', () => {
    const h = start({ maxRepegs: 2, maxSlippageBps: null });
    h.feed({ type: 'accepted', time: T0 + 100, clientOrderId: 'x1:1' });
    expect(submitted(h.cancelled('x1:1', T0 + 500))).toMatchObject({ clientOrderId: 'x1:2', limitPrice: usd(60.03) });
    h.finish();
  });

  it('the baselines keep too: progressive on a one-cent spread prices every step at the ask', () => {
    const h = start({}, 'buy', q(T0, 60, 60.01), 'progressive');
    expect(h.lastSubmit().limitPrice).toBe(usd(60.01)); // the mid rounds up to the ask
    for (const at of [T0 + 9_900, T0 + 19_900]) {
      h.quote(at, usd(60), usd(60.01));
      expect(kinds(h.fireTimer())).toEqual(['set-timer']);
    }
    expect(h.state.repegs).toBe(2);
    h.quote(T0 + 29_900, usd(60), usd(60.01));
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
    expect(submitted(h.cancelled('x1:1', T0 + 30_100))).toMatchObject({ type: 'market' });
    h.finish();
  });

  it('over a whole execution no two consecutive limits share a price', () => {
    const h = start({ maxRepegs: 4, maxSlippageBps: null });
    const quotes: [number, number][] = [[60, 60.01], [60.01, 60.02], [60, 60.01], [60, 60.01]];
    quotes.forEach(([bid, ask], i) => {
      h.quote(h.state.timer!.at - 100, usd(bid), usd(ask));
      const acts = h.fireTimer();
      if (acts.some((a) => a.kind === 'cancel')) {
        h.quote(h.model.now + 50, usd(60), usd(60.01)); // back before the confirmation
        h.cancelled(h.state.liveChild!, h.model.now + 100 + i);
      }
    });
    const sent = limits(h).filter((p) => p !== null);
    expect(sent.length).toBeGreaterThan(1);
    sent.slice(1).forEach((p, i) => expect(p).not.toBe(sent[i]));
    h.finish();
  });
});
