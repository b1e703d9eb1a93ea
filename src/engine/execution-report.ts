import type { EngineAlertCode } from './alerts/alert.js';
import type { Quote } from './quote.js';
import type { SpreadClass } from './spread.js';
import type { EpochMs, Price, Qty, Side } from './units.js';

/** Final or current state of one child order, as the broker reported it. */
export type ChildStatus = 'pending' | 'accepted' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected' | 'replaced';

/** Statuses after which a child can no longer trade. */
export const TERMINAL_CHILD_STATUSES: ReadonlySet<ChildStatus> = new Set(['filled', 'cancelled', 'rejected', 'replaced']);

export type ChildType = 'limit' | 'market';

export interface FillReport {
  readonly time: EpochMs;
  readonly price: Price;
  readonly qty: Qty;
  /** NBBO prevailing at the fill's time (null when unknown, e.g. no valid quote). */
  readonly bid: Price | null;
  readonly ask: Price | null;
}

export interface ChildOrderReport {
  readonly clientOrderId: string;
  readonly type: ChildType;
  /** Null for market orders. */
  readonly limitPrice: Price | null;
  readonly qty: Qty;
  readonly submittedAt: EpochMs;
  /** When the child reached a terminal state; null if it never did. */
  readonly endedAt: EpochMs | null;
  readonly status: ChildStatus;
  /** Broker's reason for a reject, else null. */
  readonly rejectReason: string | null;
  readonly fills: readonly FillReport[];
}

/** One entry of the decision log: what the strategy decided and why. */
export interface DecisionEvent {
  readonly time: EpochMs;
  readonly kind: string;
  readonly detail: string;
  /** On an `alert` entry only: the alert rule it feeds. */
  readonly code?: EngineAlertCode;
}

export type ExecutionOutcome = 'filled' | 'partial' | 'failed';

/** Transaction-cost analysis of one execution. Positive cost = worse for us. */
export interface Tca {
  /** Arrival mid in price units (may be a half unit); null when no valid arrival quote existed. */
  readonly arrivalMid: number | null;
  /** Volume-weighted fill price in price units; null when nothing filled. */
  readonly avgPrice: number | null;
  /** Implementation shortfall against the arrival mid. */
  readonly costBps: number | null;
  readonly costCentsPerShare: number | null;
  /** Fill-weighted cost against the NBBO mid prevailing at each fill. */
  readonly effectiveCostBps: number | null;
  /** Interval VWAP (decision to completion) from trade prints; null when the tape has no trades there. */
  readonly vwap: number | null;
  readonly vwapCostBps: number | null;
  /** True when costBps exceeds the configured alert bound. */
  readonly alert: boolean;
  /** That bound, bps; null only in records stored before it was kept (schema v8). */
  readonly alertBoundBps: number | null;
  /** The pre-market spread class whose slippage budget the bound is; null: ladder.alertCostBps (no assessment ran). */
  readonly alertBoundClass: SpreadClass | null;
}

/** What identifies one execution: the parent order and the strategy that worked it. */
export interface ExecutionMeta {
  readonly executionId: string;
  readonly strategy: string;
  readonly symbol: string;
  /** Trading date, YYYY-MM-DD. */
  readonly date: string;
  readonly side: Side;
  readonly qty: Qty;
  readonly decisionTime: EpochMs;
  /** The simulator's liquidity model that produced it ("conservative", "nominal"); null or absent for a real market. */
  readonly liquidity?: string | null;
}

export interface ExecutionReport extends ExecutionMeta {
  readonly liquidity: string | null;
  /** First valid NBBO at or after the decision (null if none came). */
  readonly arrival: Quote | null;
  readonly outcome: ExecutionOutcome;
  /** Why it failed or stopped short; null when filled. */
  readonly reason: string | null;
  readonly filledQty: Qty;
  readonly repegs: number;
  readonly usedFallback: boolean;
  /** From the decision to the last terminal child (or to the failure). */
  readonly durationMs: number;
  readonly tca: Tca;
  /**
   * Cost over the whole order in bps against the arrival mid, the unfilled remainder charged as if
   * completed at the far side at the window's end and never less than crossing at arrival (the
   * tuner's objective). Needs the market after the execution, so only the simulator sets it.
   */
  readonly chargedCostBps: number | null;
  readonly childOrders: readonly ChildOrderReport[];
  readonly events: readonly DecisionEvent[];
}
