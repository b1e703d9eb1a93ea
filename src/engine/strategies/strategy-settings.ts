import { ladderParamsFor, type BetterOrdersConfig } from '../config.js';
import type { ExecutionPolicy, ExecutionSettings } from '../execution/types.js';
import { marketPolicy, passivePolicy, progressivePolicy } from './baseline-policies.js';
import { ladderPolicy } from './ladder-policy.js';

export const STRATEGIES = ['ladder', 'market', 'progressive', 'passive'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export function isStrategyName(s: string): s is StrategyName {
  return (STRATEGIES as readonly string[]).includes(s);
}

/**
 * Settings for one strategy on one symbol. Every strategy shares the configuration's quote
 * validity rules and windows, so the comparison differs only in the pricing schedule.
 * With `enabled: false` the ladder slot runs the progressive baseline, as the system it replaces.
 */
export function strategySettings(strategy: StrategyName, config: BetterOrdersConfig, symbol: string): ExecutionSettings {
  const params = ladderParamsFor(config, symbol);
  let policy: ExecutionPolicy;
  switch (strategy) {
    case 'ladder':
      policy = config.enabled ? ladderPolicy(params) : { ...progressivePolicy, name: 'ladder (disabled: progressive)' };
      break;
    case 'market':
      policy = marketPolicy;
      break;
    case 'progressive':
      policy = progressivePolicy;
      break;
    case 'passive':
      policy = passivePolicy;
      break;
  }
  return {
    policy,
    maxQuoteAgeMs: params.maxQuoteAgeMs,
    quoteWaitMs: params.quoteWaitMs,
    windowTimes: params.windows,
  };
}
