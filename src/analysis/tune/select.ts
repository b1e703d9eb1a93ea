import { pairedBootstrapCi } from '../stats/bootstrap.js';
import { aggregate, summarizeCosts } from './objective.js';
import { splitOpens } from './split.js';
import type { Candidate, CandidateOutcome, CostSummary, Objective, OpenKeys, PairedComparison } from './types.js';

/**
 * Honest selection: the winner is chosen on the training opens only, and everything said about
 * it afterwards (its cost, its comparison with the default and with market) is measured on the
 * held-out test opens, which took no part in the choice.
 */

export interface TrainTest {
  readonly train: CostSummary;
  readonly test: CostSummary;
}

export interface RankedCandidate {
  readonly index: number;
  readonly candidate: Candidate;
  readonly trainObjective: number;
  /** Shown for context only: the choice never looks at it. */
  readonly testObjective: number;
}

export interface TuneReport {
  readonly objective: Objective;
  readonly split: { readonly trainOpens: readonly string[]; readonly testOpens: readonly string[]; readonly warning: string | null };
  readonly winner: { readonly index: number; readonly candidate: Candidate } & TrainTest;
  readonly default: TrainTest;
  readonly market: TrainTest;
  /** Winner minus default, on test executions (negative = the winner is cheaper). */
  readonly vsDefault: PairedComparison;
  /** Winner minus market, on test executions. */
  readonly vsMarket: PairedComparison;
  readonly overfitWarning: string | null;
  /**
   * Set when the winner completes fewer test executions than the default does. Its remainders are
   * charged at the window's close, which the mean and CVaR95 feel but p90 may not: a winner that
   * gives up on fewer than 10% of orders can look best on p90 precisely because it gives up.
   */
  readonly fillRateWarning: string | null;
  /** The best candidates by train objective (at most RANKING_SIZE), best first. */
  readonly ranking: readonly RankedCandidate[];
}

export interface SelectArgs {
  readonly candidates: readonly Candidate[];
  /** outcomes[i] is candidates[i]'s, all over the same plan and in the same execution order. */
  readonly outcomes: readonly CandidateOutcome[];
  /** The base configuration (candidate null) and the market baseline over the same plan. */
  readonly defaultOutcome: CandidateOutcome;
  readonly marketOutcome: CandidateOutcome;
  readonly openKeys: OpenKeys;
  readonly objective: Objective;
  readonly testFraction: number;
  readonly seed: string | number;
}

export const RANKING_SIZE = 10;
export const BOOTSTRAP_RESAMPLES = 2000;
/** The overfitting rule's tolerance: a train-to-test gap above max(this, OVERFIT_RELATIVE x |train|) is suspicious. */
export const OVERFIT_ABS_BPS = 2;
export const OVERFIT_RELATIVE = 0.5;

/** The subset's objective, with NaN (no executions) ranked last. */
function objectiveOn(outcome: CandidateOutcome, indices: readonly number[], objective: Objective): number {
  const v = aggregate(indices.map((i) => outcome.costs[i]!), objective);
  return Number.isNaN(v) ? Infinity : v;
}

/**
 * The overfitting rule. The winner is suspect when, on test:
 * - its objective is worse than on train by more than max(2 bps, 50% of |train objective|): it
 *   was probably picked for luck on the training opens (selection among many candidates always
 *   makes the winner's train number optimistic; this flags a gap beyond ordinary noise); or
 * - its objective is worse than the default configuration's: whatever it learned does not carry
 *   over, and keeping the default is the safer choice.
 * Returns the warning text, or null.
 */
export function overfitWarning(winner: TrainTest, defaults: TrainTest): string | null {
  const reasons: string[] = [];
  const tr = winner.train.objective;
  const te = winner.test.objective;
  const gap = te - tr;
  const tolerance = Math.max(OVERFIT_ABS_BPS, OVERFIT_RELATIVE * Math.abs(tr));
  if (gap > tolerance) reasons.push(`its test objective (${te.toFixed(2)} bps) is worse than its train objective (${tr.toFixed(2)} bps) by ${gap.toFixed(2)} bps, more than the ${tolerance.toFixed(2)} bps tolerance`);
  if (te > defaults.test.objective) reasons.push(`its test objective (${te.toFixed(2)} bps) is worse than the default configuration's (${defaults.test.objective.toFixed(2)} bps)`);
  return reasons.length === 0 ? null : `possible overfitting: ${reasons.join('; and ')}`;
}

/** The fill-rate rule: the winner's test fill rate is below the default's by more than one percentage point. */
export function fillRateWarning(winner: TrainTest, defaults: TrainTest): string | null {
  const w = winner.test.fillRate;
  const d = defaults.test.fillRate;
  if (!(w < d - 0.01)) return null;
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return `the winner fills ${pct(w)} of test executions by itself against the default's ${pct(d)}: its unfilled remainders are only charged at the window's close`;
}

function trainTest(outcome: CandidateOutcome, train: readonly number[], test: readonly number[], objective: Objective): TrainTest {
  return { train: summarizeCosts(outcome, train, objective), test: summarizeCosts(outcome, test, objective) };
}

/**
 * Splits the opens (splitOpens), ranks the candidates by their train objective (ties: lower
 * index), and reports the winner on test against the default and market, with open-clustered
 * paired bootstrap CIs. Deterministic for a seed. Throws RangeError for no candidates or for
 * outcomes whose length differs from the open keys.
 */
export function selectWinner(args: SelectArgs): TuneReport {
  const { candidates, outcomes, defaultOutcome, marketOutcome, openKeys, objective, testFraction, seed } = args;
  if (candidates.length === 0) throw new RangeError('no candidates to select from');
  if (outcomes.length !== candidates.length) throw new RangeError(`${candidates.length} candidates but ${outcomes.length} outcomes`);
  for (const o of [...outcomes, defaultOutcome, marketOutcome]) {
    if (o.costs.length !== openKeys.length) throw new RangeError(`an outcome has ${o.costs.length} executions, the plan ${openKeys.length}`);
  }
  const split = splitOpens(openKeys, testFraction, seed);
  const trainScores = outcomes.map((o) => objectiveOn(o, split.train, objective));
  // Stable sort: equal scores keep index order, so ties go to the lower index.
  const order = trainScores.map((_, i) => i).sort((x, y) => trainScores[x]! - trainScores[y]! || x - y);
  const best = order[0]!;
  const winnerOutcome = outcomes[best]!;
  const winner = { index: best, candidate: candidates[best]!, ...trainTest(winnerOutcome, split.train, split.test, objective) };
  const defaults = trainTest(defaultOutcome, split.train, split.test, objective);
  const market = trainTest(marketOutcome, split.train, split.test, objective);
  const compare = (against: string, other: CandidateOutcome): PairedComparison => {
    const r = pairedBootstrapCi(winnerOutcome.costs, other.costs, split.test, `${seed}|${against}`, BOOTSTRAP_RESAMPLES, openKeys);
    return { against, meanDiffBps: r.meanDiffBps, ci95: r.ci95, executions: split.test.length };
  };
  return {
    objective,
    split: { trainOpens: split.trainOpens, testOpens: split.testOpens, warning: split.warning },
    winner,
    default: defaults,
    market,
    vsDefault: compare('default', defaultOutcome),
    vsMarket: compare('market', marketOutcome),
    overfitWarning: overfitWarning(winner, defaults),
    fillRateWarning: fillRateWarning(winner, defaults),
    ranking: order.slice(0, RANKING_SIZE).map((i) => ({
      index: i,
      candidate: candidates[i]!,
      trainObjective: trainScores[i]!,
      testObjective: aggregate(split.test.map((j) => outcomes[i]!.costs[j]!), objective),
    })),
  };
}
