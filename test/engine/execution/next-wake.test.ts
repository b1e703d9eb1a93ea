/**
 * nextWake says which quotes can change the machine (engine/execution/next-wake.ts). The property
 * holds it to the machine itself, not to a restated deadline: along random executions fed quotes
 * (and their timers when due), every quote the wake does NOT name, delivered at its own time no
 * later than the armed timer, leaves the state as it was but for `lastQuote`, with no action.
 * The oracle of "named" reads the quote the way a driver's index does: valid (quoteProblem), tight
 * (classifySpread), its time against the clauses' bounds.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nextWake, type QuoteAwaited } from '../../../src/engine/execution/next-wake.js';
import { startExecution, stepExecution } from '../../../src/engine/execution/step.js';
import type { ExecutionState } from '../../../src/engine/execution/types.js';
import { quoteProblem, type Quote } from '../../../src/engine/quote.js';
import { classifySpread } from '../../../src/engine/spread.js';
import { decisionTimeArb, qtyArb, rawConfigArb, setupFor, strategyArb } from './scenarios.js';

/** Whether a quote arriving at its own time satisfies a clause of `awaited`. */
function named(awaited: QuoteAwaited, q: Quote): boolean {
  if (q.time < awaited.everyBefore || q.time >= awaited.anyFrom) return true;
  const valid = quoteProblem(q, q.time, Number.MAX_SAFE_INTEGER) === null;
  if (awaited.valid && valid) return true;
  if (awaited.invalid && !valid) return true;
  return awaited.tight !== null && valid && classifySpread(q, awaited.tight) === 'tight';
}

const quoteStepArb = fc.record({
  dt: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 200_000 }) }),
  spreadTicks: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 60 })),
  kind: fc.oneof({ weight: 8, arbitrary: fc.constant('valid' as const) }, { weight: 1, arbitrary: fc.constantFrom('zero-bid' as const, 'crossed' as const, 'locked' as const) }),
});

function quoteOf(step: { readonly spreadTicks: number; readonly kind: 'valid' | 'zero-bid' | 'crossed' | 'locked' }, time: number): Quote {
  const bid = 500_000;
  const ask = bid + 100 * step.spreadTicks;
  const size = { bidSize: 100, askSize: 100 };
  if (step.kind === 'zero-bid') return { time, bid: 0, ask, ...size };
  if (step.kind === 'crossed') return { time, bid: ask, ask: bid, ...size };
  if (step.kind === 'locked') return { time, bid, ask: bid, ...size };
  return { time, bid, ask, ...size };
}

describe('nextWake', () => {
  it('a quote it does not name changes nothing but lastQuote', () => {
    let checked = 0;
    fc.assert(
      fc.property(strategyArb, rawConfigArb, decisionTimeArb, qtyArb, fc.array(quoteStepArb, { minLength: 1, maxLength: 60 }), (strategy, raw, decisionTime, qty, steps) => {
        const setup = setupFor(strategy, raw, { side: 'buy', qty, decisionTime, quote: null });
        let state: ExecutionState = startExecution(setup.request, setup.settings).state;
        let t = decisionTime;
        for (const step of steps) {
          if (state.phase === 'done') return;
          t += step.dt;
          // The timer comes first when it is due before the quote (a driver delivers it at its time).
          if (state.timer !== null && state.timer.at < t) {
            state = stepExecution(state, { type: 'timer', time: state.timer.at, id: state.timer.id }, setup.settings).state;
            if (state.phase === 'done') return;
          }
          const q = quoteOf(step, Math.max(t, state.lastQuote?.time ?? t));
          const wake = nextWake(state, setup.settings);
          const next = stepExecution(state, { type: 'quote', time: q.time, quote: q }, setup.settings);
          if (wake.quotes === null || !named(wake.quotes, q)) {
            checked++;
            expect(next.actions).toEqual([]);
            expect(isDeepStrictEqual(next.state, { ...state, lastQuote: q })).toBe(true);
          }
          state = next.state;
        }
      }),
      { numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(0);
  });

  it('names the armed timer', () => {
    const setup = setupFor('ladder', {}, { side: 'buy', qty: 1e9, decisionTime: Date.UTC(2024, 2, 4, 13, 0), quote: null });
    const { state } = startExecution(setup.request, setup.settings);
    expect(state.phase).toBe('awaiting-open');
    expect(nextWake(state, setup.settings).timer).toEqual(state.timer);
    expect(state.timer).not.toBeNull();
  });
});
