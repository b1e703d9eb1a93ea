/**
 * The re-peg by Alpaca-style replace (`repegMode: 'replace'`), as a trader reads it: one request
 * instead of cancel-then-submit; the old order keeps working (and may fill) until the broker
 * swaps the replacement in or refuses it. TQQQ around $60 at 10:00 ET (3 s timeout, quotes stale
 * after 5 s); one tick is $0.01. Every example also runs the invariant checks after each event.
 */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src/engine/quote.js';
import type { EpochMs, Side } from '../../../src/engine/units.js';
import { et, Harness, kinds, replaceOf, setupFor, SHARE, submitted, usd } from './harness.js';

const T0 = et('10:00');
const q = (time: EpochMs, bid: number, ask: number): Quote => ({ time, bid: usd(bid), ask: usd(ask), bidSize: 100, askSize: 100 });
const ladder = (ladderConfig: Record<string, unknown>, side: Side = 'buy') =>
  new Harness(setupFor('ladder', { ladder: { repegMode: 'replace', ...ladderConfig } }, { side, qty: 100 * SHARE, decisionTime: T0, quote: q(T0, 60, 60.01) }));
const child = (h: Harness, id: string) => h.state.children.find((c) => c.clientOrderId === id);

/** The first child times out after 30 shares filled, with the market up 4 cents: returns the replace. */
function timeoutAfterPartial(h: Harness) {
  h.feed({ type: 'accepted', time: T0 + 100, clientOrderId: 'x1:1' });
  h.fill('x1:1', 30 * SHARE, usd(60.01), T0 + 200);
  h.quote(T0 + 2_900, usd(60.05), usd(60.06));
  const actions = h.fireTimer();
  expect(kinds(actions)).toEqual(['replace', 'set-timer']);
  return replaceOf(actions)!;
}

describe('re-peg by replace', () => {
  it('a timeout emits one replace (no cancel), from the fresh quote, with escalation, for the remaining quantity', () => {
    const h = ladder({ maxRepegs: 2, aggressionTicks: 1, escalationTicksPerRepeg: 2, maxSlippageBps: null });
    const r = timeoutAfterPartial(h);
    expect(r).toEqual({
      kind: 'replace',
      clientOrderId: 'x1:1',
      order: { clientOrderId: 'x1:2', side: 'buy', type: 'limit', qty: 70 * SHARE, limitPrice: usd(60.09) }, // ask + 1 + 2 ticks
    });
    expect(h.state).toMatchObject({ phase: 'replacing', liveChild: 'x1:1', pendingReplacement: 'x1:2', repegs: 1, limitChildren: 2 });
    expect(h.state.timer?.at).toBe(T0 + 3_000 + 10_000); // the confirmation deadline
    expect(h.submits()).toHaveLength(1);
    h.finish();
  });

  it('"replaced" makes the new child live with the reported (reduced) quantity and arms its timeout', () => {
    const h = ladder({ maxRepegs: 2, maxSlippageBps: null });
    timeoutAfterPartial(h);
    h.fill('x1:1', 20 * SHARE, usd(60.02), T0 + 3_050); // the old order still fills meanwhile
    expect(h.state.phase).toBe('replacing');
    const confirmed = h.replaced('x1:1', 'x1:2', 50 * SHARE, T0 + 3_100);
    expect(kinds(confirmed)).toEqual(['set-timer']);
    expect(h.state).toMatchObject({ phase: 'working', liveChild: 'x1:2', pendingReplacement: null, filledQty: 50 * SHARE });
    expect(h.state.timer?.at).toBe(T0 + 3_100 + 3_000);
    expect(child(h, 'x1:1')?.status).toBe('replaced');
    expect(child(h, 'x1:2')).toMatchObject({ status: 'accepted', qty: 50 * SHARE, filledQty: 0 });
    h.fill('x1:2', 50 * SHARE, usd(60.06), T0 + 3_300);
    expect(h.state.outcome).toMatchObject({ status: 'filled', reason: null });
    expect(h.state.repegs).toBe(1);
  });

  it('a reported quantity above what remains is capped at the remainder', () => {
    const h = ladder({ maxRepegs: 1 });
    timeoutAfterPartial(h);
    h.fill('x1:1', 20 * SHARE, usd(60.02), T0 + 3_050);
    h.replaced('x1:1', 'x1:2', 70 * SHARE, T0 + 3_100); // a broker that ignored the fill
    expect(child(h, 'x1:2')?.qty).toBe(50 * SHARE);
    expect(h.fill('x1:2', 70 * SHARE, usd(60.06), T0 + 3_200)).toContainEqual({ kind: 'alert', code: 'unexpected-fill', detail: `fill of ${70 * SHARE} for x1:2 is not within its remaining ${50 * SHARE}; counted ${50 * SHARE}` });
    expect(h.state).toMatchObject({ filledQty: 100 * SHARE, outcome: { status: 'filled' } });
  });

  it('the old order filling completely during the replace finishes the execution filled; the replacement is rejected', () => {
    const h = ladder({});
    timeoutAfterPartial(h);
    const end = h.fill('x1:1', 70 * SHARE, usd(60.02), T0 + 3_050);
    expect(kinds(end)).toEqual(['finish']);
    expect(h.state).toMatchObject({ filledQty: 100 * SHARE, pendingReplacement: null, outcome: { status: 'filled', reason: null } });
    expect(child(h, 'x1:1')?.status).toBe('filled');
    expect(child(h, 'x1:2')?.status).toBe('rejected');
    expect(h.state.repegs).toBe(0); // the replacement never worked
    const before = h.state;
    expect(h.replaceRejected('x1:1', 'x1:2', 'order already filled', T0 + 3_060)).toEqual([
      { kind: 'log', event: 'ignored', detail: 'replace-rejected for x1:1 in phase done: the execution has ended' },
    ]);
    expect(h.state).toEqual(before);
  });

  it('a refused replace with the old order still working falls back to a cancel; the re-peg is not counted', () => {
    const h = ladder({ maxRepegs: 2, maxSlippageBps: null });
    timeoutAfterPartial(h);
    const refused = h.replaceRejected('x1:1', 'x1:2', 'order is not replaceable', T0 + 3_050);
    expect(kinds(refused)).toEqual(['cancel', 'set-timer']);
    expect(refused).toContainEqual({ kind: 'cancel', clientOrderId: 'x1:1' });
    expect(h.state).toMatchObject({ phase: 'cancelling', liveChild: 'x1:1', pendingReplacement: null, repegs: 0, limitChildren: 1 });
    expect(child(h, 'x1:2')?.status).toBe('rejected');
    h.quote(T0 + 3_080, usd(60.07), usd(60.08));
    expect(submitted(h.cancelled('x1:1', T0 + 3_100))).toEqual({ clientOrderId: 'x1:3', side: 'buy', type: 'limit', qty: 70 * SHARE, limitPrice: usd(60.09) });
    expect(h.state.repegs).toBe(1);
  });

  it('a re-peg that would not change the price keeps the order: no replace, the step counts, its timeout re-arms', () => {
    const h = ladder({ maxRepegs: 2, maxSlippageBps: null });
    h.feed({ type: 'accepted', time: T0 + 100, clientOrderId: 'x1:1' });
    h.quote(T0 + 2_900, usd(60), usd(60.01)); // the same ask: the re-peg would send 60.02 again
    const kept = h.fireTimer();
    expect(kinds(kept)).toEqual(['set-timer']);
    expect(kept).toContainEqual({ kind: 'log', event: 'keep', detail: 'x1:1 keeps working at $60.02: the re-peg would send the same limit' });
    expect(h.state).toMatchObject({ phase: 'working', liveChild: 'x1:1', repegs: 1, limitChildren: 2 });
    expect(h.state.timer?.at).toBe(T0 + 3_000 + 3_000);
    h.quote(T0 + 5_900, usd(60.01), usd(60.02)); // now it moves: the second re-peg replaces
    expect(replaceOf(h.fireTimer())?.order).toMatchObject({ clientOrderId: 'x1:2', limitPrice: usd(60.03) });
    expect(h.state).toMatchObject({ repegs: 2, limitChildren: 3 });
    h.finish();
  });

  it('a stale quote at the timeout: cancel instead, and the re-peg waits for a fresh quote', () => {
    const h = ladder({});
    h.feed({ type: 'timer', id: h.state.timer!.id, time: T0 + 6_000 }); // the decision quote is 6 s old
    expect(h.log.at(-1)!.transition.actions).toContainEqual({ kind: 'cancel', clientOrderId: 'x1:1' });
    expect(h.state.phase).toBe('cancelling');
    h.cancelled('x1:1', T0 + 6_100);
    expect(h.state.phase).toBe('awaiting-quote');
  });

  it('the fallback is never a replace: the last limit and the limit at the guard are cancelled', () => {
    const h = ladder({ maxRepegs: 1, maxSlippageBps: 20, fallback: { mode: 'limit-at-guard' } });
    h.quote(T0 + 2_900, usd(60.01), usd(60.02)); // up a cent: the re-peg has a new price
    expect(replaceOf(h.fireTimer())?.order.clientOrderId).toBe('x1:2');
    h.replaced('x1:1', 'x1:2', 100 * SHARE, T0 + 3_050);
    h.quote(T0 + 6_000, usd(60), usd(60.01));
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']); // no limit step left
    const fallback = submitted(h.cancelled('x1:2', T0 + 6_100));
    expect(fallback).toEqual({ clientOrderId: 'x1:3', side: 'buy', type: 'limit', qty: 100 * SHARE, limitPrice: usd(60.12) });
    h.quote(T0 + 30_000, usd(60), usd(60.01));
    expect(kinds(h.fireTimer())).toEqual(['cancel', 'set-timer']);
  });

  it('a replace never confirmed fails the execution after 10 s, saying the order may still be live', () => {
    const h = ladder({});
    h.quote(T0 + 2_900, usd(60.01), usd(60.02)); // up a cent: the re-peg has a new price
    h.fireTimer();
    h.fill('x1:1', 10 * SHARE, usd(60.02), T0 + 3_500);
    expect(kinds(h.fireTimer())).toEqual(['finish']);
    expect(h.state.outcome).toMatchObject({ status: 'partial', reason: 'replace of x1:1 not confirmed in time; the order may still be live at the broker' });
  });

  it('the old order ending on its own during the replace: the re-peg is still sent, not skipped to the fallback', () => {
    const h = ladder({ maxRepegs: 1 });
    h.quote(T0 + 2_900, usd(60.01), usd(60.02)); // up a cent: the re-peg has a new price
    h.fireTimer();
    h.quote(T0 + 3_020, usd(60.02), usd(60.03));
    const next = h.cancelled('x1:1', T0 + 3_050); // e.g. expired at the broker before the replace was handled
    expect(child(h, 'x1:2')?.status).toBe('rejected');
    expect(submitted(next)).toEqual({ clientOrderId: 'x1:3', side: 'buy', type: 'limit', qty: 100 * SHARE, limitPrice: usd(60.04) });
    expect(h.state).toMatchObject({ repegs: 1, limitChildren: 2 });
  });

  it('the replacement\'s own fill reported before "replaced": the execution ends filled, nothing else is sent', () => {
    const h = ladder({});
    h.quote(T0 + 2_900, usd(60.01), usd(60.02)); // up a cent: the re-peg has a new price
    h.fireTimer();
    h.fill('x1:2', 100 * SHARE, usd(60.02), T0 + 3_040);
    const end = h.replaced('x1:1', 'x1:2', 100 * SHARE, T0 + 3_050);
    expect(kinds(end)).toEqual(['finish']);
    expect(h.state.outcome).toMatchObject({ status: 'filled', reason: null });
    expect(child(h, 'x1:1')?.status).toBe('replaced');
    expect(child(h, 'x1:2')?.status).toBe('filled');
  });
});
