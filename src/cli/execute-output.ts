import type { ExecutionReport } from '../engine/execution-report.js';
import { QTY_SCALE } from '../engine/units.js';
import type { PossiblyWorking } from '../live/driver/broker-gateway.js';
import { executionToJson } from './execution-json.js';
import { exitCodeFor } from './exit-codes.js';

/** The one line that must come first when orders may still be working: what to go and check. */
export function workingLine(executionId: string, working: readonly PossiblyWorking[]): string {
  const list = working.map((p) => `${p.clientOrderId} (${p.orderId === null ? 'broker order id unknown' : `order ${p.orderId}`}, ${p.status === null ? 'never seen' : `last ${p.status}`})`).join(', ');
  return `ORDERS MAY STILL BE WORKING at the broker for ${executionId}: ${list}; their cancel was not confirmed: check them at the broker`;
}

export interface ExecuteOutcome {
  readonly executionId: string;
  readonly kind: 'paper' | 'live';
  readonly report: ExecutionReport;
  readonly possiblyWorking: readonly PossiblyWorking[];
  /** Null when the run could not be recorded (the reason is in `recordError`). */
  readonly runId: number | null;
  readonly db: string;
  readonly tape: { readonly quotes: string; readonly trades: string } | null;
  readonly resumed: boolean;
  /** Filled before this run (a resume), shares. */
  readonly filledBefore: number;
  readonly stoppedBy: Error | null;
  readonly recordError: Error | null;
}

/** Writes the result (possibly-working orders first, on stdout and stderr) and returns the exit code. */
export function printOutcome(o: ExecuteOutcome, json: boolean, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const r = o.report;
  let code = exitCodeFor(r.outcome, o.possiblyWorking.length);
  if (o.recordError !== null && code === 0) code = 1;
  if (o.possiblyWorking.length > 0) err.write(`better-orders: ${workingLine(o.executionId, o.possiblyWorking)}\n`);
  if (o.stoppedBy !== null) err.write(`better-orders: the execution stopped early: ${o.stoppedBy.message}\n`);
  if (o.recordError !== null) err.write(`better-orders: the run was NOT recorded: ${o.recordError.message}\n`);
  if (json) {
    out.write(`${JSON.stringify({ possiblyWorking: o.possiblyWorking, exitCode: code, executionId: o.executionId, resumed: o.resumed, runId: o.runId, db: o.db, kind: o.kind, tape: o.tape, executions: [executionToJson(r)] }, null, 2)}\n`);
    return code;
  }
  if (o.possiblyWorking.length > 0) out.write(`${workingLine(o.executionId, o.possiblyWorking)}\n`);
  const filled = r.filledQty / QTY_SCALE;
  const target = r.qty / QTY_SCALE;
  if (o.resumed && o.filledBefore >= target) {
    out.write(`filled: ${o.executionId} already filled ${o.filledBefore}/${target} ${r.symbol} before this run; nothing sent\n`);
  } else {
    const avg = r.tca.avgPrice === null ? '-' : (r.tca.avgPrice / 10_000).toFixed(4);
    const before = o.resumed ? `, ${o.filledBefore} of it before this run` : '';
    out.write(`${r.outcome}: ${r.side} ${filled}/${target} ${r.symbol} avg ${avg}, cost ${r.tca.costBps?.toFixed(2) ?? '-'} bps, ${r.childOrders.length} child order(s)${before}${r.reason ? ` (${r.reason})` : ''}\n`);
  }
  if (o.runId !== null) out.write(`recorded as ${o.kind} run ${o.runId} in ${o.db}${o.tape !== null ? `; tape ${o.tape.quotes}` : ''}\n`);
  return code;
}
