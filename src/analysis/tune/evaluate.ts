import { runBacktest, type BacktestPlan } from '../../sim/backtest.js';
import type { ExecutionReport } from '../../engine/execution-report.js';
import type { StrategyName } from '../../engine/strategies/strategy-settings.js';
import type { Tape } from '../../sim/tape/tape.js';
import { applyCandidate } from './apply-candidate.js';
import { chargedCostBps, type UnfilledCharge } from '../../sim/charged-cost.js';
import type { Candidate, CandidateOutcome, OpenKeys } from './types.js';

/**
 * Running one candidate over a plan. A sweep runs hundreds of candidates over the same opens, so
 * tapes are loaded (read, unzipped or generated, overlaid) once and shared; each candidate then
 * costs only its simulations.
 */

/**
 * Loads every tape of the plan now, once, and returns the same plan whose sources hand back
 * those tapes. Tapes are read-only to the simulator, so sharing them across runs is safe. Holds
 * every tape in memory at once (a real tick day is tens of MB): cache per worker, not per candidate.
 */
export function cachePlanTapes(plan: BacktestPlan): BacktestPlan {
  const tapes = plan.tapes.map((source) => {
    const tape = source.load();
    return { label: source.label, load: (): Tape => tape };
  });
  return { ...plan, tapes };
}

/** Executions per tape for one strategy: runBacktest's loop order is tape > time > side > qty > liquidity > strategy. */
function executionsPerTape(plan: BacktestPlan): number {
  return plan.decisionTimes.length * plan.sides.length * plan.quantities.length * plan.liquidity.length;
}

/**
 * `SYMBOL|YYYY-MM-DD` of each execution of one strategy over the plan, in the order
 * evaluateCandidate reports them: the open each execution belongs to. Loads each tape (use a
 * cached plan).
 */
export function openKeysOf(plan: BacktestPlan): OpenKeys {
  const per = executionsPerTape(plan);
  const keys: string[] = [];
  for (const source of plan.tapes) {
    const tape = source.load();
    const key = `${tape.symbol}|${tape.date}`;
    for (let i = 0; i < per; i++) keys.push(key);
  }
  return keys;
}

/**
 * The liquidity model of each execution of one strategy over the plan, in the order
 * evaluateCandidate reports them (the model loop is the innermost but the strategy's).
 */
export function liquidityKeysOf(plan: BacktestPlan): readonly string[] {
  const keys: string[] = [];
  const orders = plan.decisionTimes.length * plan.sides.length * plan.quantities.length;
  for (let t = 0; t < plan.tapes.length; t++) for (let o = 0; o < orders; o++) keys.push(...plan.liquidity);
  return keys;
}

/** Milliseconds from the decision to the last fill of a complete execution; +Infinity for one that did not fill completely. */
export function timeToComplete(r: ExecutionReport): number {
  if (!(r.filledQty >= r.qty) || r.qty <= 0) return Infinity;
  let last = -Infinity;
  for (const c of r.childOrders) for (const f of c.fills) if (f.time > last) last = f.time;
  return last === -Infinity ? Infinity : last - r.decisionTime;
}

/**
 * Runs one strategy on every order of the plan (the plan's own `strategies` are ignored) with
 * the plan's configuration changed by `candidate` (null = the configuration as it is), and
 * scores each execution with chargedCostBps. `plan` should be cached (cachePlanTapes): the
 * tapes are loaded once by the backtest and again for scoring. Deterministic: the simulator's
 * random stream is keyed by the plan's seed and each order, never by the candidate, so every
 * candidate starts each order on the same stream and the same tape (common random numbers as far
 * as their actions coincide), which makes their differences far less noisy than their levels.
 * `unfilled` chooses how unfilled remainders are charged (objective.ts; 'close-or-arrival' by default).
 * Throws ConfigError for an invalid candidate.
 */
export function evaluateCandidate(
  plan: BacktestPlan,
  candidate: Candidate | null,
  strategy: StrategyName = 'ladder',
  unfilled: UnfilledCharge = 'close-or-arrival',
): CandidateOutcome {
  const config = candidate === null ? plan.config : applyCandidate(plan.config, candidate);
  const reports = runBacktest({ ...plan, strategies: [strategy], config });
  const per = executionsPerTape(plan);
  const tapes = plan.tapes.map((s) => s.load());
  const n = reports.length;
  const costs = new Float64Array(n);
  const filled = new Uint8Array(n);
  const fallback = new Uint8Array(n);
  const started = new Uint8Array(n);
  const completeMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = reports[i]!;
    costs[i] = chargedCostBps(r, tapes[Math.floor(i / per)]!, unfilled);
    filled[i] = r.filledQty >= r.qty ? 1 : 0;
    fallback[i] = r.usedFallback ? 1 : 0;
    started[i] = r.childOrders.length > 0 ? 1 : 0;
    completeMs[i] = timeToComplete(r);
  }
  return { costs, filled, fallback, completeMs, started };
}
