/**
 * The must-show of the keep rule at the simulator level (issue 8): on a flat tape of identical
 * snapshots, 200 x $50.00 / $50.01 x 200 every 100 ms with no prints, the ladder never sends two
 * consecutive limits at the same price. It re-pegs against an unchanged quote, so every re-peg
 * keeps the working order (logged as 'keep') instead of cancelling it and re-sending its price.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import type { Side } from '../../src/engine/units.js';
import { MIN, buildTape, steadyQuotes } from './tape-builder.js';
import { runOn } from './sim-run.js';

const flat = buildTape(steadyQuotes(-MIN, 40 * MIN, { bid: 50, spread: 0.01, everyMs: 100, size: 200 }), null);

/** The limit prices the execution sent, in order (submits and replacements alike). */
const limitPrices = (r: ExecutionReport): number[] => r.childOrders.flatMap((c) => (c.type === 'limit' && c.limitPrice !== null ? [c.limitPrice] : []));

describe('flat repeated-snapshot tape: the ladder sends no two consecutive limits at one price', () => {
  const runs: { label: string; report: ExecutionReport }[] = [];
  for (const repegMode of ['cancel', 'replace'] as const) {
    for (const side of ['buy', 'sell'] as Side[]) {
      for (const shares of [100, 2_000, 20_000]) {
        for (const decisionMs of [0, 3 * MIN, 30 * MIN]) {
          const config = parseConfig({ ladder: { repegMode, maxRepegs: 3 } });
          runs.push({ label: `${repegMode} ${side} ${shares} at +${decisionMs / 1000}s`, report: runOn(flat, { config, side, shares, decisionMs }) });
        }
      }
    }
  }

  it.each(runs.map((r) => [r.label, r.report] as const))('%s', (_label, report) => {
    const prices = limitPrices(report);
    prices.slice(1).forEach((p, i) => expect(p, `limit #${i + 2} repeats #${i + 1}`).not.toBe(prices[i]));
    // Every re-peg met the same quote, so every one of them was a keep.
    expect(report.events.filter((e) => e.kind === 'keep')).toHaveLength(report.repegs);
    expect(report.events.filter((e) => e.kind === 'repeg')).toHaveLength(0);
  });

  it('is not vacuous: the large orders outlast their timeouts and keep their working order', () => {
    const kept = runs.filter((r) => r.report.events.some((e) => e.kind === 'keep'));
    expect(kept.map((r) => r.label)).toEqual(expect.arrayContaining(['cancel buy 20000 at +1800s', 'replace sell 20000 at +1800s']));
    for (const { report } of kept) expect(report.repegs).toBe(3);
  });
});
