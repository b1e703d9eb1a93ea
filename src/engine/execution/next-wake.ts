import type { ResolvedWindows } from '../trading-day-windows.js';
import type { SpreadThresholds } from '../spread.js';
import type { EpochMs } from '../units.js';
import type { ExecutionSettings, ExecutionState, OpenGate } from './types.js';

/**
 * What the machine waits for, so that no driver restates its deadlines (xstate's
 * getNextTransitions has the same job). THE one definition of the machine's waits is here:
 * `spreadWaitDeadline` (advance.ts arms its timer with it) and `nextWake` below. The sim driver
 * jumps ahead to the first quote `quotes` names (sim/run-lanes.ts, through the tape index); the
 * live driver arms a real timer for `timer` (live/driver/live-driver.ts).
 */
export interface Wake {
  /** The machine's one armed timer (a timer event with another id changes nothing); null: none. */
  readonly timer: { readonly id: string; readonly at: EpochMs } | null;
  /** The quotes that can change more than the machine's `lastQuote`; null: none can. */
  readonly quotes: QuoteAwaited | null;
}

/**
 * A predicate on quotes, each delivered at its own time (so never stale): the first quote that
 * satisfies any of its clauses is the next one the machine must see. Every quote before it would
 * only replace `lastQuote`, so a driver may deliver only the last of those.
 */
export interface QuoteAwaited {
  /** Every quote strictly before this time matters (Infinity: every quote; -Infinity: none by this clause). */
  readonly everyBefore: EpochMs;
  /** A valid quote (two-sided, not crossed or locked). */
  readonly valid: boolean;
  /** An invalid quote. */
  readonly invalid: boolean;
  /** A valid quote whose spread is tight by these thresholds; null: not awaited. */
  readonly tight: SpreadThresholds | null;
  /** Any quote at or after this time (Infinity: none by this clause). */
  readonly anyFrom: EpochMs;
}

const EVERY_QUOTE: QuoteAwaited = { everyBefore: Infinity, valid: false, invalid: false, tight: null, anyFrom: Infinity };

/**
 * When a wait for a tight spread after the open gives up: the wait bound (the pre-market
 * assessment's, else the gate's) from the open or the later decision, never past the end of the
 * wait-for-spreads window.
 */
export function spreadWaitDeadline(state: Pick<ExecutionState, 'assessment' | 'decisionTime'>, gate: OpenGate, w: ResolvedWindows): { readonly bound: number; readonly waitFrom: EpochMs; readonly deadline: EpochMs } {
  const bound = state.assessment?.waitMs ?? gate.openWaitMs;
  const waitFrom = Math.max(w.open, state.decisionTime);
  return { bound, waitFrom, deadline: Math.min(waitFrom + bound, w.waitForSpreadsEnd) };
}

/** True while some quote can change the execution beyond its `lastQuote`: a driver must then feed it quotes. */
export function watchesQuotes(state: ExecutionState): boolean {
  if (state.phase === 'done') return false;
  return state.arrival === null || state.phase === 'awaiting-quote' || state.phase === 'awaiting-spread';
}

/**
 * The machine's next wake: its timer, and which quote could do more than replace `lastQuote`
 * (log, arm a timer, send, finish, set the arrival or the quote deadline). It reads the waits of
 * `observeQuote` and `advance` (step.ts, advance.ts):
 * - no arrival yet: the first valid quote sets it;
 * - awaiting a valid quote: the first valid quote, or the give-up deadline (or the close);
 * - awaiting a tight spread: the first invalid or tight quote, or the wait bound (or the end of
 *   the window, or the close);
 * - in those two waits, every quote before the open (advance() would meet its pre-market branch).
 * Any state that is not one of these plain waits asks for every quote. The sim driver's
 * equivalence property (test/sim/driver-equivalence.test.ts) compares jumping to these quotes
 * with stepping every one.
 */
export function nextWake(state: ExecutionState, settings: ExecutionSettings): Wake {
  return { timer: state.timer, quotes: watchesQuotes(state) ? quotesAwaited(state, settings) : null };
}

function quotesAwaited(state: ExecutionState, settings: ExecutionSettings): QuoteAwaited {
  // A negative or NaN age limit would make a quote stale at its own time.
  if (!(settings.maxQuoteAgeMs >= 0)) return EVERY_QUOTE;
  const w = state.windows;
  if (state.phase === 'awaiting-quote' || state.phase === 'awaiting-spread') {
    if (w === null) return EVERY_QUOTE;
    if (state.phase === 'awaiting-quote') {
      if (state.quoteDeadline === null || state.timer?.at !== state.quoteDeadline) return EVERY_QUOTE;
      return { everyBefore: w.open, valid: true, invalid: false, tight: null, anyFrom: Math.min(state.quoteDeadline, w.close) };
    }
    const gate = settings.policy.openGate;
    if (gate === null || state.arrival === null || state.quoteDeadline !== null || state.timer === null || state.gatePassed) return EVERY_QUOTE;
    const { deadline } = spreadWaitDeadline(state, gate, w);
    return { everyBefore: w.open, valid: false, invalid: true, tight: gate.thresholds, anyFrom: Math.min(deadline, state.timer.at, w.waitForSpreadsEnd, w.close) };
  }
  // Other phases watch quotes only until the arrival is known: observeQuote alone runs.
  return { everyBefore: -Infinity, valid: true, invalid: false, tight: null, anyFrom: Infinity };
}
