import { describe, expect, it } from 'vitest';
import type { CostSummary } from '../../../src/analysis/tune/types.js';
import { fillRateWarning, overfitWarning, selectWinner, type SelectArgs, type TrainTest } from '../../../src/analysis/tune/select.js';
import { splitOpens } from '../../../src/analysis/tune/split.js';

const OPENS = 10;
const PER = 4;
const KEYS = Array.from({ length: OPENS * PER }, (_, i) => `TQQQ|2024-04-${String(1 + Math.floor(i / PER)).padStart(2, '0')}`);
const N = KEYS.length;

function outcome(cost: (i: number) => number, filled = 1) {
  return { costs: Float64Array.from({ length: N }, (_, i) => cost(i)), filled: new Uint8Array(N).fill(filled), fallback: new Uint8Array(N) };
}

function args(over: Partial<SelectArgs> = {}): SelectArgs {
  const wiggle = (i: number): number => ((i * 7) % 5) / 10; // a fixed pattern, so CIs are not degenerate
  return {
    candidates: [{ maxRepegs: 0 }, { maxRepegs: 1 }, { maxRepegs: 2 }],
    outcomes: [outcome((i) => 5 + wiggle(i)), outcome((i) => 3 + wiggle(i)), outcome((i) => 3 + wiggle(i))],
    defaultOutcome: outcome((i) => 4 + wiggle(i)),
    marketOutcome: outcome((i) => 6 + wiggle(i)),
    openKeys: KEYS,
    objective: 'mean',
    testFraction: 0.4,
    seed: 9,
    ...over,
  };
}

describe('selectWinner', () => {
  it('picks the lowest train objective, ties to the lower index, and compares it on test', () => {
    const r = selectWinner(args());
    expect(r.winner.index).toBe(1);
    expect(r.winner.candidate).toEqual({ maxRepegs: 1 });
    expect(r.split.testOpens).toHaveLength(4);
    expect(r.split.trainOpens).toHaveLength(6);
    expect(r.winner.test.executions).toBe(16);
    expect(r.vsDefault.against).toBe('default');
    expect(r.vsDefault.meanDiffBps).toBeCloseTo(-1, 12);
    expect(r.vsDefault.ci95[0]).toBeCloseTo(-1, 12);
    expect(r.vsMarket.meanDiffBps).toBeCloseTo(-3, 12);
    expect(r.vsMarket.executions).toBe(16);
    expect(r.default.train.mean).toBeCloseTo(r.winner.train.mean + 1, 12);
    expect(r.market.test.mean).toBeCloseTo(r.winner.test.mean + 3, 12);
    expect(r.ranking.map((x) => x.index)).toEqual([1, 2, 0]);
    expect(r.overfitWarning).toBeNull();
    expect(r.fillRateWarning).toBeNull();
  });

  it('chooses on train only: a candidate that is best only on the test opens is not picked', () => {
    const { test } = splitOpens(KEYS, 0.4, 9);
    const testSet = new Set(test);
    const lucky = outcome((i) => (testSet.has(i) ? -50 : 10));
    const r = selectWinner(args({ candidates: [{ maxRepegs: 0 }, { maxRepegs: 5 }], outcomes: [outcome(() => 2), lucky] }));
    expect(r.winner.index).toBe(0);
    expect(r.ranking[1]!.testObjective).toBe(-50);
  });

  it('keeps at most 10 candidates in the ranking, best first, and is deterministic', () => {
    const candidates = Array.from({ length: 25 }, (_, k) => ({ 'timeouts.openMs': 100 * (k + 1) }));
    const outcomes = candidates.map((_, k) => outcome((i) => ((k * 13) % 25) + (i % 3)));
    const a = selectWinner(args({ candidates, outcomes, objective: 'p90' }));
    expect(a.ranking).toHaveLength(10);
    for (let j = 1; j < a.ranking.length; j++) expect(a.ranking[j]!.trainObjective).toBeGreaterThanOrEqual(a.ranking[j - 1]!.trainObjective);
    expect(a.winner.index).toBe(a.ranking[0]!.index);
    expect(selectWinner(args({ candidates, outcomes, objective: 'p90' }))).toEqual(a);
  });

  it('warns when the winner fills less than the default', () => {
    const r = selectWinner(args({ outcomes: [outcome(() => 9), outcome(() => 1, 0), outcome(() => 9)] }));
    expect(r.winner.index).toBe(1);
    expect(r.fillRateWarning).toMatch(/fills 0\.0% of test executions by itself against the default's 100\.0%/);
  });

  it('reports a single-open plan with the split warning', () => {
    const keys = KEYS.map(() => 'TQQQ|2024-04-01');
    const r = selectWinner(args({ openKeys: keys }));
    expect(r.split.warning).toMatch(/only one open/);
    expect(r.winner.test.executions).toBe(N);
  });

  it('refuses no candidates and mismatched outcomes', () => {
    expect(() => selectWinner(args({ candidates: [], outcomes: [] }))).toThrow(/no candidates/);
    expect(() => selectWinner(args({ outcomes: [outcome(() => 1)] }))).toThrow(/3 candidates but 1 outcomes/);
    expect(() => selectWinner(args({ openKeys: KEYS.slice(1) }))).toThrow(/executions/);
  });
});

function summary(objective: number, fillRate = 1): CostSummary {
  return { objective, mean: objective, meanCi95: null, fillRate, fallbackRate: 0, executions: 10 };
}
const tt = (train: number, test: number, fillRate = 1): TrainTest => ({ train: summary(train), test: summary(test, fillRate) });

describe('overfitWarning: test worse than train by more than max(2 bps, 50% of |train|), or worse than the default on test', () => {
  it('applies the absolute tolerance for small costs', () => {
    expect(overfitWarning(tt(1, 2.9), tt(5, 5))).toBeNull();
    expect(overfitWarning(tt(1, 3.1), tt(5, 5))).toMatch(/worse than its train objective \(1\.00 bps\) by 2\.10 bps, more than the 2\.00 bps tolerance/);
    // Negative train costs: the tolerance uses |train|.
    expect(overfitWarning(tt(-6, -3.1), tt(5, 5))).toBeNull();
    expect(overfitWarning(tt(-6, -2.9), tt(5, 5))).toMatch(/by 3\.10 bps, more than the 3\.00 bps tolerance/);
  });

  it('applies the relative tolerance for large costs', () => {
    expect(overfitWarning(tt(10, 14.9), tt(20, 20))).toBeNull();
    expect(overfitWarning(tt(10, 15.1), tt(20, 20))).toMatch(/tolerance/);
  });

  it('warns when the default does better on test, whatever the gap', () => {
    expect(overfitWarning(tt(3, 3.5), tt(3, 3.4))).toMatch(/worse than the default configuration's \(3\.40 bps\)/);
    expect(overfitWarning(tt(3, 8), tt(3, 4))).toMatch(/tolerance.*; and .*default configuration/);
    // A winner better on test than on train is fine.
    expect(overfitWarning(tt(3, 1), tt(3, 3))).toBeNull();
  });

  it('leaves the fill rate to its own rule', () => {
    expect(fillRateWarning(tt(1, 1, 0.995), tt(1, 1, 1))).toBeNull();
    expect(fillRateWarning(tt(1, 1, 0.9), tt(1, 1, 1))).toMatch(/90\.0%/);
  });
});
