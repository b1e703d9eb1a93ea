import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { DEFAULT_FILL_MODEL } from '../../src/sim/fill-model-config.js';
import { LatencyModel } from '../../src/sim/latency-model.js';
import { MIN, OPEN, SEC, at, buildTape, px, steadyQuotes, type QuoteRow, type TradeRow } from './tape-builder.js';
import { fixedLatency, runOn } from './sim-run.js';

const T0 = 30 * MIN; // 10:00:00 ET, the standard window

/** [shares, dollars, ms after 09:30] of every fill, child by child. */
function fills(r: ExecutionReport): [number, number, number][][] {
  return r.childOrders.map((c) => c.fills.map((f) => [f.qty / 1e9, f.price / 10_000, f.time - OPEN] as [number, number, number]));
}

/** A flat one-cent market with 1,000 shares a side, fresh every second. */
const flat = buildTape(steadyQuotes(-10 * SEC, T0 + 2 * MIN, { bid: 50, spread: 0.01, everyMs: SEC, size: 1000 }));

describe('latency', () => {
  it('with no jitter a submit arrives exactly submitMs times the open factor later', () => {
    const model = fixedLatency({}, { submitMs: 40, openMultiplier: 3, openDecayMs: 60_000 });
    for (const decisionMs of [0, 30 * SEC, T0]) {
      const r = runOn(flat, { strategy: 'market', decisionMs, fillModel: model });
      const factor = 1 + 2 * Math.exp(-decisionMs / 60_000);
      const child = r.childOrders[0]!;
      expect(child.submittedAt).toBe(at(decisionMs));
      expect(child.fills[0]!.time - child.submittedAt).toBe(Math.round(40 * factor));
    }
  });

  it('the open multiplier makes 09:30 latencies larger than 10:00 ones', () => {
    const lat = (decisionMs: number, seed: number): number => {
      const c = runOn(flat, { strategy: 'market', decisionMs, seed }).childOrders[0]!;
      return c.fills[0]!.time - c.submittedAt;
    };
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const open = seeds.map((s) => lat(0, s));
    const later = seeds.map((s) => lat(T0, s));
    expect(Math.min(...open)).toBeGreaterThan(Math.max(...later));
    expect(new Set(later).size).toBeGreaterThan(1); // the jitter is drawn per seed
  });

  it('the model: base + jitter, open factor only from the open, each kind its own base', () => {
    const cfg = { ...DEFAULT_FILL_MODEL.latency, submitMs: 40, cancelMs: 30, reportMs: 10, jitterMs: 20, openMultiplier: 4, openDecayMs: 1000 };
    const m = new LatencyModel(cfg, OPEN, () => 0.5);
    expect(m.draw('submit', OPEN - 1)).toBe(50);
    expect(m.draw('cancel', OPEN - 1)).toBe(40);
    expect(m.draw('report', OPEN - 1)).toBe(20);
    expect(m.draw('submit', OPEN)).toBe(200);
    expect(m.draw('submit', OPEN + 1000)).toBe(Math.round(50 * (1 + 3 * Math.exp(-1))));
    expect(new LatencyModel(cfg, null, () => 0).draw('submit', OPEN)).toBe(40);
  });
});

describe('matching in virtual time', () => {
  it('matches a marketable order against the quote prevailing when it arrives, not when it was decided', () => {
    const tape = buildTape([
      { t: T0 - 100, bid: 50.0, ask: 50.01 },
      { t: T0 + 20, bid: 50.09, ask: 50.1 },
      { t: T0 + 5 * SEC, bid: 50.09, ask: 50.1 },
    ]);
    const r = runOn(tape, { strategy: 'market', decisionMs: T0, fillModel: fixedLatency() });
    expect(r.arrival?.ask).toBe(px(50.01));
    expect(fills(r)).toEqual([[[100, 50.1, T0 + 40]]]);
  });

  it('a cancel arriving after the fill is rejected and the execution keeps the true filled quantity', () => {
    const tape = buildTape([
      { t: T0 - 100, bid: 50.0, ask: 50.01 },
      { t: T0 + 500, bid: 50.01, ask: 50.03 },
      { t: T0 + 3020, bid: 50.01, ask: 50.02 }, // lands while the 3 s cancel is in flight
      ...steadyQuotes(T0 + 4 * SEC, T0 + 20 * SEC, { bid: 50.01, spread: 0.02 }),
    ]);
    const r = runOn(tape, { shares: 300, decisionMs: T0, fillModel: fixedLatency() });
    expect(r.events.find((e) => e.kind === 'cancel')?.time).toBe(at(T0 + 3000));
    expect(fills(r)).toEqual([[[100, 50.01, T0 + 40], [100, 50.02, T0 + 40], [100, 50.02, T0 + 3020]]]);
    expect(r.childOrders.map((c) => c.status)).toEqual(['filled']);
    expect(r).toMatchObject({ outcome: 'filled', filledQty: 300e9, repegs: 0 });
  });

  it('a partial fill landing while the cancel is in flight is counted, and the re-peg sends only the rest', () => {
    const tape = buildTape([
      { t: T0 - 100, bid: 50.0, ask: 50.01 },
      { t: T0 + 500, bid: 50.01, ask: 50.03 },
      { t: T0 + 3020, bid: 50.01, ask: 50.02 },
      ...steadyQuotes(T0 + 4 * SEC, T0 + 20 * SEC, { bid: 50.01, spread: 0.02 }),
    ]);
    const r = runOn(tape, { shares: 400, decisionMs: T0, fillModel: fixedLatency() });
    const [first, second] = r.childOrders;
    expect(first).toMatchObject({ status: 'cancelled', qty: 400e9 });
    expect(fills(r)[0]).toEqual([[100, 50.01, T0 + 40], [100, 50.02, T0 + 40], [100, 50.02, T0 + 3020]]);
    expect(second).toMatchObject({ qty: 100e9, submittedAt: at(T0 + 3055), status: 'filled' });
    // The 100 shown at 50.02 on the 3020 snapshot were ours already: the re-peg walks to 50.03.
    expect(fills(r)[1]).toEqual([[100, 50.03, T0 + 3095]]);
    expect(r).toMatchObject({ outcome: 'filled', filledQty: 400e9, repegs: 1 });
  });

  it('a rejecting broker ends the execution with the reason', () => {
    const r = runOn(flat, { decisionMs: T0, fillModel: { ...DEFAULT_FILL_MODEL, rejectRate: 1 } });
    expect(r.outcome).toBe('failed');
    expect(r.reason).toMatch(/broker rejected x1:1: simulated broker reject/);
    expect(r.childOrders.map((c) => c.status)).toEqual(['rejected']);
  });
});

describe('replaying quotes and trades that share a millisecond', () => {
  // A passive buy joins the bid (50.00, 500 shares ahead) at 10:00:01.04; the tape ends at 10:00:09.
  const passive = (quotes: QuoteRow[], trades: TradeRow[]): ExecutionReport =>
    runOn(buildTape([{ t: T0, bid: 50, ask: 50.02, bidSize: 500 }, ...quotes, { t: T0 + 9 * SEC, bid: 50, ask: 50.02, bidSize: 500 }], trades), {
      strategy: 'passive',
      decisionMs: T0 + SEC,
      fillModel: fixedLatency(),
    });

  it('every print in one millisecond eats the queue ahead', () => {
    const r = passive([], [{ t: T0 + 5 * SEC, price: 50, size: 300 }, { t: T0 + 5 * SEC, price: 50, size: 300 }]);
    expect(fills(r)[0]).toEqual([[100, 50, T0 + 5 * SEC]]);
  });

  it('a print in the same millisecond as a quote update still reaches the resting order', () => {
    // Through the limit: 500 of it trade the queue ahead (conservative liquidity), 100 fill us.
    const r = passive([{ t: T0 + 5 * SEC, bid: 50, ask: 50.02, bidSize: 500 }], [{ t: T0 + 5 * SEC, price: 49.99, size: 600 }]);
    expect(fills(r)[0]).toEqual([[100, 50, T0 + 5 * SEC]]);
  });

  it('snapshots in one millisecond: the last is the NBBO, so no fill is recorded through it', () => {
    const r = passive(
      [
        { t: T0 + 5 * SEC, bid: 49.98, ask: 50.0 }, // would fill the bid at 50.00 ...
        { t: T0 + 5 * SEC, bid: 50.01, ask: 50.03 }, // ... but this is the NBBO at that millisecond
      ],
      [],
    );
    for (const f of r.childOrders.flatMap((c) => c.fills)) expect(f.price).toBeGreaterThanOrEqual(f.bid!);
    expect(fills(r)[0]).toEqual([]);
  });
});
