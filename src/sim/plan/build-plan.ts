import { existsSync } from 'node:fs';
import { nextTradingDays } from '../../engine/calendar.js';
import { isValidDate, parseClock } from '../../engine/et-time.js';
import { parseConfig, type BetterOrdersConfig } from '../../engine/config.js';
import { isStrategyName, type StrategyName } from '../../engine/strategies/strategy-settings.js';
import { parseShares, sharesToQty, type Qty, type Side } from '../../engine/units.js';
import { planFromData, type BacktestPlan, type PlanData } from '../backtest.js';
import { isLiquidityName, LIQUIDITY_NAMES, type LiquidityName } from '../liquidity/liquidity-model.js';
import { parseWidenSpec } from '../overlay/overlay-schema.js';
import { readJsonFile } from '../read-json-file.js';
import { loadScenario, parseScenario } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { tapeSpecIdentity, type TapeSpec } from '../scenario/tape-spec.js';
import type { OpenProfile } from '../synthetic/open-profile.js';
import { isProfileFile, loadProfileRef } from '../synthetic/profile-source.js';
import { NothingToRun, PlanInputError } from './plan-errors.js';

/**
 * The library's plan builder: a scenario (a file, or a blank one around tapes) with its order grid
 * and configuration, overridden by a caller's choices, becomes the plan that backtest, tune and
 * rebalance run (and that a run records, so report can rebuild its tapes: recorded-tapes.ts).
 * Option names in messages are the command line's, which every caller so far shares.
 */

/** Choices that override the scenario's (the command line's options). */
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
  /** Told of what is worth a line but does not stop the plan (some of a scenario's optional tapes are missing). */
  readonly onNote?: (line: string) => void;
}

/** Where the plan's scenario comes from, and a widening that overrides its own. */
export interface PlanSource {
  /** A scenario file. Without one: `tapes` around a blank scenario (the documented defaults apply), else `defaultScenario`. */
  readonly scenarioFile?: string;
  readonly defaultScenario?: string;
  readonly tapes?: readonly string[];
  /** A --widen spec (peak=4,decay=90s[,noise=0.2]), replacing the scenario's widening. */
  readonly widen?: string;
}

/**
 * The scenario a plan starts from. With tapes and no scenario file, a blank scenario around them,
 * so the documented defaults apply (buy 100 shares at 09:30:00, every strategy) rather than some
 * scenario's order grid.
 */
export function planScenario(source: PlanSource): Scenario {
  let loaded: Scenario;
  if (source.tapes !== undefined && source.scenarioFile === undefined) loaded = parseScenario({ name: 'command line', data: { tapes: source.tapes } }, '(command line)');
  else {
    const file = source.scenarioFile ?? source.defaultScenario;
    if (file === undefined) throw new PlanInputError('give the tapes to replay (--tape PATH...) or a scenario (--scenario FILE)');
    loaded = loadScenario(file);
  }
  return source.widen === undefined ? loaded : { ...loaded, widen: widenOption(source.widen) };
}

function widenOption(text: string): ReturnType<typeof parseWidenSpec> {
  try {
    return parseWidenSpec(text);
  } catch (err) {
    throw new PlanInputError(`--widen ${text}: ${(err as Error).message}`);
  }
}

/** Scenario and overrides to plan data in one call: what a command runs, and the scenario it came from. */
export function buildPlanFor(source: PlanSource, o: Omit<PlanOverrides, 'tapes'>): { readonly scenario: Scenario; readonly data: PlanData } {
  const scenario = planScenario(source);
  return { scenario, data: buildPlanData(scenario, { ...o, tapes: source.tapes }) };
}

export function readConfigFile(file: string): BetterOrdersConfig {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (err) {
    throw new PlanInputError(`--config ${file}: ${(err as Error).message}`);
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
  if (bad !== undefined || names.length === 0) throw new PlanInputError(`--strategies: unknown strategy "${bad ?? ''}" (choose from ladder, market, progressive, passive)`);
  return names as StrategyName[];
}

function parseLiquidity(list: string): LiquidityName[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = names.find((n) => !isLiquidityName(n));
  if (bad !== undefined || names.length === 0) throw new PlanInputError(`--liquidity: unknown liquidity model "${bad ?? ''}" (choose from ${LIQUIDITY_NAMES.join(', ')})`);
  return [...new Set(names)] as LiquidityName[];
}

function parseQty(text: string): Qty {
  const qty = parseShares(text);
  if (qty === null || qty <= 0) throw new PlanInputError(`--qty: expected a positive number of shares (up to 9 decimals), got "${text}"`);
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
    if (present.length < tapes.length) o.onNote?.(`${scenario.name}: ${tapes.length - present.length} of ${tapes.length} tape(s) missing; running the rest`);
    return selectTapes(present.map((path): TapeSpec => ({ kind: 'file', path })), symbol, o.date, `scenario ${scenario.name}`);
  }
  const syn = scenario.data.synthetic;
  let profile: OpenProfile;
  try {
    profile = loadProfileRef(syn.profile);
  } catch (err) {
    throw new PlanInputError(`scenario ${scenario.name}: ${(err as Error).message}`);
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
  throw new PlanInputError(`${wanted}: none of the ${specs.length} tape(s) of ${where} match (they are ${listed})`);
}

/** Merges the scenario with the command line into a runnable plan. */
export function buildPlan(scenario: Scenario, o: PlanOverrides): BacktestPlan {
  return planFromData(buildPlanData(scenario, o));
}

/** The same plan as plain data, for sweeps that store it and run it on worker threads. */
export function buildPlanData(scenario: Scenario, o: PlanOverrides): PlanData {
  if (o.date !== undefined && !isValidDate(o.date)) throw new PlanInputError(`--date: expected YYYY-MM-DD, got "${o.date}"`);
  if (o.at !== undefined) {
    try {
      parseClock(o.at);
    } catch {
      throw new PlanInputError(`--at: expected an ET time HH:MM:SS, got "${o.at}"`);
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
