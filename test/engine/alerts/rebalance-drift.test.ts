/**
 * The rebalance-drift rule on its own input (issue 11's summary: targets and weights after), with
 * examples and a property whose weights are built at a known distance from the threshold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rebalanceDriftAlert, symbolDrifts } from '../../../src/engine/alerts/rebalance-drift.js';
import { DEFAULT_CONFIG, parseConfig } from '../../../src/engine/config.js';

const RULES = DEFAULT_CONFIG.alerts.rules;
const input = (targets: Record<string, number>, weightsAfter: Record<string, number>) => ({ rebalanceId: 'RB-7', time: 1_700_000_000_000, targets, weightsAfter });

describe('rebalance drift', () => {
  it('within the 1 pp default: no alert; beyond it: one warning naming the worst symbol and the others beyond', () => {
    expect(rebalanceDriftAlert(input({ AIG: 0.4, IBM: 0.4 }, { AIG: 0.395, IBM: 0.408 }), RULES)).toBeNull();
    const a = rebalanceDriftAlert(input({ AIG: 0.4, IBM: 0.4, BAC: 0.1 }, { AIG: 0.37, IBM: 0.415, BAC: 0.105 }), RULES);
    expect(a).toEqual({
      kind: 'rebalance-drift',
      severity: 'warning',
      rebalanceId: 'RB-7',
      symbol: null,
      time: 1_700_000_000_000,
      message: 'rebalance RB-7 left AIG at 37.0% against a 40.0% target: 3.0 pp of drift, above the 1 pp threshold; 1 more symbol(s) beyond it: IBM 1.5 pp',
    });
  });

  it('a symbol on one side only weighs 0 on the other: an unsold holding, or a buy that never filled', () => {
    const unsold = rebalanceDriftAlert(input({ AIG: 1 }, { AIG: 0.97, BAC: 0.03 }), RULES);
    expect(unsold?.message).toMatch(/^rebalance RB-7 left (AIG at 97\.0% against a 100\.0%|BAC at 3\.0% against a 0\.0%) target: 3\.0 pp/);
    expect(rebalanceDriftAlert(input({ AIG: 0.5, IBM: 0.5 }, { AIG: 0.5 }), RULES)?.message).toMatch(/^rebalance RB-7 left IBM at 0\.0% against a 50\.0% target: 50\.0 pp/);
  });

  it('exactly at the threshold is not above it, whatever float noise the weights carry', () => {
    // 0.1 + 0.2 = 0.30000000000000004: a drift of "exactly" 1 pp computed from it must not alert.
    expect(rebalanceDriftAlert(input({ X: 0.1 + 0.2 }, { X: 0.29 }), RULES)).toBeNull();
    expect(symbolDrifts(input({ X: 0.1 + 0.2 }, { X: 0.29 }))[0]!.driftPct).toBe(1);
  });

  it('threshold, severity and enabled are the configured ones; a weight that is not a number is refused', () => {
    const drifted = input({ A: 0.5, B: 0.5 }, { A: 0.52, B: 0.48 });
    expect(rebalanceDriftAlert(drifted, parseConfig({ alerts: { rules: { rebalanceDrift: { thresholdPct: 2.5 } } } }).alerts.rules)).toBeNull();
    expect(rebalanceDriftAlert(drifted, parseConfig({ alerts: { rules: { rebalanceDrift: { severity: 'critical' } } } }).alerts.rules)?.severity).toBe('critical');
    expect(rebalanceDriftAlert(drifted, parseConfig({ alerts: { rules: { rebalanceDrift: { enabled: false } } } }).alerts.rules)).toBeNull();
    expect(() => rebalanceDriftAlert(input({ A: Number.NaN }, { A: 0.5 }), RULES)).toThrow(RangeError);
  });

  it('property: an alert exactly when some symbol was moved beyond the threshold, and it names the one moved furthest', () => {
    const symbol = fc.constantFrom('AIG', 'BAC', 'IBM', 'TQQQ', 'SOXL', 'UVXY');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ symbol, target: fc.double({ min: 0, max: 1, noNaN: true }), movePct: fc.double({ min: -5, max: 5, noNaN: true }) }), { selector: (r) => r.symbol, minLength: 1, maxLength: 6 }),
        fc.double({ min: 0.2, max: 4, noNaN: true }),
        (rows, thresholdPct) => {
          // Keep every move clearly on one side of the threshold: 0.01 pp is far above float noise.
          const moves = rows.filter((r) => Math.abs(Math.abs(r.movePct) - thresholdPct) > 0.01);
          fc.pre(moves.length > 0);
          const targets = Object.fromEntries(moves.map((r) => [r.symbol, r.target]));
          const weightsAfter = Object.fromEntries(moves.map((r) => [r.symbol, r.target + r.movePct / 100]));
          const rules = parseConfig({ alerts: { rules: { rebalanceDrift: { thresholdPct } } } }).alerts.rules;
          const alert = rebalanceDriftAlert(input(targets, weightsAfter), rules);
          const beyond = moves.filter((r) => Math.abs(r.movePct) > thresholdPct);
          expect(alert !== null).toBe(beyond.length > 0);
          if (alert === null) return;
          const worst = Math.max(...beyond.map((r) => Math.abs(r.movePct)));
          const named = /left (\S+) at/.exec(alert.message)![1]!;
          expect(Math.abs(moves.find((r) => r.symbol === named)!.movePct)).toBeCloseTo(worst, 6);
          expect(alert.message).toContain(beyond.length > 1 ? `${beyond.length - 1} more symbol(s) beyond it` : `above the ${thresholdPct} pp threshold`);
        },
      ),
    );
  });
});
