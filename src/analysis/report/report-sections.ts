/**
 * What a report page draws, as plain data (prices in dollars, times in seconds from a section's
 * origin), so the page's script only turns it into charts and tables. Built by the section
 * builders beside this file; rendered by report-page.ts.
 */

export interface SeriesPoint {
  readonly t: number;
  readonly v: number;
}

export interface ExecutionSection {
  readonly kind: 'execution';
  readonly title: string;
  readonly subtitle: string;
  /** Epoch ms that t = 0 stands for (the decision), and its ET wall clock for the axis label. */
  readonly originMs: number;
  readonly originLabel: string;
  /** The NBBO over the window (empty when the tape could not be loaded: `note` says why). */
  readonly quotes: { readonly t: readonly number[]; readonly bid: readonly (number | null)[]; readonly ask: readonly (number | null)[] };
  readonly prints: { readonly t: readonly number[]; readonly price: readonly number[]; readonly size: readonly number[] };
  /** Each child's limit from its submission to its end (market children have no limit and no line). */
  readonly children: readonly { readonly id: string; readonly type: string; readonly limit: number | null; readonly from: number; readonly to: number; readonly status: string }[];
  readonly fills: readonly { readonly t: number; readonly price: number; readonly shares: number; readonly child: string }[];
  readonly arrivalMid: number | null;
  readonly facts: readonly (readonly [string, string])[];
  readonly events: readonly { readonly t: number; readonly kind: string; readonly detail: string }[];
  readonly note: string | null;
}

/** Quantiles of one strategy's costs (bps) under one liquidity model, on the shared grid `RunSection.q`. */
export interface QuantileCurve {
  /** The strategy it belongs to: one colour per strategy across a section's charts. */
  readonly strategy: string;
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export interface RunSection {
  readonly kind: 'run';
  readonly title: string;
  readonly subtitle: string;
  /** Every strategy of the run, in first-recorded order. */
  readonly strategies: readonly string[];
  /** Probability grid 0..1 that every curve is sampled on. */
  readonly q: readonly number[];
  /** Per liquidity model: the whole-order cost quantiles of each strategy, and its paired difference against market. */
  readonly models: readonly { readonly liquidity: string; readonly costs: readonly QuantileCurve[]; readonly vsMarket: readonly QuantileCurve[] }[];
  readonly table: { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly notes: readonly string[];
}

export interface FrontierMark {
  readonly label: string;
  readonly p95Seconds: number;
  readonly meanCostBps: number;
  readonly role: 'frontier' | 'winner' | 'baseline' | 'default';
}

export interface SweepSection {
  readonly kind: 'sweep';
  readonly title: string;
  readonly subtitle: string;
  /** Per liquidity model: the train frontier, the winner, the default and the baselines (train numbers). */
  readonly models: readonly { readonly liquidity: string; readonly marks: readonly FrontierMark[] }[];
  readonly table: { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly notes: readonly string[];
}

export interface RebalanceSection {
  readonly kind: 'rebalance';
  readonly title: string;
  readonly subtitle: string;
  readonly originMs: number;
  readonly originLabel: string;
  /** One row per order: its symbol and side, and its fills over time. */
  readonly orders: readonly { readonly label: string; readonly from: number; readonly to: number; readonly fills: readonly { readonly t: number; readonly shares: number; readonly price: number }[] }[];
  readonly weights: readonly { readonly symbol: string; readonly before: number; readonly after: number; readonly target: number }[];
  readonly notes: readonly string[];
}

export type ReportSection = ExecutionSection | RunSection | SweepSection | RebalanceSection;
