/**
 * The live path raises, as the decision log grows, exactly the alerts the simulator raises from
 * the finished record; each alert is out once the entry that caused it has been observed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/engine/alerts/alert.js';
import { raiseExecutionAlerts } from '../../../src/engine/alerts/raise-execution-alerts.js';
import { DEFAULT_CONFIG, parseConfig } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { LiveExecutionAlerts } from '../../../src/live/alerts/live-execution-alerts.js';
import { fillModelSchema } from '../../../src/sim/fill-model-config.js';
import { runSimExecution } from '../../../src/sim/sim-driver.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { runOn, simRequest } from '../../sim/sim-run.js';
import { MIN, SEC, buildTape, steadyQuotes } from '../../sim/tape-builder.js';

const DATE = '2024-06-03';

describe('LiveExecutionAlerts', () => {
  const fired = new Set<string>();
  it('property: observing the log in any chunks, then finishing, publishes raiseExecutionAlerts of the record, each no later than its entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom('09:30:00', '09:31:00', '10:00:00'),
        fc.constantFrom(0, 0.5),
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 40 }),
        fc.boolean(),
        (seed, clock, rejectRate, chunks, unconfirmed) => {
          const tape = generateOpen(TQQQ_LIKE, DATE, seed, { fromEt: '09:25:00', toEt: '10:05:00', shape: { trendBpsPerMinute: 300 } });
          const config = parseConfig({ ladder: { maxRepegs: 1, maxSlippageBps: 10 } });
          const req = { ...simRequest(tape, { strategy: 'ladder', side: 'buy', shares: 3000, config }), decisionTime: etClockToEpoch(DATE, clock) };
          const report = runSimExecution(tape, req, fillModelSchema.parse({ rejectRate }), seed);
          const working = unconfirmed ? ['x1:7'] : [];
          const published: { alert: Alert; seen: number }[] = [];
          let seen = 0;
          const live = new LiveExecutionAlerts(report, config.alerts.rules, (alert) => published.push({ alert, seen }));
          for (const n of chunks) {
            if (seen >= report.events.length) break;
            seen = Math.min(report.events.length, seen + n);
            live.observe(report.events.slice(0, seen));
          }
          seen = report.events.length;
          live.finish(report, working);
          expect(published.map((p) => p.alert)).toEqual(raiseExecutionAlerts(report, config.alerts.rules, working));
          for (const p of published) fired.add(p.alert.kind);
          // An alert raised from a log entry is out once that entry was observed, before the end.
          for (const p of published) {
            const entry = report.events.findIndex((e) => e.time === p.alert.time && ((e.kind === 'alert' && e.code === p.alert.kind) || (e.kind === 'fallback' && p.alert.kind === 'fallback-used')));
            if (entry >= 0) expect(p.seen).toBeGreaterThan(entry);
          }
        },
      ),
      { numRuns: 40 },
    );
    // The generated runs reach the rules raised while the order works, not only those at its end.
    expect([...fired]).toEqual(expect.arrayContaining(['fallback-used', 'may-still-be-working']));
  });

  it('a disabled rule publishes nothing for it', () => {
    // A price running away from a 1,000-share buy: the guard caps the chase, the market fallback ends it.
    const report = runOn(buildTape(steadyQuotes(30 * MIN - SEC, 33 * MIN, { bid: 50, spread: 0.02, driftPerQuote: 0.02 })), { shares: 1000, decisionMs: 30 * MIN });
    const rules = parseConfig({ alerts: { rules: { fallbackUsed: { enabled: false } } } }).alerts.rules;
    const all: Alert[] = [];
    new LiveExecutionAlerts(report, DEFAULT_CONFIG.alerts.rules, (a) => all.push(a)).finish(report);
    expect(all.map((a) => a.kind)).toContain('fallback-used');
    const some: Alert[] = [];
    new LiveExecutionAlerts(report, rules, (a) => some.push(a)).finish(report);
    expect(some.map((a) => a.kind)).toEqual(all.map((a) => a.kind).filter((k) => k !== 'fallback-used'));
  });
});
