import { describe, expect, it } from 'vitest';
import { splitOpens } from '../../../src/analysis/tune/split.js';

/** Executions of `opens` opens, `per` each, in plan order (an open's executions are contiguous, as in a plan). */
function keys(opens: number, per: number): string[] {
  return Array.from({ length: opens * per }, (_, i) => `TQQQ|2024-03-${String(1 + Math.floor(i / per)).padStart(2, '0')}`);
}

describe('splitOpens', () => {
  it('splits whole opens, never one on both sides, and covers every execution once', () => {
    const k = keys(10, 8);
    const s = splitOpens(k, 0.4, 1);
    expect(s.testOpens).toHaveLength(4);
    expect(s.trainOpens).toHaveLength(6);
    expect(s.trainOpens.filter((o) => s.testOpens.includes(o))).toEqual([]);
    expect([...s.train, ...s.test].sort((a, b) => a - b)).toEqual(k.map((_, i) => i));
    for (const i of s.train) expect(s.trainOpens).toContain(k[i]);
    for (const i of s.test) expect(s.testOpens).toContain(k[i]);
    expect(s.warning).toBeNull();
  });

  it('is seeded: the same seed gives the same split, other seeds other splits', () => {
    const k = keys(12, 3);
    expect(splitOpens(k, 0.5, 'a')).toEqual(splitOpens(k, 0.5, 'a'));
    const distinct = new Set([1, 2, 3, 4, 5, 6].map((seed) => splitOpens(k, 0.5, seed).testOpens.join()));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('keeps at least one open on each side', () => {
    expect(splitOpens(keys(2, 4), 0.01, 1).testOpens).toHaveLength(1);
    expect(splitOpens(keys(2, 4), 0.99, 1).trainOpens).toHaveLength(1);
    expect(splitOpens(keys(3, 1), 0.9, 1).trainOpens).toHaveLength(1);
  });

  it('with a single open, uses it for both and says so', () => {
    const s = splitOpens(keys(1, 5), 0.4, 1);
    expect(s.train).toEqual([0, 1, 2, 3, 4]);
    expect(s.test).toEqual([0, 1, 2, 3, 4]);
    expect(s.warning).toMatch(/only one open/);
  });

  it('treats the same day on two symbols as two opens', () => {
    const k = ['TQQQ|2024-03-04', 'SOXL|2024-03-04', 'TQQQ|2024-03-04', 'SOXL|2024-03-04'];
    const s = splitOpens(k, 0.5, 3);
    expect(s.trainOpens).toHaveLength(1);
    expect(s.testOpens).toHaveLength(1);
    expect(s.train.map((i) => k[i])).toEqual([s.trainOpens[0], s.trainOpens[0]]);
  });

  it('refuses a fraction outside (0, 1) and an empty plan', () => {
    expect(() => splitOpens(keys(4, 1), 0, 1)).toThrow(RangeError);
    expect(() => splitOpens(keys(4, 1), 1, 1)).toThrow(/between 0 and 1/);
    expect(() => splitOpens([], 0.5, 1)).toThrow(/no executions/);
  });
});
