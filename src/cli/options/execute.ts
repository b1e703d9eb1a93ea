import type { Argv } from 'yargs';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { numberArg } from '../number-arg.js';

export function executeOptions(y: Argv) {
  return y
    .option('symbol', { type: 'string', demandOption: true, describe: 'ticker, e.g. TQQQ' })
    .option('side', { choices: ['buy', 'sell'] as const, demandOption: true, describe: 'order side' })
    .option('qty', { type: 'string', describe: 'shares (fractional allowed); exactly one of --qty / --notional' })
    .option('notional', { type: 'string', coerce: numberArg('notional'), describe: 'dollars; converted to whole shares at the arrival ask (buy) or bid (sell)' })
    .option('config', { type: 'string', describe: 'ladder configuration JSON (see README)' })
    .option('paper', { type: 'boolean', describe: 'paper trading (the default)' })
    .option('live', { type: 'boolean', describe: 'live trading; needs BETTER_ORDERS_LIVE=yes' })
    .option('endpoint', { type: 'string', describe: 'one base URL for trading, data and streams (e.g. the emulator)' })
    .option('feed', { choices: ['iex', 'sip'] as const, default: 'iex' as const, describe: 'stock data feed' })
    .option('clock-speed', { type: 'string', coerce: numberArg('clock-speed'), default: '1', hidden: true, describe: 'venue clock speed (the emulator\'s --speed)' })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file that records the run (and holds the lock of a running execution)' })
    .option('json', { type: 'boolean', default: false, describe: 'print {possiblyWorking, exitCode, executionId, resumed, runId, db, kind, tape, executions} as JSON (the execution id still goes to stderr first)' })
    .option('execution-id', { type: 'string', describe: 'a stable execution id (client ids are ID:1, ID:2, ...); re-running with the same id resumes it' })
    .option('resume', { type: 'string', describe: 'resume execution ID after a crash: check the orders found under it, cancel any still working, then work only what remains; one record for the whole execution' })
    .conflicts('execution-id', 'resume')
    .epilogue(`${EXIT_CODES_HELP}\n\nKeys come from APCA_API_KEY_ID and APCA_API_SECRET_KEY.`);
}
