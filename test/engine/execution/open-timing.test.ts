/**
 * The ladder's open timing, as a trader reads it (DESIGN.md steps 0-1), with the default
 * configuration unless a test says otherwise. TQQQ around $60; one tick is $0.01.
 * Every example also runs the invariant checks after each event.
 */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src/engine/quote.js';
import type { EpochMs } from '../../../src/engine/units.js';
import { et, Harness, HOLIDAY, kinds, OPEN, setupFor, SHARE, submitted, usd } from './harness.js';

const q = (time: EpochMs, bid: number, ask: number): Quote => ({ time, bid: usd(bid), ask: usd(ask), bidSize: 100, askSize: 100 });
const ladder = (decisionTime: EpochMs, quote: Quote | null, ladderConfig: Record<string, unknown> = {}, qty = 100 * SHARE) =>
  new Harness(setupFor('ladder', { ladder: ladderConfig }, { side: 'buy', qty, decisionTime, quote }));

describe('ladder open timing', () => {
  it('a pre-market decision assesses the spread and waits for the open before sending anything', () => {
    const t0 = et('09:00');
    const h = ladder(t0, q(t0, 60, 60.01));
    expect(h.state.phase).toBe('awaiting-open');
    expect(h.state.timer?.at).toBe(OPEN);
    expect(h.state.assessment).toMatchObject({ spreadClass: 'tight', waitMs: 0 });
    expect(submitted(h.quote(et('09:29:59.500'), usd(60.1), usd(60.11)))).toBeUndefined();
    const open = h.fireTimer();
    expect(submitted(open)).toEqual({ clientOrderId: 'x1:1', side: 'buy', type: 'limit', qty: 100 * SHARE, limitPrice: usd(60.12) });
    h.finish();
  });

  it('a tight spread at 09:30 goes at once: ask + 1 tick, with the 2 s open timeout', () => {
    const t0 = et('09:30:05');
    const h = ladder(t0, q(t0, 60, 60.01));
    expect(h.lastSubmit()).toMatchObject({ type: 'limit', limitPrice: usd(60.02), qty: 100 * SHARE });
    expect(h.state.timer?.at).toBe(t0 + 2_000);
  });

  it('a wide spread at 09:30 waits, and goes as soon as a tight quote arrives, from that quote', () => {
    const t0 = et('09:30:05');
    const h = ladder(t0, q(t0, 60, 60.2));
    expect(h.state.phase).toBe('awaiting-spread');
    expect(h.state.timer?.at).toBe(et('09:32')); // 120 s bound, cut at the end of the window
    expect(submitted(h.quote(et('09:30:20'), usd(60), usd(60.04)))).toBeUndefined(); // normal: keep waiting
    const go = h.quote(et('09:30:40'), usd(60.05), usd(60.06));
    expect(submitted(go)).toMatchObject({ limitPrice: usd(60.07) });
    expect(h.state.timer?.at).toBe(et('09:30:40') + 2_000);
    h.finish();
  });

  it('when the wait bound is reached with the spread still wide, it goes with the current quote', () => {
    const t0 = et('09:30:05');
    const h = ladder(t0, q(t0, 60, 60.2), { openWaitMs: 30_000 });
    expect(h.state.timer?.at).toBe(et('09:30:35'));
    h.quote(et('09:30:34'), usd(60.1), usd(60.3));
    expect(submitted(h.fireTimer())).toMatchObject({ limitPrice: usd(60.31) });
  });

  it('the pre-market class sets the wait after the open (normal: 60 s)', () => {
    const t0 = et('09:00');
    const h = ladder(t0, q(t0, 60, 60.04));
    expect(h.state.assessment).toMatchObject({ spreadClass: 'normal', waitMs: 60_000 });
    h.quote(et('09:29:59.900'), usd(60), usd(60.3));
    h.fireTimer();
    expect(h.state.phase).toBe('awaiting-spread');
    expect(h.state.timer?.at).toBe(et('09:31'));
  });

  it('a decision at 09:33 executes at once, even on a wide spread, with the open timeout', () => {
    const t0 = et('09:33');
    const h = ladder(t0, q(t0, 60, 60.2));
    expect(h.lastSubmit().limitPrice).toBe(usd(60.21));
    expect(h.state.timer?.at).toBe(t0 + 2_000);
  });

  it('a decision after 09:35 executes at once with the normal timeout', () => {
    const t0 = et('10:15');
    const h = ladder(t0, q(t0, 60, 60.2));
    expect(h.lastSubmit().limitPrice).toBe(usd(60.21));
    expect(h.state.timer?.at).toBe(t0 + 3_000);
  });

  const invalid: [string, Quote | null][] = [
    ['zero-side', q(et('10:00'), 0, 60.01)],
    ['crossed', q(et('10:00'), 60.02, 60.01)],
    ['locked', q(et('10:00'), 60.01, 60.01)],
    ['stale', q(et('10:00') - 5_001, 60, 60.01)],
    ['missing', null],
  ];
  it.each(invalid)('a %s quote: waits quoteWaitMs for a valid one, then fails naming the problem', (problem, quote) => {
    const t0 = et('10:00');
    const h = ladder(t0, quote);
    expect(h.state.phase).toBe('awaiting-quote');
    expect(h.state.timer?.at).toBe(t0 + 30_000);
    if (quote !== null) expect(submitted(h.feed({ type: 'quote', time: t0 + 10_000, quote: { ...quote, time: quote.time + 10_000 } }))).toBeUndefined();
    const end = h.fireTimer();
    expect(end).toContainEqual({ kind: 'alert', code: 'wait-ran-out', detail: `no valid quote within 30000 ms (last quote ${problem}): giving up` });
    expect(kinds(end)).toEqual(['alert', 'finish']);
    expect(h.state.outcome).toMatchObject({ status: 'failed', reason: `no valid quote within 30000 ms (last quote ${problem})` });
    expect(h.submits()).toEqual([]);
  });

  it('a valid quote within the quote wait rescues the execution', () => {
    const t0 = et('10:00');
    const h = ladder(t0, q(t0, 60.01, 60.01));
    expect(submitted(h.quote(t0 + 1_000, usd(60), usd(60.01)))).toMatchObject({ limitPrice: usd(60.02) });
  });

  it('on a holiday the execution fails at once: market closed', () => {
    const t0 = et('09:45', HOLIDAY);
    const h = ladder(t0, q(t0, 60, 60.01));
    expect(h.state.outcome).toMatchObject({ status: 'failed', reason: 'market closed on 2024-07-04 (holiday: Independence Day)' });
    expect(h.state.timer).toBeNull();
    expect(h.submits()).toEqual([]);
  });

  it('an open timer that fires a millisecond early is re-armed, not lost', () => {
    const t0 = et('09:00');
    const h = ladder(t0, q(t0, 60, 60.01));
    const timer = h.state.timer!;
    h.feed({ type: 'timer', id: timer.id, time: OPEN - 1 });
    expect(h.state.phase).toBe('awaiting-open');
    expect(h.state.timer?.at).toBe(OPEN);
    h.quote(OPEN, usd(60), usd(60.01));
    expect(submitted(h.fireTimer())).toMatchObject({ limitPrice: usd(60.02) });
  });

  it('a wait-bound timer that fires early is re-armed, and the execution still goes at the bound', () => {
    const t0 = et('09:30:05');
    const h = ladder(t0, q(t0, 60, 60.2));
    const bound = h.state.timer!;
    h.quote(bound.at - 500, usd(60), usd(60.2));
    h.feed({ type: 'timer', id: bound.id, time: bound.at - 1 });
    expect(h.state.phase).toBe('awaiting-spread');
    expect(h.state.timer?.at).toBe(bound.at);
    expect(submitted(h.fireTimer())).toMatchObject({ limitPrice: usd(60.21) });
  });

  it('a zero quantity fails with its reason instead of reporting filled', () => {
    const t0 = et('10:00');
    const h = ladder(t0, q(t0, 60, 60.01), {}, 0);
    expect(h.state.outcome).toMatchObject({ status: 'failed', reason: 'quantity must be positive' });
  });
});
