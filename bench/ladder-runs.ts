import { DEFAULT_CONFIG, ladderParamsFor } from '../src/engine/config.js';
import { etClockToEpoch } from '../src/engine/et-time.js';
import { strategySettings } from '../src/engine/strategies/strategy-settings.js';
import { sharesToQty, type EpochMs, type Side } from '../src/engine/units.js';
import { DEFAULT_FILL_MODEL, type FillModelConfig } from '../src/sim/fill-model-config.js';
import { runSimExecution, type SimExecutionRequest } from '../src/sim/sim-driver.js';
import type { Tape } from '../src/sim/tape/tape.js';

/** The benchmark's ladder orders: 500 shares, default configuration and fill model. */
export const LADDER_SHARES = 500;

export interface LadderOrderOptions {
  /** Length of the decision window that starts at 09:30:00 ET (default 30 minutes). */
  readonly windowMs?: number;
  /** Milliseconds to add to order i, to move it to another day of a multi-day tape (default 0). */
  readonly dayShift?: (i: number) => EpochMs;
}

/**
 * `count` ladder orders on `tape`, each decided at a different instant spread evenly over
 * 09:30 ET to 09:30 + windowMs, sides alternating.
 */
export function ladderRequests(tape: Tape, count: number, opts: LadderOrderOptions = {}): SimExecutionRequest[] {
  const open = etClockToEpoch(tape.date, '09:30:00');
  const settings = strategySettings('ladder', DEFAULT_CONFIG, tape.symbol);
  const alertCostBps = ladderParamsFor(DEFAULT_CONFIG, tape.symbol).alertCostBps;
  const step = (opts.windowMs ?? 30 * 60_000) / count;
  const requests: SimExecutionRequest[] = [];
  for (let i = 0; i < count; i++) {
    const side: Side = i % 2 === 0 ? 'buy' : 'sell';
    const decisionTime = open + Math.floor(i * step) + (opts.dayShift?.(i) ?? 0);
    requests.push({ executionId: `bench-${i}`, strategy: 'ladder', symbol: tape.symbol, date: tape.date, side, qty: sharesToQty(LADDER_SHARES), decisionTime, settings, alertCostBps });
  }
  return requests;
}

/** Runs every request once, single-threaded; returns the shares filled (so the work cannot be elided). */
export function runAll(tape: Tape, requests: readonly SimExecutionRequest[], fillModel: FillModelConfig = DEFAULT_FILL_MODEL): number {
  let filled = 0;
  for (const req of requests) filled += runSimExecution(tape, req, fillModel, 1).filledQty;
  return filled;
}
