import type { EngineAlertCode } from '../alerts/alert.js';
import type { FallbackMode, RepegMode } from '../config.js';
import type { ChildStatus, ChildType, ExecutionOutcome } from '../execution-report.js';
import type { ResolvedWindows, WindowTimes } from '../trading-day-windows.js';
import type { Quote } from '../quote.js';
import type { SpreadClass, SpreadThresholds } from '../spread.js';
import type { EpochMs, Price, Qty, Side } from '../units.js';

/** Inputs of the execution state machine. Every event carries the time it happened (epoch ms). */
export type ExecutionEvent =
  | { readonly type: 'quote'; readonly time: EpochMs; readonly quote: Quote }
  | { readonly type: 'timer'; readonly time: EpochMs; readonly id: string }
  | { readonly type: 'accepted'; readonly time: EpochMs; readonly clientOrderId: string }
  /** `time` is when the client learns of the fill; `executedAt` when it happened at the venue (defaults to `time`). */
  | { readonly type: 'fill'; readonly time: EpochMs; readonly clientOrderId: string; readonly qty: Qty; readonly price: Price; readonly executedAt?: EpochMs }
  | { readonly type: 'cancelled'; readonly time: EpochMs; readonly clientOrderId: string }
  | { readonly type: 'rejected'; readonly time: EpochMs; readonly clientOrderId: string; readonly reason: string }
  | { readonly type: 'cancel-rejected'; readonly time: EpochMs; readonly clientOrderId: string; readonly reason: string }
  /** The broker replaced `clientOrderId` by `newClientOrderId`, working `qty` (it may be less than asked if the old order filled meanwhile). */
  | { readonly type: 'replaced'; readonly time: EpochMs; readonly clientOrderId: string; readonly newClientOrderId: string; readonly qty: Qty }
  /** The replace of `clientOrderId` was refused (typically: it filled first); the old order's fate arrives separately. */
  | { readonly type: 'replace-rejected'; readonly time: EpochMs; readonly clientOrderId: string; readonly newClientOrderId: string; readonly reason: string };

export interface OrderRequest {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly type: ChildType;
  readonly qty: Qty;
  /** Null for market orders. */
  readonly limitPrice: Price | null;
}

/** Outputs: inert descriptions that a driver carries out. */
export type ExecutionAction =
  | { readonly kind: 'submit'; readonly order: OrderRequest }
  | { readonly kind: 'cancel'; readonly clientOrderId: string }
  /** Alpaca-style replace: `clientOrderId` keeps working (and may fill) until the broker swaps in `order`. */
  | { readonly kind: 'replace'; readonly clientOrderId: string; readonly order: OrderRequest }
  | { readonly kind: 'set-timer'; readonly id: string; readonly at: EpochMs }
  | { readonly kind: 'log'; readonly event: string; readonly detail: string }
  /** Something a person should hear of; `code` names the alert rule it feeds (alerts/alert.ts). */
  | { readonly kind: 'alert'; readonly code: EngineAlertCode; readonly detail: string }
  | { readonly kind: 'finish'; readonly outcome: ExecutionOutcome; readonly reason: string | null };

export type Phase =
  | 'awaiting-open' // decided before the open; the timer fires at the open
  | 'awaiting-quote' // no valid quote to price from; the timer is the give-up deadline
  | 'awaiting-spread' // first window, spread not tight yet; the timer is the wait bound
  | 'working' // one child live; the timer is its timeout
  | 'cancelling' // cancel sent; waiting for its confirmation or for the fill that beat it
  | 'replacing' // replace sent; the old child still works until the broker confirms or refuses
  | 'done';

export interface ChildState {
  readonly clientOrderId: string;
  readonly type: ChildType;
  readonly limitPrice: Price | null;
  readonly qty: Qty;
  readonly filledQty: Qty;
  readonly status: ChildStatus;
  readonly isFallback: boolean;
}

/** The pre-market step's verdict: how long to wait for spreads after the open, and the cost to expect. */
export interface Assessment {
  readonly spreadClass: SpreadClass;
  readonly waitMs: number;
  /** Cost (bps from the arrival mid) above which the execution raises an alert. */
  readonly slippageBudgetBps: number;
}

export interface ExecutionState {
  readonly executionId: string;
  readonly side: Side;
  readonly targetQty: Qty;
  readonly decisionTime: EpochMs;
  readonly windows: ResolvedWindows | null;
  readonly phase: Phase;
  readonly filledQty: Qty;
  readonly children: readonly ChildState[];
  /** The one child that may still be working at the broker, if any. */
  readonly liveChild: string | null;
  /** The replacement asked for while replacing; it becomes live only when the broker confirms. */
  readonly pendingReplacement: string | null;
  /**
   * Schedule steps taken: limit children sent by the schedule, plus steps for which the working
   * child was kept because its re-peg would not have changed its price (the fallback child is not
   * counted).
   */
  readonly limitChildren: number;
  /** Re-pegs taken, whether they sent a new limit or kept the working one. */
  readonly repegs: number;
  readonly usedFallback: boolean;
  readonly lastQuote: Quote | null;
  /** First valid quote at or after the decision: the TCA and slippage-guard anchor. */
  readonly arrival: Quote | null;
  readonly assessment: Assessment | null;
  /** Worst limit the slippage guard (or the price cap, when tighter) allows; null: no guard. */
  readonly guard: Price | null;
  /**
   * The request's hard cap on every child's price (ExecutionRequest.priceCap), or null. While one
   * is set the execution never sends a market order: its market fallback is a limit at the guard.
   */
  readonly priceCap: Price | null;
  /** Open timing has let the execution start (always true for strategies without the gate). */
  readonly gatePassed: boolean;
  readonly quoteDeadline: EpochMs | null;
  readonly timer: { readonly id: string; readonly at: EpochMs } | null;
  readonly timerSeq: number;
  readonly outcome: { readonly status: ExecutionOutcome; readonly reason: string | null; readonly at: EpochMs } | null;
}

/** The ladder's open timing: go at once on a tight spread, else wait a bounded time. */
export interface OpenGate {
  readonly thresholds: SpreadThresholds;
  readonly openWaitMs: number;
  /** Pre-market assessment table; null when the assessment is off. */
  readonly assessment: Readonly<Record<SpreadClass, { readonly waitMs: number; readonly slippageBudgetBps: number }>> | null;
}

/**
 * What distinguishes one strategy from another. The state machine is shared so that the ladder
 * and the baselines face identical order handling, validity rules and timing.
 */
export interface ExecutionPolicy {
  readonly name: string;
  /** Limit children in the schedule before the fallback (0: the fallback is the whole strategy). */
  readonly limitSteps: number;
  /** Limit price for schedule step `step` (0-based) from a valid quote, before the guard. */
  limitPrice(side: Side, quote: Quote, step: number): Price;
  /**
   * How long schedule step `step`, sent (or kept, or confirmed by a replace) at `submittedAt` from
   * `quote` (the last valid quote then; null if none), may work before it is re-pegged.
   */
  timeoutMs(step: number, submittedAt: EpochMs, windows: ResolvedWindows, quote: Quote | null): number;
  readonly fallback: FallbackMode;
  readonly fallbackTimeoutMs: number;
  /** How a timed-out limit is re-pegged: cancel, confirm, then submit; or an Alpaca-style replace. */
  readonly repegMode: RepegMode;
  readonly openGate: OpenGate | null;
  /** Slippage guard from the arrival mid; null: none. */
  readonly maxSlippageBps: number | null;
}

export interface ExecutionSettings {
  readonly policy: ExecutionPolicy;
  readonly maxQuoteAgeMs: number;
  readonly quoteWaitMs: number;
  readonly windowTimes: WindowTimes;
}

/**
 * An event the machine does not expect in its phase (a `replaced` with no replace pending, a
 * report for an order it never sent or already ended): the state is left as it was and the
 * decision log gets an `ignored` entry naming the phase and the event (nautilus_trader names its
 * illegal order transitions the same way), so a broker surprise is visible in the record.
 */
export interface IgnoredEvent {
  readonly phase: Phase;
  readonly event: ExecutionEvent['type'];
  readonly reason: string;
}

export interface Transition {
  readonly state: ExecutionState;
  readonly actions: readonly ExecutionAction[];
  /** Set when the event was not expected: the state is unchanged, the one action is the `ignored` log. */
  readonly ignored?: IgnoredEvent;
}

/** How long a sent cancel or replace may stay unconfirmed before the execution gives up (the order may still be live). */
export const CANCEL_CONFIRM_TIMEOUT_MS = 10_000;
