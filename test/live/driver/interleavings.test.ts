/**
 * The live driver and its broker gateway under interleavings (DESIGN.md: "scheduledModelRun
 * explores ack/fill interleavings in the live driver"): fast-check's scheduler orders every
 * broker answer, stream message, fill, timer and poll, and the broker fails calls, loses answers,
 * misses lookups and drops stream messages as generated. Whatever the order, the run must end
 * with: never more than the target filled, never two orders working at once (so never a second
 * order for one child), nothing working at the broker that the result does not name, and a
 * record equal to the broker's fills.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { resolveWindows } from '../../../src/engine/trading-day-windows.js';
import { tradingSession } from '../../../src/engine/calendar.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { runLiveExecution } from '../../../src/live/driver/live-driver.js';
import { FakeVenueClock, FakeWallClock, ModelBroker, type Fates } from './model-broker.js';

const DAY = '2024-06-03';
const T0 = etClockToEpoch(DAY, '10:00:00');
const windows = resolveWindows(tradingSession(DAY))!;

const callFate = fc.constantFrom('ok', 'ok', 'ok', 'fail-before', 'lost-answer') as fc.Arbitrary<'ok' | 'fail-before' | 'lost-answer'>;
const fatesArb: fc.Arbitrary<Fates> = fc.record({
  submit: fc.array(callFate, { maxLength: 8 }),
  cancel: fc.array(callFate, { maxLength: 8 }),
  replace: fc.array(callFate, { maxLength: 4 }),
  lookup: fc.array(fc.constantFrom('ok', 'ok', 'fail', 'miss') as fc.Arbitrary<'ok' | 'fail' | 'miss'>, { maxLength: 30 }),
  updates: fc.array(fc.constantFrom('deliver', 'deliver', 'deliver', 'drop') as fc.Arbitrary<'deliver' | 'drop'>, { maxLength: 20 }),
  fills: fc.array(fc.constantFrom(0, 0, 0.3, 0.6, 1), { maxLength: 12 }),
});

const settingsArb = fc.record({ repegMode: fc.constantFrom('cancel', 'replace'), maxRepegs: fc.integer({ min: 0, max: 2 }), fallback: fc.constantFrom('market', 'stop') }).map((p) =>
  strategySettings('ladder', parseConfig({ ladder: { repegMode: p.repegMode, maxRepegs: p.maxRepegs, maxSlippageBps: null, timeouts: { openMs: 2_000, normalMs: 2_000 }, fallback: { mode: p.fallback, timeoutMs: 5_000 } } }), 'TQQQ'),
);

describe('live driver interleavings (fc.scheduler)', () => {
  it('never over-fills, never two orders working, names whatever may still work, records what the broker filled', async () => {
    let interesting = 0;
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fatesArb, settingsArb, fc.integer({ min: 1, max: 40 }), async (s, fates, settings, shares) => {
        const clock = new FakeVenueClock(s, T0);
        const broker = new ModelBroker(s, fates, clock);
        const qty = shares * QTY_SCALE;
        const run = runLiveExecution(
          { broker, streams: broker.streams(), clock, wall: new FakeWallClock(s) },
          { executionId: 'x', strategy: 'ladder', symbol: 'TQQQ', side: 'buy', qty, settings, alertCostBps: 25, windows, quote: { time: T0, bid: 600_000, ask: 600_100, bidSize: 100, askSize: 100 } },
        );
        const result = await s.waitFor(run);
        const { report, possiblyWorking } = result;

        expect(result.error).toBeNull();
        // Never more than the target, at the broker and in the record.
        expect(broker.filledTotal()).toBeLessThanOrEqual(qty);
        expect(report.filledQty).toBeLessThanOrEqual(qty);
        // Never a second order for one child: one client id creates at most one order, and never two work at once.
        for (const p of broker.posts.values()) expect(p.created).toBeLessThanOrEqual(1);
        expect(broker.maxWorking).toBeLessThanOrEqual(1);
        // Nothing working at the end that the result does not name.
        const named = new Set(possiblyWorking.map((p) => p.clientOrderId));
        for (const o of broker.working()) expect(named.has(o.clientOrderId)).toBe(true);
        // The record equals the broker (exactly, once every order is confirmed final).
        const recorded = report.childOrders.flatMap((c) => c.fills).reduce((sum, f) => sum + f.qty, 0);
        if (possiblyWorking.length === 0) {
          expect(recorded).toBe(broker.filledTotal());
          expect(report.filledQty).toBe(broker.filledTotal());
        } else {
          expect(recorded).toBeLessThanOrEqual(broker.filledTotal());
        }
        if (fates.submit.includes('lost-answer') || fates.cancel.includes('lost-answer') || fates.updates.includes('drop')) interesting += 1;
      }),
      { numRuns: 300 },
    );
    expect(interesting).toBeGreaterThan(50);
  }, 120_000);
});
