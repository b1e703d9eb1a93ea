/** Runs one simulated execution the way the CLI wires it: strategy settings from a configuration. */
import { DEFAULT_CONFIG, ladderParamsFor, type BetterOrdersConfig } from '../../src/engine/config.js';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { strategySettings, type StrategyName } from '../../src/engine/strategies/strategy-settings.js';
import { sharesToQty, type Side } from '../../src/engine/units.js';
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../../src/sim/fill-model-config.js';
import { runSimExecution, type SimExecutionRequest } from '../../src/sim/sim-driver.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { at } from './tape-builder.js';

export interface RunOptions {
  readonly strategy?: StrategyName;
  readonly config?: BetterOrdersConfig;
  readonly side?: Side;
  readonly shares?: number;
  /** Decision time in ms after 09:30:00 ET. */
  readonly decisionMs?: number;
  readonly fillModel?: FillModelConfig;
  readonly seed?: string | number;
}

export function simRequest(tape: Tape, o: RunOptions = {}): SimExecutionRequest {
  const config = o.config ?? DEFAULT_CONFIG;
  const strategy = o.strategy ?? 'ladder';
  return {
    executionId: 'x1',
    strategy,
    symbol: tape.symbol,
    date: tape.date,
    side: o.side ?? 'buy',
    qty: sharesToQty(o.shares ?? 100),
    decisionTime: at(o.decisionMs ?? 30 * 60_000),
    settings: strategySettings(strategy, config, tape.symbol),
    alertCostBps: ladderParamsFor(config, tape.symbol).alertCostBps,
  };
}

export function runOn(tape: Tape, o: RunOptions = {}): ExecutionReport {
  return runSimExecution(tape, simRequest(tape, o), o.fillModel ?? DEFAULT_FILL_MODEL, o.seed ?? 1);
}

/** A fill model with fixed latencies (no jitter, no open multiplier) for exact timing checks. */
export function fixedLatency(over: Partial<FillModelConfig> = {}, latency: Partial<FillModelConfig['latency']> = {}): FillModelConfig {
  return {
    ...DEFAULT_FILL_MODEL,
    ...over,
    latency: { ...DEFAULT_FILL_MODEL.latency, jitterMs: 0, openMultiplier: 1, ...latency },
  };
}
