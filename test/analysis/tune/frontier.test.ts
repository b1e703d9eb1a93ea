import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paretoFrontier, type FrontierInput } from '../../../src/analysis/tune/frontier.js';

/** a dominates b: no worse on cost and time, better on one (the definition, brute force). */
const dominates = (a: FrontierInput<number>, b: FrontierInput<number>): boolean =>
  a.meanCostBps <= b.meanCostBps && a.p95Seconds <= b.p95Seconds && (a.meanCostBps < b.meanCostBps || a.p95Seconds < b.p95Seconds);

// Small integer grids make ties and duplicates common; some times never complete.
const pointArb = fc.record({
  meanCostBps: fc.integer({ min: -5, max: 5 }),
  p95Seconds: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: fc.constant(Infinity) }),
  fillRate: fc.constant(1),
});
const pointsArb = fc.array(pointArb, { maxLength: 30 }).map((ps) => ps.map((p, item): FrontierInput<number> => ({ ...p, item })));

describe('paretoFrontier', () => {
  it('keeps exactly the finite points nothing dominates, one of each tie (the first), fastest first', () => {
    fc.assert(
      fc.property(pointsArb, (points) => {
        const frontier = paretoFrontier(points);
        const finite = points.filter((p) => Number.isFinite(p.p95Seconds));
        const undominated = finite.filter((p) => !finite.some((q) => dominates(q, p)));
        // One per distinct (cost, time), the first in input order.
        const firsts = undominated.filter((p) => undominated.find((q) => q.meanCostBps === p.meanCostBps && q.p95Seconds === p.p95Seconds) === p);
        expect(new Set(frontier.map((p) => p.item))).toEqual(new Set(firsts.map((p) => p.item)));
        for (let i = 1; i < frontier.length; i++) {
          expect(frontier[i]!.p95Seconds).toBeGreaterThan(frontier[i - 1]!.p95Seconds);
          expect(frontier[i]!.meanCostBps).toBeLessThan(frontier[i - 1]!.meanCostBps);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out points that never complete, even the cheapest', () => {
    const points: FrontierInput<string>[] = [
      { meanCostBps: 1, p95Seconds: Infinity, fillRate: 0.8, item: 'stopper' },
      { meanCostBps: 3, p95Seconds: 2, fillRate: 1, item: 'fast' },
      { meanCostBps: 2, p95Seconds: 9, fillRate: 1, item: 'slow' },
      { meanCostBps: 4, p95Seconds: 9, fillRate: 1, item: 'beaten' },
    ];
    expect(paretoFrontier(points).map((p) => p.item)).toEqual(['fast', 'slow']);
  });
});
