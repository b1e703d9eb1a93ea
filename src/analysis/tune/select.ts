import { aggregate, summarizeCosts } from './objective.js';
import { splitOpens } from './split.js';
import type { Candidate, CandidateOutcome, Objective, OpenKeys } from './types.js';
import { flipsBetween, modelVerdict, RIVAL_NAMES, type Flip, type FrontierPoint, type ModelSplit, type ModelVerdict, type Rival, type RivalName, type TrainTest } from './verdict.js';
import type { BaselineName } from './verdict.js';

export type { TrainTest } from './verdict.js';

/**
 * Honest selection: the winner is chosen on the training opens only, under one liquidity model
 * (conservative when the sweep has it: it credits nothing the tape cannot show, so a winner it
 * picks does not owe its win to queue assumptions), among the candidates whose train p95 time to
 * complete meets the deadline, if one is given. Everything said about the winner afterwards is
 * measured on the held-out test opens, under every liquidity model of the sweep.
 */

export interface RankedCandidate {
  readonly index: number;
  readonly candidate: Candidate;
  readonly trainObjective: number;
  readonly trainP95Seconds: number;
  /** Shown for context only: the choice never looks at it. */
  readonly testObjective: number;
}

/** Why the cheapest eligible candidate was not the one reported (or not written), when it fills less than the default. */
export interface UnderfillNote {
  /** The cheapest eligible candidate on train. */
  readonly cheapest: number;
  /** Where it fills less than the default: "test under nominal: 97.9% against 100.0%". */
  readonly where: string;
  /** 'replaced': the next-best complete candidate won; 'kept': --allow-underfill kept it; 'no-complete-candidate': none fills as much. */
  readonly resolution: 'replaced' | 'kept' | 'no-complete-candidate';
  readonly note: string;
}

export interface TuneReport {
  readonly objective: Objective;
  readonly maxP95Seconds: number | null;
  readonly allowUnderfill: boolean;
  readonly liquidity: { readonly models: readonly string[]; readonly selection: string };
  readonly split: { readonly trainOpens: readonly string[]; readonly testOpens: readonly string[]; readonly warning: string | null };
  /** Candidates whose train p95 time to complete meets maxP95Seconds (all of them without a bound). */
  readonly eligible: number;
  /** The winner's numbers under the selection model (byLiquidity has every model's). */
  readonly winner: { readonly index: number; readonly candidate: Candidate } & TrainTest;
  readonly default: Rival;
  readonly baselines: Readonly<Record<BaselineName, Rival>>;
  readonly frontier: readonly FrontierPoint[];
  readonly byLiquidity: Readonly<Record<string, ModelVerdict>>;
  readonly flips: readonly Flip[];
  readonly underfill: UnderfillNote | null;
  /** Why `--out` must not write the winner (it fills less than the default and --allow-underfill was not given), or null. */
  readonly writeBlocked: string | null;
  readonly overfitWarning: string | null;
  /** The winner completes fewer test executions than the default (only possible with --allow-underfill). */
  readonly fillRateWarning: string | null;
  /** The best eligible candidates by train objective (at most RANKING_SIZE), best first. */
  readonly ranking: readonly RankedCandidate[];
}

export interface SelectArgs {
  readonly candidates: readonly Candidate[];
  /** outcomes[i] is candidates[i]'s, all over the same plan and in the same execution order. */
  readonly outcomes: readonly CandidateOutcome[];
  /** The base configuration (candidate null) and the baselines over the same plan. */
  readonly rivals: Readonly<Record<RivalName, CandidateOutcome>>;
  readonly openKeys: OpenKeys;
  /** The liquidity model of each execution (one model: omit, or all the same). */
  readonly liquidityKeys?: readonly string[];
  readonly objective: Objective;
  readonly testFraction: number;
  readonly seed: string | number;
  /** Only candidates whose train p95 time to complete is within this many seconds may win. */
  readonly maxP95Seconds?: number | null;
  /** Report (and let --out write) the cheapest candidate even when it fills less than the default. */
  readonly allowUnderfill?: boolean;
}

/** No candidate may win: none meets the deadline. A RangeError, so the CLI prints its one line. */
export class NoEligibleCandidate extends RangeError {
  override readonly name = 'NoEligibleCandidate';
}

export const RANKING_SIZE = 10;
export const BOOTSTRAP_RESAMPLES = 2000;
/** The overfitting rule's tolerance: a train-to-test gap above max(this, OVERFIT_RELATIVE x |train|) is suspicious. */
export const OVERFIT_ABS_BPS = 2;
export const OVERFIT_RELATIVE = 0.5;
/** The selection model when the sweep has it. */
export const SELECTION_LIQUIDITY = 'conservative';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

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
  return `the winner fills ${pct(w)} of test executions by itself against the default's ${pct(d)}: its unfilled remainders are only charged at the window's close`;
}

/** Fill rate of an outcome over some executions. */
function fillRate(o: CandidateOutcome, indices: readonly number[]): number {
  let n = 0;
  for (const i of indices) n += o.filled[i]!;
  return indices.length === 0 ? Number.NaN : n / indices.length;
}

/**
 * Where a candidate fills less of the executions than the default does, on train or on test
 * under any model ("test under nominal: 97.9% against 100.0%"), or null when nowhere. It reads
 * fill rates only, never costs, so the test opens still take no part in ranking costs.
 */
function underfilledWhere(o: CandidateOutcome, defaults: CandidateOutcome, splits: ReadonlyMap<string, ModelSplit>): string | null {
  for (const [model, split] of splits) {
    for (const side of ['train', 'test'] as const) {
      const w = fillRate(o, split[side]);
      const d = fillRate(defaults, split[side]);
      if (w < d) return `${side} under ${model}: ${pct(w)} against ${pct(d)}`;
    }
  }
  return null;
}

/** Per model, its train and test executions. */
function modelSplits(models: readonly string[], liquidityKeys: readonly string[], train: readonly number[], test: readonly number[]): Map<string, ModelSplit> {
  const of = (indices: readonly number[], m: string): number[] => indices.filter((i) => liquidityKeys[i] === m);
  return new Map(models.map((m) => [m, { train: of(train, m), test: of(test, m) }]));
}

/**
 * Splits the opens (splitOpens), keeps the candidates whose train p95 meets the deadline, ranks
 * them by their train objective under the selection model (ties: lower index), takes the best
 * that fills at least as much as the default everywhere (unless allowUnderfill), and reports it
 * on test under every model against the default and each baseline, with open-clustered paired
 * bootstrap CIs and the frontier. Deterministic for a seed. Throws RangeError for no candidates
 * or outcomes whose length differs from the open keys, NoEligibleCandidate when none meets the
 * deadline.
 */
export function selectWinner(args: SelectArgs): TuneReport {
  const { candidates, outcomes, rivals, openKeys, objective, testFraction, seed } = args;
  const maxP95Seconds = args.maxP95Seconds ?? null;
  const allowUnderfill = args.allowUnderfill ?? false;
  if (candidates.length === 0) throw new RangeError('no candidates to select from');
  if (outcomes.length !== candidates.length) throw new RangeError(`${candidates.length} candidates but ${outcomes.length} outcomes`);
  for (const o of [...outcomes, ...RIVAL_NAMES.map((n) => rivals[n])]) {
    if (o.costs.length !== openKeys.length) throw new RangeError(`an outcome has ${o.costs.length} executions, the plan ${openKeys.length}`);
  }
  const liquidityKeys = args.liquidityKeys ?? openKeys.map(() => SELECTION_LIQUIDITY);
  const models = [...new Set(liquidityKeys)];
  const selection = models.includes(SELECTION_LIQUIDITY) ? SELECTION_LIQUIDITY : models[0]!;
  const split = splitOpens(openKeys, testFraction, seed);
  const splits = modelSplits(models, liquidityKeys, split.train, split.test);
  const sel = splits.get(selection)!;

  const trainScores = outcomes.map((o) => objectiveOn(o, sel.train, objective));
  const trainP95 = outcomes.map((o) => summarizeCosts(o, sel.train, objective).p95Seconds);
  const eligible = outcomes.map((_, i) => i).filter((i) => maxP95Seconds === null || trainP95[i]! <= maxP95Seconds);
  if (eligible.length === 0) {
    const fastest = outcomes.map((_, i) => i).sort((x, y) => (trainP95[x] ?? Infinity) - (trainP95[y] ?? Infinity) || x - y)[0]!;
    const f = trainP95[fastest]!;
    throw new NoEligibleCandidate(`no candidate completes 95% of its train orders within ${maxP95Seconds} s under ${selection} liquidity; the fastest, #${fastest}, takes ${Number.isFinite(f) ? `${f.toFixed(1)} s` : 'forever (more than 5% never fill)'}`);
  }
  // Stable sort: equal scores keep index order, so ties go to the lower index.
  const order = [...eligible].sort((x, y) => trainScores[x]! - trainScores[y]! || x - y);
  const cheapest = order[0]!;
  const cheapestShort = underfilledWhere(outcomes[cheapest]!, rivals.default, splits);
  let best = cheapest;
  let underfill: UnderfillNote | null = null;
  let writeBlocked: string | null = null;
  if (cheapestShort !== null) {
    const complete = allowUnderfill ? undefined : order.find((i) => underfilledWhere(outcomes[i]!, rivals.default, splits) === null);
    const resolution = allowUnderfill ? 'kept' : complete === undefined ? 'no-complete-candidate' : 'replaced';
    if (complete !== undefined) best = complete;
    const head = `the cheapest candidate on train, #${cheapest}, fills less than the default (${cheapestShort})`;
    const note =
      resolution === 'kept' ? `${head}; kept as the winner (--allow-underfill)`
      : resolution === 'replaced' ? `${head}; the next-best candidate that fills as much as the default, #${best}, is the winner instead (--allow-underfill keeps #${cheapest})`
      : `${head}, and so does every eligible candidate; it is reported, but --out writes it only with --allow-underfill`;
    if (resolution === 'no-complete-candidate') writeBlocked = `the winner #${cheapest} fills less than the default (${cheapestShort}); add --allow-underfill to write it anyway`;
    underfill = { cheapest, where: cheapestShort, resolution, note };
  }

  const winnerOutcome = outcomes[best]!;
  const byLiquidity: Record<string, ModelVerdict> = {};
  for (const [model, s] of splits) {
    byLiquidity[model] = modelVerdict({ liquidity: model, split: s, winner: winnerOutcome, rivals, candidates: outcomes, openKeys, objective, seed, resamples: BOOTSTRAP_RESAMPLES });
  }
  const chosen = byLiquidity[selection]!;
  return {
    objective,
    maxP95Seconds,
    allowUnderfill,
    liquidity: { models, selection },
    split: { trainOpens: split.trainOpens, testOpens: split.testOpens, warning: split.warning },
    eligible: eligible.length,
    winner: { index: best, candidate: candidates[best]!, ...chosen.winner },
    default: chosen.default,
    baselines: chosen.baselines,
    frontier: chosen.frontier,
    byLiquidity,
    flips: flipsBetween(models.map((m) => byLiquidity[m]!)),
    underfill,
    writeBlocked,
    overfitWarning: overfitWarning(chosen.winner, chosen.default),
    fillRateWarning: fillRateWarning(chosen.winner, chosen.default),
    ranking: order.slice(0, RANKING_SIZE).map((i) => ({
      index: i,
      candidate: candidates[i]!,
      trainObjective: trainScores[i]!,
      trainP95Seconds: trainP95[i]!,
      testObjective: aggregate(sel.test.map((j) => outcomes[i]!.costs[j]!), objective),
    })),
  };
}
