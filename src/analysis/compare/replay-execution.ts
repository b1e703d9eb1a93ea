import { parseConfig, type BetterOrdersConfig } from '../../engine/config.js';
import type { ExecutionReport } from '../../engine/execution-report.js';
import { strategySettings } from '../../engine/strategies/strategy-settings.js';
import type { FillModelConfig } from '../../sim/fill-model-config.js';
import { runSimExecution } from '../../sim/sim-driver.js';
import type { Tape } from '../../sim/tape/tape.js';

/**
 * The ladder configuration of a recorded run. `execute` stores `{ config, endpoint, feed }`;
 * a bare configuration object is accepted too. Throws ConfigError when it no longer validates.
 */
export function configOfRun(configJson: unknown): BetterOrdersConfig {
  const raw =
    typeof configJson === 'object' && configJson !== null && !Array.isArray(configJson) && 'config' in configJson
      ? (configJson as { config: unknown }).config
      : configJson;
  return parseConfig(raw);
}

/**
 * Replays a recorded (paper or live) execution in the simulator: the same ladder configuration,
 * symbol, side, quantity and decision time, against the tape recorded during that execution.
 */
export function replayExecution(
  tape: Tape,
  real: ExecutionReport,
  config: BetterOrdersConfig,
  fillModel: FillModelConfig,
  seed: string,
): ExecutionReport {
  const settings = strategySettings('ladder', config, real.symbol);
  return runSimExecution(
    tape,
    {
      executionId: `${real.executionId}-sim`,
      strategy: 'ladder',
      symbol: real.symbol,
      date: real.date,
      side: real.side,
      qty: real.qty,
      decisionTime: real.decisionTime,
      settings,
      alertCostBps: (config.overrides[real.symbol] ?? config.ladder).alertCostBps,
    },
    fillModel,
    seed,
  );
}
