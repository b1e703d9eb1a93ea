import { existsSync } from 'node:fs';
import { readJsonFile } from '../sim/read-json-file.js';
import { nextTradingDays } from '../engine/calendar.js';
import { isValidDate, parseClock } from '../engine/et-time.js';
import { parseConfig, type BetterOrdersConfig } from '../engine/config.js';
import { isStrategyName, type StrategyName } from '../engine/strategies/strategy-settings.js';
import { parseShares, sharesToQty, type Qty, type Side } from '../engine/units.js';
import { planFromData, type BacktestPlan, type PlanData } from '../sim/backtest.js';
import type { Scenario } from '../sim/scenario/scenario-schema.js';
import type { OpenProfile } from '../sim/synthetic/index.js';
import { isProfileFile, loadProfileRef } from '../sim/synthetic/profile-source.js';
import { tapeSpecIdentity, type TapeSpec } from '../sim/scenario/tape-spec.js';
import { isLiquidityName, LIQUIDITY_NAMES, type LiquidityName } from '../sim/liquidity/liquidity-model.js';
import { NothingToRun, UsageError } from './cli-error.js';

/** Command-line choices that override the scenario's. */
export interface PlanOverrides {
  readonly tapes?: readonly string[];
  readonly symbol?: string;
  readonly date?: string;
  readonly side?: Side;
  readonly qty?: string;
  readonly at?: string;
  readonly strategies?: string;
  readonly configFile?: string;
  readonly seed?: string | number;
  /** Comma list of liquidity model names. */
  readonly liquidity?: string;
}

export function readConfigFile(file: string): BetterOrdersConfig {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (err) {
    throw new UsageError(`--config ${file}: ${(err as Error).message}`);
  }
  try {
    return parseConfig(raw);
  } catch (err) {
    (err as Error).message = `${file}: ${(err as Error).message}`;
    throw err;
  }
}

function parseStrategies(list: string): StrategyName[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = names.find((n) => !isStrategyName(n));
  if (bad !== undefined || names.length === 0) throw new UsageError(`--strategies: unknown strategy "${bad ?? ''}" (choose from ladder, market, progressive, passive)`);
  return names as StrategyName[];
}

function parseLiquidity(list: string): LiquidityName[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = names.find((n) => !isLiquidityName(n));
  if (bad !== undefined || names.length === 0) throw new UsageError(`--liquidity: unknown liquidity model "${bad ?? ''}" (choose from ${LIQUIDITY_NAMES.join(', ')})`);
  return [...new Set(names)] as LiquidityName[];
}

function parseQty(text: string): Qty {
  const qty = parseShares(text);
  if (qty === null || qty <= 0) throw new UsageError(`--qty: expected a positive number of shares (up to 9 decimals), got "${text}"`);
  return qty;
}

function tapeSpecs(scenario: Scenario, o: PlanOverrides): TapeSpec[] {
  const symbol = o.symbol?.toUpperCase();
  if (o.tapes !== undefined && o.tapes.length > 0) {
    // A CSV names neither symbol nor date in its path, so --symbol/--date name them; Lean paths are selected.
    const specs = o.tapes.map((path): TapeSpec => ({ kind: 'file', path, ...(path.toLowerCase().endsWith('.csv') ? { symbol, date: o.date } : {}) }));
    return selectTapes(specs, symbol, o.date, 'the --tape files');
  }
  if ('tapes' in scenario.data) {
    const { tapes, ifMissing } = scenario.data;
    const present = ifMissing === 'skip' ? tapes.filter((path) => existsSync(path)) : tapes;
    if (present.length === 0) throw new NothingToRun(`${scenario.name}: skipped: none of its ${tapes.length} tape(s) exist (e.g. ${tapes[0]}); real data is never shipped with better-orders`);
    if (present.length < tapes.length) process.stderr.write(`${scenario.name}: ${tapes.length - present.length} of ${tapes.length} tape(s) missing; running the rest\n`);
    return selectTapes(present.map((path): TapeSpec => ({ kind: 'file', path })), symbol, o.date, `scenario ${scenario.name}`);
  }
  const syn = scenario.data.synthetic;
  let profile: OpenProfile;
  try {
    profile = loadProfileRef(syn.profile);
  } catch (err) {
    throw new UsageError(`scenario ${scenario.name}: ${(err as Error).message}`);
  }
  const profileName = isProfileFile(syn.profile) ? profile.name : syn.profile;
  // --date picks that day's open: the one the scenario generates for it when in its range.
  const dates = o.date !== undefined ? [o.date] : nextTradingDays(syn.startDate, syn.days);
  const specs = dates.map((date): TapeSpec => ({ kind: 'synthetic', profileName, profile, date, seed: syn.seed, ...(syn.shape === undefined ? {} : { shape: syn.shape }) }));
  return selectTapes(specs, symbol, undefined, `scenario ${scenario.name}`);
}

/**
 * The specs whose tape is `symbol` (already upper case) on `date`, in their order; all of them
 * when neither is given. No match at all is a usage error that lists what there is.
 */
function selectTapes(specs: readonly TapeSpec[], symbol: string | undefined, date: string | undefined, where: string): TapeSpec[] {
  if (symbol === undefined && date === undefined) return [...specs];
  const ids = specs.map((spec) => tapeSpecIdentity(spec, date !== undefined));
  const chosen = specs.filter((_, i) => (symbol === undefined || ids[i]!.symbol === symbol) && (date === undefined || ids[i]!.date === date));
  if (chosen.length > 0) return chosen;
  const wanted = [symbol === undefined ? null : `--symbol ${symbol}`, date === undefined ? null : `--date ${date}`].filter((x) => x !== null).join(' ');
  const have = [...new Set(ids.map((id) => (date === undefined ? id.symbol : `${id.symbol} ${id.date}`)))];
  const listed = have.length > 8 ? `${have.slice(0, 8).join(', ')}, ...` : have.join(', ');
  throw new UsageError(`${wanted}: none of the ${specs.length} tape(s) of ${where} match (they are ${listed})`);
}

/** Merges the scenario with the command line into a runnable plan. */
export function buildPlan(scenario: Scenario, o: PlanOverrides): BacktestPlan {
  return planFromData(buildPlanData(scenario, o));
}

/** The same plan as plain data, for sweeps that store it and run it on worker threads. */
export function buildPlanData(scenario: Scenario, o: PlanOverrides): PlanData {
  if (o.date !== undefined && !isValidDate(o.date)) throw new UsageError(`--date: expected YYYY-MM-DD, got "${o.date}"`);
  if (o.at !== undefined) {
    try {
      parseClock(o.at);
    } catch {
      throw new UsageError(`--at: expected an ET time HH:MM:SS, got "${o.at}"`);
    }
  }
  const config = o.configFile !== undefined ? readConfigFile(o.configFile) : parseConfig(scenario.config ?? {});
  return {
    tapeSpecs: tapeSpecs(scenario, o),
    // Overlays (widening, halt) reshape every tape, replayed or synthetic, as it loads.
    overlays: { widen: scenario.widen, halt: scenario.halt },
    sides: o.side !== undefined ? [o.side] : scenario.orders.sides,
    quantities: o.qty !== undefined ? [parseQty(o.qty)] : scenario.orders.quantities.map(sharesToQty),
    decisionTimes: o.at !== undefined ? [o.at] : scenario.orders.decisionTimes,
    strategies: o.strategies !== undefined ? parseStrategies(o.strategies) : scenario.strategies,
    config,
    fillModel: scenario.fillModel,
    liquidity: o.liquidity !== undefined ? parseLiquidity(o.liquidity) : [scenario.fillModel.liquidity],
    seed: o.seed ?? scenario.seed,
  };
}
