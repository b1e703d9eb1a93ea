import { ladderParamsFor, type BetterOrdersConfig } from '../engine/config.js';
import { etClockToEpoch } from '../engine/et-time.js';
import type { ExecutionReport } from '../engine/execution-report.js';
import { strategySettings, type StrategyName } from '../engine/strategies/strategy-settings.js';
import type { ExecutionSettings } from '../engine/execution/types.js';
import type { Qty, Side } from '../engine/units.js';
import { chargedCostBps } from './charged-cost.js';
import { fillModelSchema, type FillModelConfig } from './fill-model-config.js';
import type { LiquidityName } from './liquidity/liquidity-model.js';
import { runSimExecution } from './sim-driver.js';
import type { Overlays } from './overlay/overlay-schema.js';
import { loadTapeSpec, tapeSpecLabel, type TapeSpec } from './scenario/tape-spec.js';
import type { Tape } from './tape/tape.js';

/** A tape that is loaded only when its turn comes, so a long scenario never holds every day at once. */
export interface TapeSource {
  readonly label: string;
  load(): Tape;
}

/**
 * A plan as plain data (tape specs instead of loaders), so it can be stored with a sweep and sent
 * to worker threads; `planFromData` turns it into a runnable BacktestPlan.
 */
export interface PlanData extends Omit<BacktestPlan, 'tapes' | 'liquidity'> {
  readonly tapeSpecs: readonly TapeSpec[];
  readonly overlays: Overlays;
  /** Absent in plans stored before liquidity models existed: then the fill model's one. */
  readonly liquidity?: readonly LiquidityName[];
}

export function planFromData(data: PlanData): BacktestPlan {
  const { tapeSpecs, overlays, ...rest } = data;
  // Plans stored by older versions (a sweep to resume) lack fields added since: the schema's defaults fill them.
  const fillModel = fillModelSchema.parse(data.fillModel);
  return {
    ...rest,
    fillModel,
    liquidity: data.liquidity ?? [fillModel.liquidity],
    tapes: tapeSpecs.map((spec) => ({ label: tapeSpecLabel(spec), load: () => loadTapeSpec(spec, overlays, data.seed) })),
  };
}

export interface BacktestPlan {
  readonly tapes: readonly TapeSource[];
  readonly sides: readonly Side[];
  readonly quantities: readonly Qty[];
  /** ET wall-clock decision times, applied on each tape's date. */
  readonly decisionTimes: readonly string[];
  readonly strategies: readonly StrategyName[];
  readonly config: BetterOrdersConfig;
  readonly fillModel: FillModelConfig;
  /** Every order runs once under each of these liquidity models (fillModel.liquidity is replaced). */
  readonly liquidity: readonly LiquidityName[];
  readonly seed: string | number;
}

/**
 * ET wall clock to epoch ms, memoised: a sweep re-runs the same (day, clock) pairs for every
 * candidate, and each luxon zone conversion costs more than a whole simulated execution.
 */
const decisionEpochs = new Map<string, number>();
function decisionEpoch(date: string, clock: string): number {
  const key = `${date} ${clock}`;
  let t = decisionEpochs.get(key);
  if (t === undefined) {
    t = etClockToEpoch(date, clock);
    decisionEpochs.set(key, t);
  }
  return t;
}

function compactClock(clock: string): string {
  return clock.replaceAll(':', '');
}

/**
 * Runs every strategy under every liquidity model on every order of the plan (tape x decision
 * time x side x quantity x model x strategy, in that order), so the same plan always yields the
 * same list of reports. Each report carries its whole-order cost (`chargedCostBps`), charged
 * while its tape is loaded.
 */
export function runBacktest(plan: BacktestPlan, onTape?: (done: number, total: number, label: string) => void): ExecutionReport[] {
  const reports: ExecutionReport[] = [];
  plan.tapes.forEach((source, index) => {
    const tape = source.load();
    const settings = new Map<StrategyName, ExecutionSettings>();
    for (const s of plan.strategies) settings.set(s, strategySettings(s, plan.config, tape.symbol));
    const alertCostBps = ladderParamsFor(plan.config, tape.symbol).alertCostBps;
    const models = plan.liquidity.map((liquidity) => ({ liquidity, fillModel: { ...plan.fillModel, liquidity } }));
    for (const clock of plan.decisionTimes) {
      const decisionTime = decisionEpoch(tape.date, clock);
      for (const side of plan.sides) {
        for (const qty of plan.quantities) {
          for (const { liquidity, fillModel } of models) {
            for (const strategy of plan.strategies) {
              // The default model keeps the ids of a single-model run; others are named in it.
              const suffix = liquidity === 'conservative' ? '' : `-${liquidity}`;
              const executionId = `${tape.symbol}-${tape.date.replaceAll('-', '')}-${compactClock(clock)}-${side}-${qty / 1e9}-${strategy}${suffix}`;
              const req = { executionId, strategy, symbol: tape.symbol, date: tape.date, side, qty, decisionTime, liquidity, settings: settings.get(strategy)!, alertCostBps };
              const report = runSimExecution(tape, req, fillModel, plan.seed);
              reports.push({ ...report, chargedCostBps: chargedCostBps(report, tape) });
            }
          }
        }
      }
    }
    onTape?.(index + 1, plan.tapes.length, source.label);
  });
  return reports;
}
