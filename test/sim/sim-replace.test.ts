import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import { runOn, fixedLatency } from './sim-run.js';
import { buildTape, SEC } from './tape-builder.js';

const REPLACE = parseConfig({ ladder: { repegMode: 'replace', maxRepegs: 2, premarketAssessment: { enabled: false } } });
const TEN = 30 * 60_000; // 10:00 ET, standard window: 3 s timeouts

describe('replace re-pegs against the simulated venue (Alpaca semantics)', () => {
  it('replaces the timed-out limit in one request; the replacement works the remainder', () => {
    // The ask runs away, so the first limit (ask + 1 tick) rests; the re-peg is a replace.
    const tape = buildTape([
      { t: TEN - SEC, bid: 50.0, ask: 50.01, bidSize: 100, askSize: 100 },
      { t: TEN + 20, bid: 50.05, ask: 50.06, bidSize: 100, askSize: 100 },
      { t: TEN + 3_500, bid: 50.06, ask: 50.07, bidSize: 5_000, askSize: 5_000 },
    ]);
    const r = runOn(tape, { config: REPLACE, decisionMs: TEN, shares: 300, fillModel: fixedLatency() });
    expect(r.outcome).toBe('filled');
    expect(r.repegs).toBe(1);
    const [first, second] = r.childOrders;
    expect(first!.status).toBe('replaced');
    expect(second!.status).toBe('filled');
    expect(r.events.some((e) => e.kind === 'cancel')).toBe(false);
    expect(r.events.some((e) => e.kind === 'replaced')).toBe(true);
  });

  it('keeps the fills the old order got while the replace was in flight and never overfills', () => {
    // 100 shares fill on the old order at its limit just before the replace arrives: the ask
    // comes down through the limit (no depth walk with remainder "rest").
    const tape = buildTape([
      { t: TEN - SEC, bid: 50.0, ask: 50.01, bidSize: 100, askSize: 100 },
      { t: TEN + 20, bid: 50.05, ask: 50.06, bidSize: 100, askSize: 100 },
      { t: TEN + 3_010, bid: 50.0, ask: 50.01, bidSize: 100, askSize: 100 },
      { t: TEN + 3_500, bid: 50.06, ask: 50.07, bidSize: 5_000, askSize: 5_000 },
    ]);
    const r = runOn(tape, { config: REPLACE, decisionMs: TEN, shares: 300, fillModel: fixedLatency({ remainder: 'rest' }) });
    const [first, second] = r.childOrders;
    expect(first!.fills.reduce((s, f) => s + f.qty, 0)).toBe(100e9);
    expect(first!.status).toBe('replaced');
    expect(second!.qty).toBe(200e9); // only what the old order left
    expect(r.filledQty).toBe(300e9);
  });

  it('rejects the replace when the old order filled first, and the execution ends filled', () => {
    const tape = buildTape([
      { t: TEN - SEC, bid: 50.0, ask: 50.01, bidSize: 100, askSize: 100 },
      { t: TEN + 20, bid: 50.05, ask: 50.06, bidSize: 100, askSize: 100 },
      { t: TEN + 3_010, bid: 50.0, ask: 50.01, bidSize: 1_000, askSize: 1_000 },
    ]);
    const r = runOn(tape, { config: REPLACE, decisionMs: TEN, shares: 300, fillModel: fixedLatency() });
    expect(r.outcome).toBe('filled');
    expect(r.childOrders[0]!.status).toBe('filled');
    // The fill ends the execution before the venue's refusal comes back; the report says why.
    expect(r.childOrders[1]).toMatchObject({ status: 'rejected', rejectReason: 'abandoned: the order it was to replace ended first' });
    expect(r.repegs).toBe(0); // the refused replace is not a re-peg
  });
});
