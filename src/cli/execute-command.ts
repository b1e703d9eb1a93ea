import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { strategySettings } from '../engine/strategies/strategy-settings.js';
import { dollarsToPrice, QTY_SCALE, type Qty } from '../engine/units.js';
import type { Quote } from '../engine/quote.js';
import { alpacaBroker } from '../live/driver/alpaca-broker.js';
import { alpacaPorts } from '../live/driver/alpaca-ports.js';
import { brokerCalendar, brokerNow, brokerRead, BrokerUnavailable, createAlpaca, latestQuote, type AlpacaSessionOptions } from '../live/driver/alpaca-session.js';
import { REAL_WALL_CLOCK, StreamUnavailableError } from '../live/driver/broker-port.js';
import { brokerWindows } from '../live/driver/broker-calendar-windows.js';
import { runLiveExecution, type LiveExecutionResult } from '../live/driver/live-driver.js';
import { checkRecovered, RecoveryError, scanChildren, settleChildren, type Recovery } from '../live/driver/resume.js';
import { resumedReport } from '../live/driver/resumed-report.js';
import { VenueClock } from '../live/driver/venue-clock.js';
import type { Database } from '../store/database.js';
import { claimLiveExecution, earlierRecordId, noteArrival, noteChildSent, readLiveExecution, recordLiveExecution, releaseLiveExecution, type LiveExecutionRow } from '../store/live-executions.js';
import { openDatabase } from '../store/open-database.js';
import { readExecution } from '../store/read-executions.js';
import { recordRun } from '../store/record-run.js';
import { CommandFailed, UsageError } from './cli-error.js';
import { checkExecuteArgs, type ExecuteRequest } from './execute-args.js';
import type { executeOptions } from './options/execute.js';
import { printOutcome, workingLine } from './execute-output.js';
import { ExecuteAlerts } from './execute-alerts.js';
import { EXIT } from './exit-codes.js';
import { codeVersion } from './package-paths.js';
import { pidAlive, runWithAlpacaKeys } from './alpaca-keys-run.js';


type ExecuteArgs = Awaited<ReturnType<typeof executeOptions>['argv']>;

export async function runExecuteCommand(args: ExecuteArgs, commandLine: string): Promise<void> {
  await runWithAlpacaKeys(commandLine, (keyId, secret, line) => execute(checkExecuteArgs(args, process.env, keyId, secret), line, keyId, secret));
}


/** `${executionId}:${n}` -> n. */
const childNumber = (clientOrderId: string): number => Number(clientOrderId.slice(clientOrderId.lastIndexOf(':') + 1)) || 0;

async function execute(a: ExecuteRequest, commandLine: string, keyId: string, secret: string): Promise<number> {
  const kind = a.live ? 'live' : 'paper';
  const executionId = a.executionId ?? `bo-${a.symbol}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  // The id first, before anything is sent (with --json too): a crash leaves something to resume with.
  process.stderr.write(`execution id ${executionId} (resume after a crash with --resume ${executionId})\n`);
  const settings = strategySettings('ladder', a.config, a.symbol);
  const opts: AlpacaSessionOptions = { keyId, secret, paper: !a.live, feed: a.feed, ...(a.endpoint !== undefined ? { endpoint: a.endpoint } : {}) };
  const where = a.endpoint ?? (a.live ? 'https://api.alpaca.markets' : 'https://paper-api.alpaca.markets');
  const db = openDatabase(a.db);
  const owner = { pid: process.pid, host: hostname() };
  let claimed = false;
  let alerts: ExecuteAlerts | null = null;
  try {
    const alpaca = createAlpaca(opts);
    let clock: VenueClock;
    let windows: ReturnType<typeof brokerWindows>;
    try {
      clock = new VenueClock(await brokerRead(where, () => brokerNow(alpaca)), a.clockSpeed);
      windows = brokerWindows(clock.now(), await brokerRead(where, () => brokerCalendar(alpaca, clock.now())), settings.windowTimes);
    } catch (err) {
      if (err instanceof BrokerUnavailable) throw new CommandFailed(`${err.message}; nothing was sent`, err.refused ? EXIT.refused : EXIT.failed, { cause: err });
      throw err;
    }
    const quote = await latestQuote(alpaca, a.symbol, a.feed);
    const existing = readLiveExecution(db, executionId);
    const qty = parentQty(a, existing, quote);
    checkLiveCap(a, qty, quote);
    const claim = claimLiveExecution(db, { executionKey: executionId, kind, symbol: a.symbol, side: a.side, qty, notional: a.notional, decisionTime: clock.now() }, owner, pidAlive);
    if ('refused' in claim) throw new UsageError(`execute refused: ${claim.refused}`);
    claimed = true;
    alerts = new ExecuteAlerts(db, a.config.alerts, { executionId, symbol: a.symbol, side: a.side, qty });
    const raiser = alerts.raiser;

    // An id that may have run before (given by the user, or known to this record): before anything
    // is sent, find every child the broker has under it, check they are this command's, cancel any
    // still working and wait for the broker to confirm, then work only what remains.
    let recovery: Recovery = { children: [], filledQty: 0, lastChild: 0 };
    const mayHaveRun = a.executionId !== undefined || !claim.created;
    if (mayHaveRun) {
      const port = alpacaBroker(alpaca, a.symbol, a.feed);
      let found;
      try {
        found = await scanChildren(port, REAL_WALL_CLOCK, executionId, claim.row.lastChild);
      } catch (err) {
        if (err instanceof RecoveryError) throw new CommandFailed(`orders of ${executionId} may still be working: ${err.message}`, EXIT.mayBeWorking, { cause: err });
        throw err;
      }
      if (a.mustExist && found.size === 0 && claim.created) throw new UsageError(`--resume ${executionId}: no such execution in ${a.db} or at the broker; nothing was sent`);
      const refusal = checkRecovered(found, { executionId, symbol: a.symbol, side: a.side, qty });
      if (refusal !== null) throw new UsageError(`resume refused: ${refusal}; nothing was cancelled or sent`);
      const settled = await settleChildren(port, REAL_WALL_CLOCK, executionId, found);
      if (settled.unconfirmed.length > 0) throw new CommandFailed(`${workingLine(executionId, settled.unconfirmed)}; nothing new was sent`, EXIT.mayBeWorking);
      recovery = settled.recovery;
      noteChildSent(db, executionId, recovery.lastChild);
      if (recovery.children.length > 0) {
        const cancelled = recovery.children.filter((c) => c.cancelledNow).map((c) => c.clientOrderId);
        process.stderr.write(`resuming ${executionId}: ${recovery.children.length} earlier order(s), ${recovery.filledQty / QTY_SCALE} of ${qty / QTY_SCALE} filled${cancelled.length > 0 ? `, cancelled ${cancelled.join(', ')}` : ''}\n`);
      }
    }

    const remaining = qty - recovery.filledQty;
    let result: LiveExecutionResult | null = null;
    if (remaining > 0) {
      try {
        result = await runLiveExecution(alpacaPorts(alpaca, opts, a.symbol, clock), {
          executionId, strategy: 'ladder', symbol: a.symbol, side: a.side, qty: remaining, settings,
          alertCostBps: (a.config.overrides[a.symbol] ?? a.config.ladder).alertCostBps, windows, quote, childOffset: recovery.lastChild,
          onArrival: (q) => noteArrival(db, executionId, q),
          beforeSend: (cid) => noteChildSent(db, executionId, childNumber(cid)),
          // Alerts as the decision log grows: a fallback is heard of while the order still works.
          onDecisionLog: (log) => raiser.observe(log),
        });
      } catch (err) {
        if (err instanceof StreamUnavailableError) throw new CommandFailed(`${err.message}; nothing was sent`, EXIT.failed, { cause: err });
        throw err;
      }
    }
    return finish(db, a, alerts, { executionId, kind, commandLine, qty, recovery, result, row: readLiveExecution(db, executionId)!, startedFresh: claim.created && recovery.children.length === 0 });
  } finally {
    try {
      if (claimed) releaseLiveExecution(db, executionId, owner);
    } finally {
      try {
        // After the result is out: deliveries still under way get alerts.exitGraceMs at most.
        await alerts?.close();
      } finally {
        db.close();
      }
    }
  }
}

/** The parent quantity: --qty, or --notional sized at the arrival far side (on a resume: as first sized, if the notional matches). */
function parentQty(a: ExecuteRequest, existing: LiveExecutionRow | undefined, quote: Quote | null): Qty {
  if (a.qty !== null) return a.qty;
  const notional = a.notional!;
  if (existing !== undefined) {
    if (existing.notional !== notional) throw new UsageError(`execute refused: execution ${existing.executionKey} was ${existing.notional === null ? `--qty ${existing.qty / QTY_SCALE}` : `--notional ${existing.notional}`}, not --notional ${notional}`);
    return existing.qty;
  }
  const far = quote === null ? null : a.side === 'buy' ? quote.ask : quote.bid;
  if (far === null || far <= 0) throw new UsageError('--notional needs a quote to size the order, and the broker has none; nothing was sent');
  const qty = Math.floor(dollarsToPrice(notional) / far) * QTY_SCALE;
  if (qty <= 0) throw new UsageError(`--notional ${notional} buys less than one share at ${far / 10_000}; nothing was sent`);
  return qty;
}

/** Live trading's cap (maxNotionalPerOrder), checked at the arrival far side before anything is sent. */
function checkLiveCap(a: ExecuteRequest, qty: Qty, quote: Quote | null): void {
  if (!a.live) return;
  const far = quote === null ? null : a.side === 'buy' ? quote.ask : quote.bid;
  if (far === null || far <= 0) throw new UsageError('execute --live refused: no arrival quote to check maxNotionalPerOrder against');
  const usd = (qty / QTY_SCALE) * (far / 10_000);
  if (usd > a.config.maxNotionalPerOrder) throw new UsageError(`execute --live refused: ${usd.toFixed(2)} USD is above maxNotionalPerOrder ${a.config.maxNotionalPerOrder}`);
}

interface Finished {
  readonly executionId: string;
  readonly kind: 'paper' | 'live';
  readonly commandLine: string;
  readonly qty: Qty;
  readonly recovery: Recovery;
  readonly result: LiveExecutionResult | null;
  readonly row: LiveExecutionRow;
  readonly startedFresh: boolean;
}

/** Writes the tape and THE record of the execution (the whole parent order on a resume), prints the result, returns the exit code. */
function finish(db: Database, a: ExecuteRequest, alerts: ExecuteAlerts, f: Finished): number {
  const r = f.result;
  let tape: { quotes: string; trades: string } | null = null;
  let runId: number | null = null;
  let recordError: Error | null = null;
  const earlierId = f.startedFresh ? null : earlierRecordId(db, f.executionId);
  const report = f.startedFresh && r !== null
    ? r.report
    : resumedReport({
        executionId: f.executionId, strategy: 'ladder', symbol: a.symbol, side: a.side, qty: f.qty,
        decisionTime: f.row.decisionTime, arrival: f.row.arrival, recovered: f.recovery.children,
        earlier: earlierId === null ? null : readExecution(db, earlierId), remainder: r?.report ?? null,
        vwap: r?.report.tca.vwap ?? null, alertCostBps: (a.config.overrides[a.symbol] ?? a.config.ladder).alertCostBps, now: Date.now(),
      });
  // The outcome's alerts (partial, failed, cost, orders unconfirmed) before the record, so the run
  // claims them all. A resumed report is the whole parent order; only this attempt's log was observed.
  alerts.raiser.finish(report, (r?.possiblyWorking ?? []).map((p) => p.clientOrderId), report === r?.report ? report.events : (r?.report.events ?? []));
  try {
    if (r !== null) {
      // No tape table in the schema: the window is written as a generic CSV tape beside the db,
      // and the run's data_ref names it.
      const stem = path.join(path.dirname(path.resolve(a.db)), `${a.symbol.toLowerCase()}_${f.executionId}`);
      tape = r.tape.writeCsv(`${stem}_quotes.csv`, `${stem}_trades.csv`);
    }
    runId = recordRun(db, { kind: f.kind, command: f.commandLine, config: { config: a.config, endpoint: a.endpoint ?? null, feed: a.feed }, seed: null, dataRef: tape?.quotes ?? `broker:${f.executionId}`, codeVersion: codeVersion() });
    recordLiveExecution(db, runId, report);
    alerts.claim(runId, f.executionId);
  } catch (err) {
    recordError = err instanceof Error ? err : new Error(String(err));
    runId = null;
  }
  return printOutcome(
    { executionId: f.executionId, kind: f.kind, report, possiblyWorking: r?.possiblyWorking ?? [], runId, db: a.db, tape, resumed: f.recovery.children.length > 0, filledBefore: f.recovery.filledQty / QTY_SCALE, stoppedBy: r?.error ?? null, recordError },
    a.json,
  );
}
