import { ladderParamsFor, type BetterOrdersConfig } from '../config.js';
import type { ExecutionSettings } from '../execution/types.js';
import { strategySettings } from '../strategies/strategy-settings.js';
import type { RebalanceMachineSettings } from './machine-types.js';
import type { RebalanceSettings } from './plan-types.js';

/**
 * The machine settings of a rebalance from the one configuration file: each symbol's ladder
 * (with its overrides) works its leg, and its slippage guard is what a buy's cap is raised from.
 *
 * @throws ConfigError when the configured symbol list excludes one of them.
 */
export function rebalanceMachineSettings(config: BetterOrdersConfig, symbols: readonly string[], rebalance: RebalanceSettings): RebalanceMachineSettings {
  const executions: Record<string, ExecutionSettings> = {};
  const maxSlippageBps: Record<string, number | null> = {};
  for (const s of symbols) {
    executions[s] = strategySettings('ladder', config, s);
    maxSlippageBps[s] = ladderParamsFor(config, s).maxSlippageBps;
  }
  return { rebalance, executions, maxSlippageBps };
}

/** Each symbol's TCA alert bound (the ladder's alertCostBps). */
export function alertBounds(config: BetterOrdersConfig, symbols: readonly string[]): Record<string, number> {
  return Object.fromEntries(symbols.map((s) => [s, ladderParamsFor(config, s).alertCostBps]));
}
