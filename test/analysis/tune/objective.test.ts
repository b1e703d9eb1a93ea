import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import type { BacktestPlan } from '../../../src/sim/backtest.js';
import { fillModelSchema } from '../../../src/sim/fill-model-config.js';
import { cachePlanTapes, evaluateCandidate, openKeysOf } from '../../../src/analysis/tune/evaluate.js';
import { aggregate, summarizeCosts } from '../../../src/analysis/tune/objective.js';
import { buildTape, DATE, MIN, steadyQuotes } from '../../sim/tape-builder.js';

const SHARE = 1e9;

describe('aggregate', () => {
  it('matches hand computations', () => {
    expect(aggregate([1, 2, 3, 4], 'mean')).toBe(2.5);
    // p90 of 1..10: position 0.9 x 9 = 8.1 between the 9th and 10th values.
    expect(aggregate([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 'p90')).toBeCloseTo(9.1, 12);
    expect(aggregate([5], 'p90')).toBe(5);
    // CVaR95: the worst ceil(5% of n) values, at least one.
    expect(aggregate(Float64Array.from({ length: 10 }, (_, i) => i + 1), 'cvar95')).toBe(10);
    expect(aggregate(Array.from({ length: 40 }, (_, i) => 40 - i), 'cvar95')).toBe(39.5);
    expect(aggregate(Array.from({ length: 21 }, (_, i) => i), 'cvar95')).toBe(19.5);
    expect(aggregate([-3, -1, -2], 'cvar95')).toBe(-1);
    for (const o of ['mean', 'p90', 'cvar95'] as const) expect(aggregate([], o)).toBeNaN();
  });
});

describe('summarizeCosts', () => {
  it('summarises the chosen executions only', () => {
    const outcome = { costs: Float64Array.from([1, 100, 3, 5]), filled: Uint8Array.from([1, 0, 1, 0]), fallback: Uint8Array.from([0, 1, 1, 0]) };
    const s = summarizeCosts(outcome, [0, 2, 3], 'cvar95');
    expect(s.objective).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.fillRate).toBeCloseTo(2 / 3, 12);
    expect(s.fallbackRate).toBeCloseTo(1 / 3, 12);
    expect(s.executions).toBe(3);
    // t(2) = 4.303, sd 2, n 3.
    expect(s.meanCi95![0]).toBeCloseTo(3 - (4.303 * 2) / Math.sqrt(3), 10);
    expect(summarizeCosts(outcome, [], 'mean').executions).toBe(0);
  });
});

describe('unfilled executions are charged, so not trading does not win', () => {
  // The price runs away from a buyer: +1 cent every 200 ms, only 100 shares shown at each price,
  // and a remainder that rests instead of walking the book.
  const tape = buildTape(steadyQuotes(-MIN, 30 * MIN, { bid: 20, spread: 0.01, everyMs: 200, driftPerQuote: 0.01, size: 100 }));
  const plan: BacktestPlan = cachePlanTapes({
    tapes: [{ label: 'run-up', load: () => tape }],
    sides: ['buy'],
    quantities: [1000 * SHARE],
    decisionTimes: ['09:33:00'],
    strategies: ['ladder'],
    config: DEFAULT_CONFIG,
    fillModel: fillModelSchema.parse({ remainder: 'rest' }),
    liquidity: ['conservative'],
    seed: 1,
  });
  const stop = { 'fallback.mode': 'stop', maxRepegs: 0, aggressionTicks: 0 };

  it('scores a stop-early configuration worse than the default on a run-away tape', () => {
    const base = evaluateCandidate(plan, null);
    const stopped = evaluateCandidate(plan, stop);
    expect(openKeysOf(plan)).toEqual([`TQQQ|${DATE}`]);
    expect(base.filled[0]).toBe(1);
    expect(stopped.filled[0]).toBe(0);
    expect(stopped.fallback[0]).toBe(0);
    expect(stopped.costs[0]!).toBeGreaterThan(base.costs[0]! + 100);
  });

  it('is deterministic', () => {
    expect(evaluateCandidate(plan, stop)).toEqual(evaluateCandidate(plan, stop));
  });
});
