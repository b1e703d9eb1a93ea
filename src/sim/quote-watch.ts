import type { ExecutionSettings, ExecutionState } from '../engine/execution/types.js';
import type { QuoteIndex } from './tape/tape-index.js';

/**
 * While the execution watches quotes (`watchesQuotes`), the first effective snapshot at or after
 * index `from` whose delivery could do more than replace the machine's `lastQuote`: log, arm a
 * timer, send, finish, set the arrival or the quote deadline. Every snapshot before it would leave
 * the state as it is but for `lastQuote`, so a driver may deliver only the last of them.
 *
 * This mirrors the waits of `observeQuote` and `advance` (engine/execution/step.ts, advance.ts):
 * - no arrival yet: the first valid quote sets it;
 * - awaiting a valid quote: the first valid quote, or the give-up deadline (or the close);
 * - awaiting a tight spread: the first invalid or tight quote, or the wait bound.
 * Quotes are delivered at their own time, so they are never stale. Whenever the state is not one
 * of these plain waits, the answer is the first snapshot at `from` (every one matters); a wrong answer
 * here is caught by the driver-equivalence property test, which compares with stepping every quote.
 */
export function nextQuoteForMachine(state: ExecutionState, settings: ExecutionSettings, index: QuoteIndex, from: number): number {
  const every = index.firstEffective(from);
  if (every >= index.length) return index.length;
  // A negative or NaN age limit would make a quote stale at its own time.
  if (!(settings.maxQuoteAgeMs >= 0)) return every;
  const w = state.windows;
  // advance() runs on quotes in these two waits: one before the open would meet its pre-market branch.
  const waiting = state.phase === 'awaiting-quote' || state.phase === 'awaiting-spread';
  if (waiting && (w === null || index.timeAt(every) < w.open)) return every;
  switch (state.phase) {
    case 'done':
      return index.length;
    case 'awaiting-quote': {
      if (w === null || state.quoteDeadline === null || state.timer?.at !== state.quoteDeadline) return every;
      const until = Math.min(state.quoteDeadline, w.close);
      return Math.min(index.firstValid(every), index.firstAtOrAfterTime(every, until));
    }
    case 'awaiting-spread': {
      const gate = settings.policy.openGate;
      if (w === null || gate === null || state.arrival === null || state.quoteDeadline !== null || state.timer === null || state.gatePassed) return every;
      const bound = state.assessment?.waitMs ?? gate.openWaitMs;
      const deadline = Math.min(Math.max(w.open, state.decisionTime) + bound, w.waitForSpreadsEnd);
      const until = Math.min(deadline, state.timer.at, w.waitForSpreadsEnd, w.close);
      const t = gate.thresholds;
      return Math.min(index.firstInvalid(every), index.firstTight(every, t.tightCents, t.tightBps), index.firstAtOrAfterTime(every, until));
    }
    default:
      // Other phases watch quotes only until the arrival is known: observeQuote alone runs.
      return state.arrival === null ? index.firstValid(every) : every;
  }
}
