import type { ExecutionRequest } from '../execution/step.js';
import type { ExecutionAction, ExecutionEvent, ExecutionSettings, ExecutionState } from '../execution/types.js';
import type { ResolvedWindows } from '../trading-day-windows.js';
import type { Money } from '../money.js';
import type { Quote } from '../quote.js';
import type { EpochMs, Price, Qty, Side } from '../units.js';
import type { RebalancePlan, RebalanceSettings } from './plan-types.js';

/**
 * One order of a rebalance and the ladder execution that works it.
 * - waiting: a buy that waits for the sells (or for a valid quote to be sized from);
 * - running: its execution works;
 * - done: its execution ended (filled, partial or failed: see `execution.outcome`);
 * - dropped: never started (re-sized to nothing, below the minimum trade, or no quote to size it).
 */
export type LegStatus = 'waiting' | 'running' | 'done' | 'dropped';

export interface RebalanceLeg {
  readonly symbol: string;
  readonly side: Side;
  /** `${rebalanceId}:${symbol}`: the execution id, and the prefix of every client order id it sends. */
  readonly executionId: string;
  /** The plan's quantity. */
  readonly plannedQty: Qty;
  /** A buy's quantity at its target; re-sizing never goes above it. */
  readonly desiredQty: Qty;
  readonly status: LegStatus;
  /** What the execution was started for (a buy: re-sized from the cash then); null before it starts. */
  readonly sentQty: Qty | null;
  /** A buy's cap (ExecutionRequest.priceCap), set when it starts. */
  readonly priceCap: Price | null;
  /** Cash set aside for a buy when it starts: sentQty at its cap, rounded up. */
  readonly reserved: Money;
  readonly filledQty: Qty;
  /** Sum of fill qty x price, exact (Qty x Price units): what the leg paid or received. */
  readonly notional: bigint;
  readonly execution: ExecutionState | null;
  /** Why it was dropped or re-sized; null otherwise. */
  readonly note: string | null;
}

/**
 * - selling: the sells work (and the buys too when the cash alone covers them);
 * - sizing: the sells are over; waiting for a valid quote of every buy to size them from;
 * - buying: the buys work;
 * - done: every leg is done or dropped.
 */
export type RebalancePhase = 'selling' | 'sizing' | 'buying' | 'done';

export type RebalanceOutcome = 'completed' | 'partial' | 'failed';

export interface RebalanceState {
  readonly rebalanceId: string;
  readonly phase: RebalancePhase;
  /** Cash before the first fill (Money). The balance is derived from it and the legs (`cashOf`). */
  readonly cashBefore: Money;
  /** Positions before the first fill. */
  readonly positionsBefore: Readonly<Record<string, Qty>>;
  readonly legs: readonly RebalanceLeg[];
  /** The newest quote seen per symbol of a leg. */
  readonly quotes: Readonly<Record<string, Quote | null>>;
  /** Phase 'sizing': the give-up time for the buys' quotes; null otherwise. */
  readonly sizingDeadline: EpochMs | null;
  readonly timer: { readonly id: string; readonly at: EpochMs } | null;
  readonly timerSeq: number;
  /** True once the buys started with the sells, the cash covering them all at their caps. */
  readonly buysWithSells: boolean;
  /** Trading-day windows given to every execution; null: each execution's built-in calendar. */
  readonly windows: ResolvedWindows | string | null;
  readonly outcome: { readonly status: RebalanceOutcome; readonly reason: string | null; readonly at: EpochMs } | null;
}

export type RebalanceEvent =
  /** A quote of one symbol: kept, and passed on to that symbol's execution if it runs. */
  | { readonly type: 'quote'; readonly time: EpochMs; readonly symbol: string; readonly quote: Quote }
  /** An event of one leg's execution: its timers and its broker reports. */
  | { readonly type: 'execution'; readonly symbol: string; readonly event: ExecutionEvent }
  /** The rebalance's own timer (the sizing deadline). */
  | { readonly type: 'timer'; readonly time: EpochMs; readonly id: string };

export type RebalanceAction =
  /** A leg's execution starts now, with this request (drivers open its journal and watch its symbol). */
  | { readonly kind: 'start-execution'; readonly symbol: string; readonly request: ExecutionRequest }
  /** An action of a leg's execution, to carry out as the single-execution drivers do. */
  | { readonly kind: 'execution'; readonly symbol: string; readonly action: ExecutionAction }
  | { readonly kind: 'set-timer'; readonly id: string; readonly at: EpochMs }
  | { readonly kind: 'log'; readonly event: string; readonly detail: string }
  | { readonly kind: 'finish'; readonly outcome: RebalanceOutcome; readonly reason: string | null };

export interface RebalanceMachineSettings {
  readonly rebalance: RebalanceSettings;
  /** The ladder settings of each symbol's execution. */
  readonly executions: Readonly<Record<string, ExecutionSettings>>;
  /** Each symbol's maxSlippageBps (a buy's cap is raised from its guard); null: no guard. */
  readonly maxSlippageBps: Readonly<Record<string, number | null>>;
}

export interface RebalanceRequest {
  readonly rebalanceId: string;
  readonly plan: RebalancePlan;
  readonly cash: Money;
  readonly positions: Readonly<Record<string, Qty>>;
  /** The quote per symbol at the start (the plan's). */
  readonly quotes: Readonly<Record<string, Quote | null>>;
  readonly time: EpochMs;
  /** Trading-day windows for every execution (the live driver passes the broker's); default: the built-in calendar. */
  readonly windows?: ResolvedWindows | string;
}

export interface RebalanceTransition {
  readonly state: RebalanceState;
  readonly actions: readonly RebalanceAction[];
}
