import { describe, expect, it } from 'vitest';
import type { CostSummary } from '../../../src/analysis/tune/types.js';
import { fillRateWarning, NoEligibleCandidate, overfitWarning, selectWinner, type SelectArgs, type TrainTest } from '../../../src/analysis/tune/select.js';
import { splitOpens } from '../../../src/analysis/tune/split.js';

const OPENS = 10;
const PER = 4;
const KEYS = Array.from({ length: OPENS * PER }, (_, i) => `TQQQ|2024-04-${String(1 + Math.floor(i / PER)).padStart(2, '0')}`);
const N = KEYS.length;

/** An outcome whose executions cost `cost(i)` bps and complete in `seconds(i)` s (Infinity: never). */
function outcome(cost: (i: number) => number, filled = 1, seconds: (i: number) => number = () => 1) {
  const completeMs = Float64Array.from({ length: N }, (_, i) => (filled === 1 ? seconds(i) * 1000 : Infinity));
  return { costs: Float64Array.from({ length: N }, (_, i) => cost(i)), filled: new Uint8Array(N).fill(filled), fallback: new Uint8Array(N), completeMs };
}

function args(over: Partial<SelectArgs> = {}): SelectArgs {
  const wiggle = (i: number): number => ((i * 7) % 5) / 10; // a fixed pattern, so CIs are not degenerate
  return {
    candidates: [{ maxRepegs: 0 }, { maxRepegs: 1 }, { maxRepegs: 2 }],
    outcomes: [outcome((i) => 5 + wiggle(i)), outcome((i) => 3 + wiggle(i)), outcome((i) => 3 + wiggle(i))],
    rivals: {
      default: outcome((i) => 4 + wiggle(i)),
      market: outcome((i) => 6 + wiggle(i), 1, () => 0.2),
      progressive: outcome((i) => 2 + wiggle(i), 1, () => 20),
      passive: outcome((i) => 1 + wiggle(i), 1, () => 40),
    },
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
    // Each rival minus the winner on test: positive means the winner is cheaper.
    expect(r.default.pairedVsWinner.against).toBe('default');
    expect(r.default.pairedVsWinner.meanDiffBps).toBeCloseTo(1, 12);
    expect(r.default.pairedVsWinner.ci95[0]).toBeCloseTo(1, 12);
    expect(r.baselines.market.pairedVsWinner.meanDiffBps).toBeCloseTo(3, 12);
    expect(r.baselines.market.pairedVsWinner.executions).toBe(16);
    expect(r.baselines.progressive.pairedVsWinner.meanDiffBps).toBeCloseTo(-1, 12);
    expect(r.baselines.passive.pairedVsWinner.ci95[1]).toBeCloseTo(-2, 12);
    expect(r.default.train.mean).toBeCloseTo(r.winner.train.mean + 1, 12);
    expect(r.baselines.market.test.mean).toBeCloseTo(r.winner.test.mean + 3, 12);
    expect(r.baselines.passive.test.p95Seconds).toBe(40);
    expect(r.winner.train.p95Seconds).toBe(1);
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

  it('with --allow-underfill keeps a cheapest winner that fills less than the default, and warns', () => {
    const r = selectWinner(args({ outcomes: [outcome(() => 9), outcome(() => 1, 0), outcome(() => 9)], allowUnderfill: true }));
    expect(r.winner.index).toBe(1);
    expect(r.underfill).toMatchObject({ cheapest: 1, resolution: 'kept', where: 'train under conservative: 0.0% against 100.0%' });
    expect(r.writeBlocked).toBeNull();
    expect(r.fillRateWarning).toMatch(/fills 0\.0% of test executions by itself against the default's 100\.0%/);
  });

  it('without it, takes the next-best candidate that fills as much as the default, and says so', () => {
    const r = selectWinner(args({ outcomes: [outcome(() => 9), outcome(() => 1, 0), outcome(() => 5)] }));
    expect(r.winner.index).toBe(2);
    expect(r.underfill).toMatchObject({ cheapest: 1, resolution: 'replaced' });
    expect(r.underfill!.note).toMatch(/#1, fills less than the default .*; the next-best candidate that fills as much as the default, #2, is the winner instead/);
    expect(r.writeBlocked).toBeNull();
    expect(r.fillRateWarning).toBeNull();
  });

  it('looks at test fill rates too (never test costs), and blocks --out when no candidate fills as much', () => {
    const { test } = splitOpens(KEYS, 0.4, 9);
    const testSet = new Set(test);
    const shortOnTest = { ...outcome(() => 1), filled: Uint8Array.from({ length: N }, (_, i) => (i === test[0] ? 0 : 1)) };
    const r = selectWinner(args({ candidates: [{ maxRepegs: 0 }], outcomes: [shortOnTest] }));
    expect(testSet.size).toBeGreaterThan(0);
    expect(r.winner.index).toBe(0);
    expect(r.underfill).toMatchObject({ cheapest: 0, resolution: 'no-complete-candidate', where: 'test under conservative: 93.8% against 100.0%' });
    expect(r.writeBlocked).toMatch(/^the winner #0 fills less than the default \(test under conservative: 93\.8% against 100\.0%\); add --allow-underfill/);
  });

  it('with a deadline, only candidates whose train p95 time to complete meets it may win', () => {
    const slowCheap = outcome(() => 1, 1, (i) => (i % 2 === 0 ? 30 : 2)); // half take 30 s: the p95 is 30 s
    const fast = outcome(() => 4, 1, () => 3);
    const faster = outcome(() => 6, 1, () => 0.5);
    const open = selectWinner(args({ candidates: [{ a: 1 }, { a: 2 }, { a: 3 }], outcomes: [slowCheap, fast, faster] }));
    expect(open.winner.index).toBe(0);
    expect(open.winner.train.p95Seconds).toBe(30);
    const bounded = selectWinner(args({ candidates: [{ a: 1 }, { a: 2 }, { a: 3 }], outcomes: [slowCheap, fast, faster], maxP95Seconds: 10 }));
    expect(bounded.winner.index).toBe(1);
    expect(bounded.eligible).toBe(2);
    expect(bounded.winner.train.p95Seconds).toBeLessThanOrEqual(10);
    expect(bounded.ranking.map((x) => x.index)).toEqual([1, 2]);
    expect(() => selectWinner(args({ candidates: [{ a: 1 }], outcomes: [slowCheap], maxP95Seconds: 5 }))).toThrow(NoEligibleCandidate);
    expect(() => selectWinner(args({ candidates: [{ a: 1 }], outcomes: [slowCheap], maxP95Seconds: 5 }))).toThrow(/no candidate completes 95% of its train orders within 5 s under conservative liquidity; the fastest, #0, takes 30\.0 s/);
  });

  it('an order that never fills makes the p95 "never" once more than 5% do not complete', () => {
    const someNever = outcome(() => 1, 1, (i) => (i % 5 === 0 ? Infinity : 1));
    const r = selectWinner(args({ candidates: [{ a: 1 }], outcomes: [someNever] }));
    expect(r.winner.train.p95Seconds).toBe(Infinity);
    expect(() => selectWinner(args({ candidates: [{ a: 1 }], outcomes: [someNever], maxP95Seconds: 1000 }))).toThrow(/takes forever/);
  });

  it('draws the cost/time frontier on train over candidates and baselines', () => {
    // market: 6 bps in 0.2 s; #2: 3 bps in 1 s; progressive: 2 bps in 20 s; passive: 1 bps in 40 s.
    // The default (4 bps, 1 s) and #0 (5 bps, 1 s) are beaten by #2 on both; #1 ties #2 exactly and comes first.
    const r = selectWinner(args());
    expect(r.frontier.map((p) => p.label)).toEqual(['market', '#1', 'progressive', 'passive']);
    expect(r.frontier[1]).toMatchObject({ candidate: 1, p95Seconds: 1, fillRate: 1 });
    expect(r.frontier[0]).toMatchObject({ strategy: 'market', p95Seconds: 0.2 });
    expect(r.frontier[1]!.test.meanCostBps).toBeCloseTo(r.winner.test.mean, 12);
  });

  it('chooses under the conservative model, reports every model, and names the conclusions that flip', () => {
    // Every open carries both models: executions alternate conservative, nominal.
    const models = KEYS.map((_, i) => (i % 2 === 0 ? 'conservative' : 'nominal'));
    const underNominal = (c: number, n: number) => outcome((i) => (i % 2 === 0 ? c : n) + ((i * 7) % 5) / 10);
    const r = selectWinner(args({
      liquidityKeys: models,
      candidates: [{ a: 1 }, { a: 2 }],
      // #1 is cheapest under nominal only: the choice is made under conservative, so #0 wins.
      outcomes: [underNominal(3, 3), underNominal(3.5, 0)],
      rivals: { default: underNominal(4, 4), market: underNominal(6, 6), progressive: underNominal(4, 1), passive: underNominal(2, 2) },
    }));
    expect(r.liquidity).toEqual({ models: ['conservative', 'nominal'], selection: 'conservative' });
    expect(r.winner.index).toBe(0);
    expect(r.winner.train.executions + r.winner.test.executions).toBe(N / 2);
    expect(Object.keys(r.byLiquidity)).toEqual(['conservative', 'nominal']);
    expect(r.byLiquidity.conservative!.default).toEqual(r.default);
    expect(r.byLiquidity.nominal!.baselines.progressive.pairedVsWinner.meanDiffBps).toBeCloseTo(-2, 12);
    // Progressive: the winner is cheaper under conservative, dearer under nominal: a flip. Market and the default agree.
    expect(r.flips.map((f) => f.against)).toEqual(['progressive']);
    expect(r.flips[0]!.byLiquidity).toEqual({
      conservative: { verdict: 'winner cheaper', meanDiffBps: expect.closeTo(1, 12) },
      nominal: { verdict: 'winner dearer', meanDiffBps: expect.closeTo(-2, 12) },
    });
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
  return { objective, mean: objective, meanCi95: null, fillRate, fallbackRate: 0, p95Seconds: 1, executions: 10 };
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
