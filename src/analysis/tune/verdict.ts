import { pairedBootstrapCi } from '../stats/bootstrap.js';
import { paretoFrontier, type FrontierInput } from './frontier.js';
import { summarizeCosts } from './objective.js';
import type { CandidateOutcome, CostSummary, Objective, OpenKeys, PairedComparison } from './types.js';

/**
 * What a sweep says about its winner under one liquidity model: the winner, the default
 * configuration and every baseline on train and on test, each baseline's paired difference from
 * the winner on the test opens, and the cost/time frontier on train. The team's rule is that a
 * conclusion counts only if it holds under every model, so the report builds one of these per
 * model and names what flips between them (flipsBetween).
 */

export const BASELINE_NAMES = ['market', 'progressive', 'passive'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];
/** Everything the winner is compared with: the base configuration and the three baselines. */
export type RivalName = 'default' | BaselineName;
export const RIVAL_NAMES: readonly RivalName[] = ['default', ...BASELINE_NAMES];

export interface TrainTest {
  readonly train: CostSummary;
  readonly test: CostSummary;
}

export interface Rival extends TrainTest {
  /** Rival minus winner on the test executions (positive = the winner is cheaper), CI over opens. */
  readonly pairedVsWinner: PairedComparison;
}

export interface FrontierPoint {
  readonly label: string;
  /** The candidate's index, for a candidate. */
  readonly candidate?: number;
  /** The strategy, for a baseline (the default configuration runs the ladder). */
  readonly strategy?: string;
  /** Train numbers: what the frontier is drawn from. */
  readonly meanCostBps: number;
  readonly p95Seconds: number;
  readonly fillRate: number;
  /** The same point on the test opens, for checking (it took no part in drawing the frontier). */
  readonly test: { readonly meanCostBps: number; readonly p95Seconds: number; readonly fillRate: number };
}

export interface ModelVerdict {
  readonly liquidity: string;
  readonly winner: TrainTest;
  readonly default: Rival;
  readonly baselines: Readonly<Record<BaselineName, Rival>>;
  readonly frontier: readonly FrontierPoint[];
}

/** Train and test execution indices of one model. */
export interface ModelSplit {
  readonly train: readonly number[];
  readonly test: readonly number[];
}

export interface VerdictInputs {
  readonly liquidity: string;
  readonly split: ModelSplit;
  readonly winner: CandidateOutcome;
  readonly rivals: Readonly<Record<RivalName, CandidateOutcome>>;
  readonly candidates: readonly CandidateOutcome[];
  readonly openKeys: OpenKeys;
  readonly objective: Objective;
  readonly seed: string | number;
  readonly resamples: number;
}

function trainTest(o: CandidateOutcome, split: ModelSplit, objective: Objective): TrainTest {
  return { train: summarizeCosts(o, split.train, objective), test: summarizeCosts(o, split.test, objective) };
}

function frontierOf(v: VerdictInputs): FrontierPoint[] {
  type Item = { label: string; candidate?: number; strategy?: string; outcome: CandidateOutcome };
  const items: Item[] = [
    ...BASELINE_NAMES.map((name): Item => ({ label: name, strategy: name, outcome: v.rivals[name] })),
    { label: 'default', strategy: 'ladder', outcome: v.rivals.default },
    ...v.candidates.map((outcome, i): Item => ({ label: `#${i}`, candidate: i, outcome })),
  ];
  const points: FrontierInput<Item>[] = items.map((item) => {
    const s = summarizeCosts(item.outcome, v.split.train, v.objective);
    return { meanCostBps: s.mean, p95Seconds: s.p95Seconds, fillRate: s.fillRate, item };
  });
  return paretoFrontier(points).map((p) => {
    const t = summarizeCosts(p.item.outcome, v.split.test, v.objective);
    const { label, candidate, strategy } = p.item;
    return {
      label,
      ...(candidate === undefined ? {} : { candidate }),
      ...(strategy === undefined ? {} : { strategy }),
      meanCostBps: p.meanCostBps,
      p95Seconds: p.p95Seconds,
      fillRate: p.fillRate,
      test: { meanCostBps: t.mean, p95Seconds: t.p95Seconds, fillRate: t.fillRate },
    };
  });
}

/** The verdict under one liquidity model. */
export function modelVerdict(v: VerdictInputs): ModelVerdict {
  const rival = (name: RivalName): Rival => {
    const o = v.rivals[name];
    const r = pairedBootstrapCi(o.costs, v.winner.costs, v.split.test, `${v.seed}|${v.liquidity}|${name}`, v.resamples, v.openKeys);
    return { ...trainTest(o, v.split, v.objective), pairedVsWinner: { against: name, meanDiffBps: r.meanDiffBps, ci95: r.ci95, executions: v.split.test.length } };
  };
  return {
    liquidity: v.liquidity,
    winner: trainTest(v.winner, v.split, v.objective),
    default: rival('default'),
    baselines: { market: rival('market'), progressive: rival('progressive'), passive: rival('passive') },
    frontier: frontierOf(v),
  };
}

/** What a paired interval says: the winner is cheaper, dearer, or the interval holds zero. */
export type PairedVerdict = 'winner cheaper' | 'winner dearer' | 'no clear difference';

export function pairedVerdict(p: PairedComparison): PairedVerdict {
  if (p.ci95[0] > 0) return 'winner cheaper';
  if (p.ci95[1] < 0) return 'winner dearer';
  return 'no clear difference';
}

/** A conclusion about the winner that does not hold under every liquidity model. */
export interface Flip {
  readonly against: RivalName;
  /** Per model: the paired verdict and the mean difference (rival minus winner, bps). */
  readonly byLiquidity: Readonly<Record<string, { readonly verdict: PairedVerdict; readonly meanDiffBps: number }>>;
}

function rivalOf(m: ModelVerdict, name: RivalName): Rival {
  return name === 'default' ? m.default : m.baselines[name];
}

/**
 * The comparisons whose conclusion differs between models: the paired interval's verdict, or the
 * side of zero its mean falls on (which is cheaper on average). Empty with one model.
 */
export function flipsBetween(verdicts: readonly ModelVerdict[]): Flip[] {
  if (verdicts.length < 2) return [];
  const flips: Flip[] = [];
  for (const name of RIVAL_NAMES) {
    const per = verdicts.map((m) => ({ liquidity: m.liquidity, p: rivalOf(m, name).pairedVsWinner }));
    const verdictSet = new Set(per.map(({ p }) => pairedVerdict(p)));
    const signSet = new Set(per.map(({ p }) => Math.sign(p.meanDiffBps)));
    if (verdictSet.size > 1 || signSet.size > 1) {
      flips.push({ against: name, byLiquidity: Object.fromEntries(per.map(({ liquidity, p }) => [liquidity, { verdict: pairedVerdict(p), meanDiffBps: p.meanDiffBps }])) });
    }
  }
  return flips;
}
