import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import type { BetterOrdersConfig } from '../../engine/config.js';
import type { DecisionEvent, ExecutionReport } from '../../engine/execution-report.js';
import type { ResolvedWindows } from '../../engine/trading-day-windows.js';
import type { Money } from '../../engine/money.js';
import { strategySettings } from '../../engine/strategies/strategy-settings.js';
import { QTY_SCALE, type Price, type Qty, type Side } from '../../engine/units.js';
import type { EpochMs } from '../../engine/units.js';
import type { Quote } from '../../engine/quote.js';
import { alpacaBroker } from '../driver/alpaca-broker.js';
import { latestQuote, type AlpacaSessionOptions } from '../driver/alpaca-session.js';
import type { PossiblyWorking } from '../driver/broker-gateway.js';
import { REAL_WALL_CLOCK } from '../driver/broker-port.js';
import { runLiveExecution, type LiveExecutionResult } from '../driver/live-driver.js';
import { checkRecovered, RecoveryError, scanChildren, settleChildren, type Recovery } from '../driver/resume.js';
import { resumedReport } from '../driver/resumed-report.js';
import type { VenueClock } from '../driver/venue-clock.js';
import type { StreamFanout } from './stream-fanout.js';

/**
 * A leg's record, as `execute` keeps one execution's (store/live-executions.ts; the cli fills it
 * in, since live/ does not reach the store): the row claimed and locked before anything is sent,
 * the arrival and every child number noted before it goes out.
 */
export interface LegRecord {
  /** Claims (creates or locks) the leg's row; refused while another process holds it or when it differs. */
  claim(intent: { readonly executionKey: string; readonly kind: 'paper' | 'live'; readonly symbol: string; readonly side: Side; readonly qty: Qty; readonly decisionTime: EpochMs }): { readonly created: boolean; readonly lastChild: number } | { readonly refused: string };
  release(executionKey: string): void;
  noteArrival(executionKey: string, q: Quote): void;
  noteChildSent(executionKey: string, n: number): void;
  /** The row's original decision and arrival (a resumed report is measured from them). */
  started(executionKey: string): { readonly decisionTime: EpochMs; readonly arrival: Quote | null };
  /** The earlier record of this leg (a run that ended, then was resumed), if any. */
  earlierReport(executionKey: string): ExecutionReport | null;
  /** The leg's decision log as it grows (alerts are raised from it); must return at once and never throw. */
  observe(executionKey: string, log: readonly DecisionEvent[]): void;
  /** The leg ended with THE report of its execution; `observed` is the part of the log this run saw. */
  ended(executionKey: string, report: ExecutionReport, possiblyWorking: readonly string[], observed: readonly DecisionEvent[]): void;
}

/** What every leg of one rebalance shares: the SDK client, the venue clock, the streams, the record. */
export interface LegEnvironment {
  readonly alpaca: Alpaca;
  readonly opts: AlpacaSessionOptions;
  readonly clock: VenueClock;
  readonly windows: ResolvedWindows | string;
  readonly config: BetterOrdersConfig;
  readonly fanout: StreamFanout;
  readonly record: LegRecord;
  readonly kind: 'paper' | 'live';
  readonly decisionTime: number;
}

export interface LegOrder {
  readonly executionId: string;
  readonly symbol: string;
  readonly side: Side;
  /** The leg's parent quantity (on a resume: as first sent, from its live_executions row). */
  readonly qty: Qty;
  /** A buy's cap; null for a sell. */
  readonly priceCap: Price | null;
}

/** A leg as it ended: THE report of its execution (the whole parent on a resume) and what may still work. */
export interface LegOutcome {
  readonly order: LegOrder;
  readonly report: ExecutionReport;
  readonly possiblyWorking: readonly PossiblyWorking[];
  readonly result: LiveExecutionResult | null;
  readonly recovery: Recovery;
  /** Whether a record of this leg already existed (a resume): the rebalance replaces it. */
  readonly resumed: boolean;
  /** Sum of fill qty x price over the whole leg, Money rounded down (a sell's proceeds). */
  readonly notionalFloor: Money;
  /** The same, rounded up (what a buy paid). */
  readonly notionalCeil: Money;
}

/** A leg that could not be reconciled or started: nothing of it was sent by this run. */
export class LegRefused extends Error {
  override readonly name = 'LegRefused';
  constructor(
    message: string,
    /** True when orders of the leg may still be working at the broker (a recovery that could not settle them). */
    readonly mayBeWorking: boolean,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `${executionId}:${n}` -> n. */
const childNumber = (clientOrderId: string): number => Number(clientOrderId.slice(clientOrderId.lastIndexOf(':') + 1)) || 0;

function notionalOf(report: ExecutionReport): { floor: Money; ceil: Money } {
  let exact = 0n;
  for (const c of report.childOrders) for (const f of c.fills) exact += BigInt(f.qty) * BigInt(f.price);
  const scale = BigInt(QTY_SCALE);
  const floor = exact / scale;
  return { floor: Number(floor), ceil: Number(exact % scale > 0n ? floor + 1n : floor) };
}

/**
 * Runs ONE leg of a rebalance exactly as `execute` runs one order (issue 9): its live_executions
 * row is claimed (locked) before anything is sent; a leg that may have run before (a resume) is
 * reconciled through its client ids first (scan, check, cancel what still works, confirmed), and
 * only its remainder is worked, numbering children past the broker's last; the remainder runs on
 * the live driver and its gateway, on the rebalance's shared streams. Never throws for the
 * leg's own outcome (a reject is a failed report); throws LegRefused when it could not start.
 */
export async function runLeg(env: LegEnvironment, order: LegOrder, mayHaveRun: boolean): Promise<LegOutcome> {
  const { record, config } = env;
  const { executionId, symbol, side, qty } = order;
  const claim = record.claim({ executionKey: executionId, kind: env.kind, symbol, side, qty, decisionTime: env.decisionTime });
  if ('refused' in claim) throw new LegRefused(`leg ${executionId} refused: ${claim.refused}`, false);
  try {
    const settings = strategySettings('ladder', config, symbol);
    const alertCostBps = (config.overrides[symbol] ?? config.ladder).alertCostBps;
    let recovery: Recovery = { children: [], filledQty: 0, lastChild: 0 };
    if (mayHaveRun || !claim.created) {
      const port = alpacaBroker(env.alpaca, symbol, env.opts.feed);
      let found;
      try {
        found = await scanChildren(port, REAL_WALL_CLOCK, executionId, claim.lastChild);
      } catch (err) {
        if (err instanceof RecoveryError) throw new LegRefused(`orders of ${executionId} may still be working: ${err.message}`, true, { cause: err });
        throw err;
      }
      const refusal = checkRecovered(found, { executionId, symbol, side, qty });
      if (refusal !== null) throw new LegRefused(`resume of ${executionId} refused: ${refusal}; nothing was cancelled or sent`, false);
      const settled = await settleChildren(port, REAL_WALL_CLOCK, executionId, found);
      if (settled.unconfirmed.length > 0) throw new LegRefused(`orders of ${executionId} may still be working: ${settled.unconfirmed.map((p) => p.clientOrderId).join(', ')}; nothing new was sent`, true);
      recovery = settled.recovery;
      record.noteChildSent(executionId, recovery.lastChild);
    }
    const remaining = qty - recovery.filledQty;
    let result: LiveExecutionResult | null = null;
    if (remaining > 0) {
      const quote = await latestQuote(env.alpaca, symbol, env.opts.feed);
      result = await runLiveExecution(
        { broker: alpacaBroker(env.alpaca, symbol, env.opts.feed), streams: env.fanout.leg(symbol, executionId), clock: env.clock },
        {
          executionId, strategy: 'ladder', symbol, side, qty: remaining, settings, alertCostBps, windows: env.windows, quote, childOffset: recovery.lastChild,
          ...(order.priceCap !== null ? { priceCap: order.priceCap } : {}),
          onArrival: (q) => record.noteArrival(executionId, q),
          beforeSend: (cid) => record.noteChildSent(executionId, childNumber(cid)),
          onDecisionLog: (log) => record.observe(executionId, log),
        },
      );
    }
    const row = record.started(executionId);
    const fresh = claim.created && recovery.children.length === 0 && result !== null;
    const report = fresh
      ? result!.report
      : resumedReport({
          executionId, strategy: 'ladder', symbol, side, qty, decisionTime: row.decisionTime, arrival: row.arrival, recovered: recovery.children,
          earlier: record.earlierReport(executionId), remainder: result?.report ?? null,
          vwap: result?.report.tca.vwap ?? null, alertCostBps, now: Date.now(),
        });
    const possiblyWorking = result?.possiblyWorking ?? [];
    record.ended(executionId, report, possiblyWorking.map((p) => p.clientOrderId), report === result?.report ? report.events : (result?.report.events ?? []));
    const n = notionalOf(report);
    return { order, report, possiblyWorking, result, recovery, resumed: !fresh, notionalFloor: n.floor, notionalCeil: n.ceil };
  } finally {
    record.release(executionId);
  }
}
