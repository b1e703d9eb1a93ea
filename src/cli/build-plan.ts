import { existsSync, readFileSync } from 'node:fs';
import { nextTradingDays } from '../engine/calendar.js';
import { isValidDate, parseClock } from '../engine/et-time.js';
import { parseConfig, type BetterOrdersConfig } from '../engine/config.js';
import { isStrategyName, type StrategyName } from '../engine/strategies/strategy-settings.js';
import { parseShares, sharesToQty, type Qty, type Side } from '../engine/units.js';
import type { BacktestPlan, TapeSource } from '../sim/backtest.js';
import { withOverlays } from '../sim/overlay/apply-overlays.js';
import type { Scenario } from '../sim/scenario/scenario-schema.js';
import { generateOpen } from '../sim/synthetic/index.js';
import type { OpenProfile } from '../sim/synthetic/index.js';
import { isProfileFile, loadProfileRef } from '../sim/synthetic/profile-source.js';
import { loadTape } from '../sim/tape/load-tape.js';
import type { Tape } from '../sim/tape/tape.js';
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
}

export function readConfigFile(file: string): BetterOrdersConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--config ${file}: ${code !== undefined ? `cannot read (${code})` : `not valid JSON (${(err as Error).message})`}`);
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

function parseQty(text: string): Qty {
  const qty = parseShares(text);
  if (qty === null || qty <= 0) throw new UsageError(`--qty: expected a positive number of shares (up to 9 decimals), got "${text}"`);
  return qty;
}

/** Keeps only tapes matching --symbol/--date; checked after loading, since a CSV names neither in its path. */
function filtered(source: TapeSource, o: PlanOverrides): TapeSource {
  return {
    label: source.label,
    load: (): Tape => {
      const tape = source.load();
      if ((o.symbol !== undefined && tape.symbol !== o.symbol) || (o.date !== undefined && tape.date !== o.date)) {
        throw new UsageError(`${source.label} is ${tape.symbol} on ${tape.date}, not the requested ${o.symbol ?? tape.symbol} on ${o.date ?? tape.date}`);
      }
      return tape;
    },
  };
}

function tapeSources(scenario: Scenario, o: PlanOverrides): TapeSource[] {
  if (o.tapes !== undefined && o.tapes.length > 0) {
    return o.tapes.map((path) => filtered({ label: path, load: () => loadTape(path, path.toLowerCase().endsWith('.csv') ? { symbol: o.symbol, date: o.date } : {}) }, o));
  }
  if ('tapes' in scenario.data) {
    const { tapes, ifMissing } = scenario.data;
    const present = ifMissing === 'skip' ? tapes.filter((path) => existsSync(path)) : tapes;
    if (present.length === 0) throw new NothingToRun(`${scenario.name}: skipped: none of its ${tapes.length} tape(s) exist (e.g. ${tapes[0]}); real data is never shipped with better-orders`);
    if (present.length < tapes.length) process.stderr.write(`${scenario.name}: ${tapes.length - present.length} of ${tapes.length} tape(s) missing; running the rest\n`);
    return present.map((path) => filtered({ label: path, load: () => loadTape(path) }, o));
  }
  const syn = scenario.data.synthetic;
  let profile: OpenProfile;
  try {
    profile = loadProfileRef(syn.profile);
  } catch (err) {
    throw new UsageError(`scenario ${scenario.name}: ${(err as Error).message}`);
  }
  const name = isProfileFile(syn.profile) ? profile.name : syn.profile;
  const opts = syn.shape === undefined ? {} : { shape: syn.shape };
  const dates = o.date !== undefined ? [o.date] : nextTradingDays(syn.startDate, syn.days);
  return dates.map((date) => filtered({ label: `synthetic ${name} ${date}`, load: () => generateOpen(profile, date, syn.seed, opts) }, o));
}

/** Merges the scenario with the command line into a runnable plan. */
export function buildPlan(scenario: Scenario, o: PlanOverrides): BacktestPlan {
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
    // Overlays (widening, halt) reshape every tape, replayed or synthetic, as it loads.
    tapes: withOverlays(tapeSources(scenario, o), { widen: scenario.widen, halt: scenario.halt }, o.seed ?? scenario.seed),
    sides: o.side !== undefined ? [o.side] : scenario.orders.sides,
    quantities: o.qty !== undefined ? [parseQty(o.qty)] : scenario.orders.quantities.map(sharesToQty),
    decisionTimes: o.at !== undefined ? [o.at] : scenario.orders.decisionTimes,
    strategies: o.strategies !== undefined ? parseStrategies(o.strategies) : scenario.strategies,
    config,
    fillModel: scenario.fillModel,
    seed: o.seed ?? scenario.seed,
  };
}
