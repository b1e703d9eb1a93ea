import type { Money } from '../money.js';
import type { Quote } from '../quote.js';
import type { Price, Qty, Side } from '../units.js';

/** What the portfolio should hold: fractions of equity (the rest in cash), or share counts. */
export type RebalanceTargets =
  | { readonly kind: 'weights'; readonly weights: Readonly<Record<string, number>> }
  | { readonly kind: 'shares'; readonly shares: Readonly<Record<string, Qty>> };

/** How a rebalance trades (config `rebalance`; the targets file may set minTradeUsd and driftPct). */
export interface RebalanceSettings {
  /** Whole shares only: every quantity is floored (buys) or rounded (sells) to whole shares. */
  readonly wholeShares: boolean;
  /** Dollars: an order worth less than this at the mid is not sent (Alpaca's floor for fractional orders is $1). */
  readonly minTradeUsd: number;
  /** Percentage points of equity: a symbol whose weight is closer than this to its target is left alone. */
  readonly driftPct: number;
  /** Bps over a buy's guard (or, with no guard, its far side) at which the buy's cash is reserved and its price capped. */
  readonly cashBufferBps: number;
}

/** The price side of one symbol: its quote at the plan (the arrival mid sizes it) and its slippage guard. */
export interface SymbolMarket {
  readonly quote: Quote;
  /** The ladder's maxSlippageBps for this symbol; null: no guard. */
  readonly maxSlippageBps: number | null;
}

export interface RebalanceInput {
  readonly targets: RebalanceTargets;
  /** Shares held per symbol (Qty, never negative). Every held symbol must have a target. */
  readonly positions: Readonly<Record<string, Qty>>;
  readonly cash: Money;
  /** A valid quote for every symbol of the targets and positions. */
  readonly markets: Readonly<Record<string, SymbolMarket>>;
  readonly settings: RebalanceSettings;
}

export interface PlannedOrder {
  readonly symbol: string;
  readonly side: Side;
  /** The quantity the plan would send now: a buy bounded by the cash it expects. */
  readonly qty: Qty;
  /** A buy's quantity that reaches its target, before any cash bound (re-sizing never goes above it). Equals qty for a sell. */
  readonly desiredQty: Qty;
  /** A buy's price cap at the plan's quote: no child above it, and its cash is reserved at it. Null for a sell. */
  readonly priceCap: Price | null;
  readonly reason: string;
}

export interface LeftAlone {
  readonly symbol: string;
  readonly reason: string;
}

export interface RebalancePlan {
  /** Sells first, then buys; symbols in alphabetical order within each. */
  readonly sells: readonly PlannedOrder[];
  readonly buys: readonly PlannedOrder[];
  readonly leftAlone: readonly LeftAlone[];
  /** Cash plus every position at its mid. */
  readonly equity: Money;
  /** What the sells surely raise if they fill: at their guard, or at the bid without one. */
  readonly expectedSellProceeds: Money;
  /** Whether the cash alone covers every buy at its cap, so the buys can start with the sells. */
  readonly buysCoveredByCash: boolean;
}
