/**
 * The ladder after the first child (DESIGN.md steps 2-4), as a trader reads it: re-pegs from the
 * fresh quote with escalation, the fallback modes, rejects, and fills racing cancels. TQQQ around
 * $60 unless a test says otherwise; one tick is $0.01 at or above $1.00, $0.0001 below.
 */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src/engine/quote.js';
import type { EpochMs, Side } from '../../../src/engine/units.js';
import { et, Harness, kinds, setupFor, SHARE, submitted, usd } from './harness.js';

const T0 = et('10:00');
const q = (time: EpochMs, bid: number, ask: number): Quote => ({ time, bid: usd(bid), ask: usd(ask), bidSize: 100, askSize: 100 });
const ladder = (ladderConfig: Record<string, unknown>, side: Side = 'buy', quote = q(T0, 60, 60.01), qty = 100 * SHARE) =>
  new Harness(setupFor('ladder', { ladder: ladderConfig }, { side, qty, decisionTime: T0, quote }));

/** A quote a cent above the decision's, so that a re-peg has a new price to go to. */
const upACent = (h: Harness, at: EpochMs) => h.quote(at, usd(60.01), usd(60.02));

/** Times the working child out and confirms its cancel; returns what the machine did next. */
function timeoutAndConfirm(h: Harness, id: string, at: EpochMs) {
  expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
  return h.cancelled(id, at);
}

describe('ladder re-pegs and fallback', () => {
  it('re-pegs from the fresh quote for the remaining quantity, escalating, then sends the rest at market', () => {
    const h = ladder({ maxRepegs: 2, aggressionTicks: 1, escalationTicksPerRepeg: 2, maxSlippageBps: null });
    expect(h.lastSubmit()).toMatchObject({ clientOrderId: 'x1:1', limitPrice: usd(60.02), qty: 100 * SHARE });
    h.feed({ type: 'accepted', time: T0 + 100, clientOrderId: 'x1:1' });
    h.fill('x1:1', 30 * SHARE, usd(60.01), T0 + 200);
    h.quote(T0 + 2_500, usd(60.05), usd(60.06)); // the market runs away
    const repeg1 = submitted(timeoutAndConfirm(h, 'x1:1', T0 + 3_100));
    expect(repeg1).toMatchObject({ clientOrderId: 'x1:2', type: 'limit', limitPrice: usd(60.09), qty: 70 * SHARE }); // ask + 1 + 2 ticks
    h.fill('x1:2', 20 * SHARE, usd(60.09), T0 + 3_500);
    h.quote(T0 + 6_000, usd(60.1), usd(60.11));
    const repeg2 = submitted(timeoutAndConfirm(h, 'x1:2', T0 + 6_200));
    expect(repeg2).toMatchObject({ clientOrderId: 'x1:3', limitPrice: usd(60.16), qty: 50 * SHARE }); // ask + 1 + 4 ticks
    expect(h.state.repegs).toBe(2);
    h.quote(T0 + 9_000, usd(60.12), usd(60.13));
    const fallback = submitted(timeoutAndConfirm(h, 'x1:3', T0 + 9_300));
    expect(fallback).toEqual({ clientOrderId: 'x1:4', side: 'buy', type: 'market', qty: 50 * SHARE, limitPrice: null });
    expect(h.state.timer?.at).toBe(T0 + 9_300 + 30_000);
    h.fill('x1:4', 50 * SHARE, usd(60.13), T0 + 9_400);
    expect(h.state.outcome).toMatchObject({ status: 'filled', reason: null });
    expect(h.state).toMatchObject({ filledQty: 100 * SHARE, usedFallback: true, repegs: 2 });
  });

  it('a re-peg never prices from a stale quote: it waits for a fresh one', () => {
    const h = ladder({ maxRepegs: 1 }, 'buy', q(T0 - 2_500, 60, 60.01));
    const next = timeoutAndConfirm(h, 'x1:1', T0 + 6_000); // at the timeout the decision quote is 5.5 s old
    expect(submitted(next)).toBeUndefined();
    expect(h.state.phase).toBe('awaiting-quote');
    expect(submitted(h.quote(T0 + 6_500, usd(59.9), usd(59.91)))).toMatchObject({ clientOrderId: 'x1:2', limitPrice: usd(59.92) });
  });

  it('fallback "stop" ends partial, with the reason', () => {
    const h = ladder({ maxRepegs: 1, fallback: { mode: 'stop' } });
    h.fill('x1:1', 40 * SHARE, usd(60.02), T0 + 500);
    upACent(h, T0 + 2_900);
    expect(submitted(timeoutAndConfirm(h, 'x1:1', T0 + 3_100))).toMatchObject({ qty: 60 * SHARE, limitPrice: usd(60.03) });
    h.fill('x1:2', 10 * SHARE, usd(60.02), T0 + 3_300);
    const end = timeoutAndConfirm(h, 'x1:2', T0 + 6_200);
    expect(kinds(end)).toEqual(['finish']);
    expect(h.state.outcome).toMatchObject({ status: 'partial', reason: 're-pegs exhausted after 2 limit orders; fallback is "stop"' });
    expect(h.state.filledQty).toBe(50 * SHARE);
  });

  it('fallback "limit-at-guard" sends a limit at the slippage guard for the remaining quantity', () => {
    const h = ladder({ maxRepegs: 0, maxSlippageBps: 20, fallback: { mode: 'limit-at-guard' } });
    expect(h.state.guard).toBe(usd(60.12)); // arrival mid 60.005 + 20 bps, rounded down to the tick
    h.fill('x1:1', 25 * SHARE, usd(60.02), T0 + 500);
    h.quote(T0 + 2_900, usd(60.2), usd(60.21));
    const fallback = submitted(timeoutAndConfirm(h, 'x1:1', T0 + 3_100));
    expect(fallback).toEqual({ clientOrderId: 'x1:2', side: 'buy', type: 'limit', qty: 75 * SHARE, limitPrice: h.state.guard });
  });

  it('settings built without a guard: "limit-at-guard" ends the execution rather than guess a price', () => {
    const s = setupFor('ladder', { ladder: { maxRepegs: 0, fallback: { mode: 'limit-at-guard' } } }, { side: 'buy', qty: SHARE, decisionTime: T0, quote: q(T0, 60, 60.01) });
    const h = new Harness({ ...s, settings: { ...s.settings, policy: { ...s.settings.policy, maxSlippageBps: null } } });
    expect(h.state.guard).toBeNull();
    h.quote(T0 + 2_900, usd(60), usd(60.01));
    expect(kinds(timeoutAndConfirm(h, 'x1:1', T0 + 3_100))).toEqual(['finish']);
    expect(h.state.outcome).toMatchObject({ status: 'failed', reason: 'fallback "limit-at-guard" has no guard price' });
  });

  it('the sell guard rounds up toward the mid', () => {
    const h = ladder({ maxSlippageBps: 20 }, 'sell');
    expect(h.state.guard).toBe(usd(59.89)); // 60.005 - 20 bps = 59.88499, rounded up
    expect(h.lastSubmit().limitPrice).toBe(usd(59.99)); // bid - 1 tick
  });

  it('the slippage guard caps a re-peg chasing the price, with an alert', () => {
    const h = ladder({ maxRepegs: 1, maxSlippageBps: 20 });
    h.quote(T0 + 2_900, usd(60.5), usd(60.51));
    const next = timeoutAndConfirm(h, 'x1:1', T0 + 3_100);
    expect(submitted(next)).toMatchObject({ limitPrice: usd(60.12) });
    expect(next).toContainEqual({ kind: 'alert', code: 'slippage-guard-hit', detail: 'slippage guard capped the limit at $60.12 (601200 price units)' });
  });

  it('a reject ends the execution naming the broker reason, and nothing is re-sent', () => {
    const h = ladder({});
    const end = h.rejected('x1:1', 'insufficient buying power', T0 + 50);
    expect(end).toEqual([
      { kind: 'alert', code: 'broker-reject', detail: 'broker rejected x1:1: insufficient buying power' },
      { kind: 'finish', outcome: 'failed', reason: 'broker rejected x1:1: insufficient buying power' },
    ]);
    expect(h.state.outcome).toMatchObject({ status: 'failed', reason: 'broker rejected x1:1: insufficient buying power' });
  });

  it('a fill that beats the cancel completes the order; the late cancel-reject changes nothing and is named in the log', () => {
    const h = ladder({});
    upACent(h, T0 + 2_900);
    h.fireTimer();
    expect(h.state.phase).toBe('cancelling');
    h.fill('x1:1', 100 * SHARE, usd(60.02), T0 + 3_050);
    expect(h.state.outcome?.status).toBe('filled');
    const before = h.state;
    expect(h.feed({ type: 'cancel-rejected', time: T0 + 3_060, clientOrderId: 'x1:1', reason: 'order already filled' })).toEqual([
      { kind: 'log', event: 'ignored', detail: 'cancel-rejected for x1:1 in phase done: the execution has ended' },
    ]);
    expect(h.state).toEqual(before);
    expect(h.submits()).toHaveLength(1);
  });

  it('a partial fill that races the cancel: the re-peg is for what remains after it', () => {
    const h = ladder({});
    upACent(h, T0 + 2_900);
    h.fireTimer();
    h.fill('x1:1', 35 * SHARE, usd(60.02), T0 + 3_050);
    expect(h.submits()).toHaveLength(1); // still waiting for the cancel confirmation
    expect(submitted(h.cancelled('x1:1', T0 + 3_100))).toMatchObject({ clientOrderId: 'x1:2', qty: 65 * SHARE });
  });

  it('a cancel never confirmed ends the execution after 10 s, saying the order may still be live', () => {
    const h = ladder({});
    upACent(h, T0 + 2_900);
    h.fireTimer();
    h.feed({ type: 'cancel-rejected', time: T0 + 3_100, clientOrderId: 'x1:1', reason: 'order is pending_new' });
    expect(kinds(h.fireTimer())).toEqual(['finish']);
    expect(h.state.outcome?.reason).toMatch(/not confirmed in time; the order may still be live/);
    // The order was live after all: its fill still counts (the record must equal the broker).
    expect(h.fill('x1:1', SHARE, usd(60.02))).toEqual([{ kind: 'alert', code: 'unexpected-fill', detail: `late fill of ${SHARE} for x1:1 after the execution ended; counted` }]);
    expect(h.state).toMatchObject({ filledQty: SHARE, outcome: { status: 'partial' } });
  });

  it('superseded timers are ignored', () => {
    const h = ladder({});
    const first = h.state.timer!;
    upACent(h, T0 + 2_900);
    h.fireTimer(); // re-armed for the cancel confirmation
    expect(h.feed({ type: 'timer', id: first.id, time: T0 + 5_000 })).toEqual([]);
    expect(h.state.phase).toBe('cancelling');
  });

  it('prices on the sub-penny grid below $1.00 and on the penny grid from $1.00', () => {
    const cheap = ladder({}, 'sell', { time: T0, bid: 4_990, ask: 5_010, bidSize: 1, askSize: 1 }, 1_500_000_000);
    expect(cheap.lastSubmit()).toMatchObject({ limitPrice: 4_989, qty: 1_500_000_000 }); // $0.4989 for 1.5 shares
    const up = ladder({ aggressionTicks: 2, maxSlippageBps: null }, 'buy', { time: T0, bid: 9_990, ask: 9_999, bidSize: 1, askSize: 1 });
    expect(up.lastSubmit().limitPrice).toBe(10_100); // $0.9999 -> $1.00 -> $1.01
    const down = ladder({ aggressionTicks: 2, maxSlippageBps: null }, 'sell', { time: T0, bid: 10_100, ask: 10_200, bidSize: 1, askSize: 1 });
    expect(down.lastSubmit().limitPrice).toBe(9_999); // $1.01 -> $1.00 -> $0.9999
  });
});
