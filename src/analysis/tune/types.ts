/**
 * The tuner's shared vocabulary (issue 4). A sweep evaluates candidate ladder configurations on
 * every order of a plan, splits the opens by day into train and test, picks the best candidate on
 * train and reports it honestly on test.
 */

/** Values for dotted ladder fields (e.g. "timeouts.openMs": 1500), merged over the base `ladder`. */
export type Candidate = Readonly<Record<string, number | string | null>>;

export const OBJECTIVES = ['mean', 'p90', 'cvar95'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/**
 * A search space: for a grid, the values of each field (the cartesian product is swept); for
 * random search, a range or a list per field (N candidates are drawn, seeded).
 */
export type FieldDomain =
  | { readonly values: readonly (number | string | null)[] }
  | { readonly min: number; readonly max: number; readonly integer?: boolean };
export type SearchSpace = Readonly<Record<string, FieldDomain>>;

/**
 * What one candidate did on every order of the plan (the ladder strategy), in plan order.
 * `costs[i]` is execution i's objective cost in bps against its arrival mid, positive = cost, with
 * any unfilled remainder charged as if completed at the close of the scenario window.
 */
export interface CandidateOutcome {
  readonly costs: Float64Array;
  /** 1 when execution i filled its whole quantity by itself. */
  readonly filled: Uint8Array;
  /** 1 when execution i used the fallback. */
  readonly fallback: Uint8Array;
  /**
   * Milliseconds from execution i's decision to its last fill, +Infinity when it did not fill
   * completely (not complete, whatever it filled). Absent only in results stored before it existed.
   */
  readonly completeMs?: Float64Array;
  /**
   * 1 when execution i sent at least one order. Only fresh results carry it (the database keeps
   * costs, fills and fallbacks): the sweep uses it to notice a plan in which nothing can start.
   */
  readonly started?: Uint8Array;
}

/** The day (`SYMBOL|YYYY-MM-DD`) of each execution of the plan, in plan order: the unit of the train/test split. */
export type OpenKeys = readonly string[];

export interface CostSummary {
  /** The objective over the subset (mean, p90 or CVaR95 of costs). */
  readonly objective: number;
  readonly mean: number;
  /** 95% CI of the mean cost. */
  readonly meanCi95: readonly [number, number] | null;
  readonly fillRate: number;
  readonly fallbackRate: number;
  /**
   * 95th percentile of the time to complete, seconds (unfilled orders count as never complete, so
   * it is +Infinity, null in JSON, when more than about 5% did not fill; NaN when unmeasured).
   */
  readonly p95Seconds: number;
  readonly executions: number;
}

/** A paired comparison on the same executions: mean of (candidate - other) with a bootstrap 95% CI. */
export interface PairedComparison {
  readonly against: string;
  readonly meanDiffBps: number;
  readonly ci95: readonly [number, number];
  readonly executions: number;
}
