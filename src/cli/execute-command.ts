import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULT_CONFIG, type BetterOrdersConfig } from '../engine/config.js';
import { strategySettings } from '../engine/strategies/strategy-settings.js';
import { dollarsToPrice, parseShares, QTY_SCALE, type Qty } from '../engine/units.js';
import { brokerCalendar, brokerNow, createAlpaca, latestQuote, type AlpacaSessionOptions } from '../live/driver/alpaca-session.js';
import { brokerWindows } from '../live/driver/broker-windows.js';
import { alpacaPorts } from '../live/driver/alpaca-ports.js';
import { runLiveExecution } from '../live/driver/live-driver.js';
import { recoverExecution } from '../live/driver/resume.js';
import { redact } from '../live/driver/redact.js';
import { VenueClock } from '../live/driver/venue-clock.js';
import { openDatabase } from '../store/open-database.js';
import { recordExecutions, recordRun } from '../store/record-run.js';
import { readConfigFile } from './build-plan.js';
import { UsageError } from './cli-error.js';
import { executionToJson } from './execution-json.js';
import { codeVersion } from './package-paths.js';

/** A user-chosen execution id: safe inside a client order id (`ID:n`, at most 128 characters). */
const EXECUTION_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function executeOptions(y: Argv) {
  return y
    .option('symbol', { type: 'string', demandOption: true, describe: 'ticker, e.g. TQQQ' })
    .option('side', { choices: ['buy', 'sell'] as const, demandOption: true, describe: 'order side' })
    .option('qty', { type: 'string', describe: 'shares (fractional allowed); exactly one of --qty / --notional' })
    .option('notional', { type: 'number', describe: 'dollars; converted to whole shares at the arrival ask (buy) or bid (sell)' })
    .option('config', { type: 'string', describe: 'ladder configuration JSON (see README)' })
    .option('paper', { type: 'boolean', describe: 'paper trading (the default)' })
    .option('live', { type: 'boolean', default: false, describe: 'live trading; needs BETTER_ORDERS_LIVE=yes' })
    .option('endpoint', { type: 'string', describe: 'one base URL for trading, data and streams (e.g. the emulator)' })
    .option('feed', { choices: ['iex', 'sip'] as const, default: 'iex' as const, describe: 'stock data feed' })
    .option('clock-speed', { type: 'number', default: 1, hidden: true, describe: 'venue clock speed (the emulator\'s --speed)' })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file that records the run' })
    .option('json', { type: 'boolean', default: false, describe: 'print {runId, execution} as JSON' })
    .option('execution-id', { type: 'string', describe: 'a stable execution id (client ids are ID:1, ID:2, ...); re-running with the same id resumes it' })
    .option('resume', { type: 'string', describe: 'resume execution ID after a crash: reconcile its orders at the broker, then work only what remains' })
    .conflicts('paper', 'live')
    .conflicts('execution-id', 'resume');
}

type ExecuteArgs = Awaited<ReturnType<typeof executeOptions>['argv']>;

export async function runExecuteCommand(args: ExecuteArgs, commandLine: string): Promise<void> {
  const keyId = process.env['APCA_API_KEY_ID'] ?? '';
  const secret = process.env['APCA_API_SECRET_KEY'] ?? '';
  try {
    await execute(args, commandLine, keyId, secret);
  } catch (err) {
    // Keys never leave the process: scrub them from any message before it is printed.
    if (err instanceof Error) err.message = redact(err.message, [keyId, secret]);
    throw err;
  }
}

async function execute(args: ExecuteArgs, commandLine: string, keyId: string, secret: string): Promise<void> {
  const live = args.live === true;
  if (live && process.env['BETTER_ORDERS_LIVE'] !== 'yes') {
    throw new UsageError('execute --live refused: set BETTER_ORDERS_LIVE=yes to trade real money (paper trading is the default)');
  }
  if ((args.qty === undefined) === (args.notional === undefined)) throw new UsageError('give exactly one of --qty N or --notional USD');
  if (keyId === '' || secret === '') throw new UsageError('set APCA_API_KEY_ID and APCA_API_SECRET_KEY (the Alpaca keys)');
  const symbol = args.symbol.toUpperCase();
  const config: BetterOrdersConfig = args.config !== undefined ? readConfigFile(args.config) : DEFAULT_CONFIG;
  const settings = strategySettings('ladder', config, symbol);
  const opts: AlpacaSessionOptions = { keyId, secret, paper: !live, feed: args.feed, ...(args.endpoint !== undefined ? { endpoint: args.endpoint } : {}) };
  const alpaca = createAlpaca(opts);

  const clock = new VenueClock(await brokerNow(alpaca), args['clock-speed']);
  const windows = brokerWindows(clock.now(), await brokerCalendar(alpaca, clock.now()), settings.windowTimes);
  const quote = await latestQuote(alpaca, symbol, args.feed);
  const far = quote === null ? null : args.side === 'buy' ? quote.ask : quote.bid;
  let qty: Qty;
  if (args.qty !== undefined) {
    const q = parseShares(args.qty);
    if (q === null || q <= 0) throw new UsageError(`--qty ${args.qty}: expected a positive number of shares`);
    qty = q;
  } else {
    if (far === null || far <= 0) throw new UsageError('--notional needs a quote to size the order, and the broker has none');
    qty = Math.floor(dollarsToPrice(args.notional!) / far) * QTY_SCALE;
    if (qty <= 0) throw new UsageError(`--notional ${args.notional} buys less than one share at ${far / 10_000}`);
  }
  if (live) {
    if (far === null || far <= 0) throw new UsageError('execute --live refused: no arrival quote to check maxNotionalPerOrder against');
    const notional = (qty / QTY_SCALE) * (far / 10_000);
    if (notional > config.maxNotionalPerOrder) {
      throw new UsageError(`execute --live refused: ${notional.toFixed(2)} USD is above maxNotionalPerOrder ${config.maxNotionalPerOrder}`);
    }
  }

  const chosenId = args.resume ?? args['execution-id'];
  if (chosenId !== undefined && !EXECUTION_ID.test(chosenId)) {
    throw new UsageError(`--${args.resume !== undefined ? 'resume' : 'execution-id'} ${chosenId}: expected 1-64 letters, digits, '.', '_' or '-'`);
  }
  const executionId = chosenId ?? `bo-${symbol}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  if (!args.json) process.stderr.write(`execution id ${executionId} (resume after a crash with --resume ${executionId})\n`);
  // A chosen id may have run before (a crash): before anything is sent, every child the broker
  // knows under it is looked up, any still working is cancelled (confirmed), and what filled is
  // counted; only the remaining quantity is worked, under client ids that continue the numbering.
  let childOffset = 0;
  let alreadyFilled: Qty = 0;
  if (chosenId !== undefined) {
    const rec = await recoverExecution(alpaca.trading.orders, executionId);
    childOffset = rec.lastChild;
    alreadyFilled = rec.filledQty;
    if (rec.children.length > 0) {
      const cancelled = rec.children.filter((c) => c.cancelledNow).map((c) => c.clientOrderId);
      process.stderr.write(`resuming ${executionId}: ${rec.children.length} earlier order(s), ${alreadyFilled / QTY_SCALE} of ${qty / QTY_SCALE} filled${cancelled.length > 0 ? `, cancelled ${cancelled.join(', ')}` : ''}\n`);
    }
  }
  const remaining = qty - alreadyFilled;
  if (remaining <= 0) {
    if (args.json) process.stdout.write(`${JSON.stringify({ executionId, resumed: true, alreadyFilled: alreadyFilled / QTY_SCALE, target: qty / QTY_SCALE, executions: [] }, null, 2)}\n`);
    else process.stdout.write(`filled: ${executionId} already filled ${alreadyFilled / QTY_SCALE}/${qty / QTY_SCALE} ${symbol} before this run; nothing sent\n`);
    return;
  }
  const { report, tape } = await runLiveExecution(alpacaPorts(alpaca, opts, symbol, clock), {
    executionId, strategy: 'ladder', symbol, side: args.side, qty: remaining, settings,
    alertCostBps: (config.overrides[symbol] ?? config.ladder).alertCostBps, windows, quote, childOffset,
  });

  // No tape table in the schema: the window is written as a generic CSV tape beside the db, and
  // the run's data_ref names it.
  const stem = path.join(path.dirname(path.resolve(args.db)), `${symbol.toLowerCase()}_${executionId}`);
  const files = tape.writeCsv(`${stem}_quotes.csv`, `${stem}_trades.csv`);
  const db = openDatabase(args.db);
  let runId: number;
  try {
    runId = recordRun(db, {
      kind: live ? 'live' : 'paper',
      command: redact(commandLine, [keyId, secret]),
      config: { config, endpoint: args.endpoint ?? null, feed: args.feed },
      seed: null,
      dataRef: files.quotes,
      codeVersion: codeVersion(),
    });
    recordExecutions(db, runId, [report]);
  } finally {
    db.close();
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ runId, db: args.db, kind: live ? 'live' : 'paper', tape: files, executions: [executionToJson(report)] }, null, 2)}\n`);
    return;
  }
  const filled = report.filledQty / QTY_SCALE;
  const avg = report.tca.avgPrice === null ? '-' : (report.tca.avgPrice / 10_000).toFixed(4);
  process.stdout.write(`${report.outcome}: ${args.side} ${filled}/${qty / QTY_SCALE} ${symbol} avg ${avg}, cost ${report.tca.costBps?.toFixed(2) ?? '-'} bps, ${report.childOrders.length} child order(s)${report.reason ? ` (${report.reason})` : ''}\n`);
  process.stdout.write(`recorded as ${live ? 'live' : 'paper'} run ${runId} in ${args.db}; tape ${files.quotes}\n`);
}
