import type { RebalanceSettings } from '../engine/rebalance/plan-types.js';
import { UsageError } from './cli-error.js';
import type { rebalanceOptions } from './options/rebalance.js';

type RebalanceArgs = Awaited<ReturnType<typeof rebalanceOptions>['argv']>;

/** The rebalance settings of both forms (simulated and on Alpaca): the flags, overridden by the targets file. */
export function rebalanceSettings(args: RebalanceArgs, file: { minTradeUsd: number | null; driftPct: number | null }): RebalanceSettings {
  const buffer = args['cash-buffer-bps'];
  if (!(buffer >= 0 && buffer <= 5_000)) throw new UsageError(`--cash-buffer-bps ${buffer}: expected 0 to 5000`);
  const minTradeUsd = file.minTradeUsd ?? args['min-trade-usd'] ?? 1;
  const driftPct = file.driftPct ?? args['drift-pct'] ?? 0;
  if (!(minTradeUsd >= 0)) throw new UsageError(`--min-trade-usd ${minTradeUsd}: expected a non-negative amount`);
  if (!(driftPct >= 0 && driftPct <= 100)) throw new UsageError(`--drift-pct ${driftPct}: expected 0 to 100`);
  return { wholeShares: args['whole-shares'], minTradeUsd, driftPct, cashBufferBps: buffer };
}
