import type { Argv } from 'yargs';
import { numberArg } from '../number-arg.js';

/** --tape/--symbol/--date as `backtest` reads them, shared by the commands that only read tapes. */
export function tapeOptions<T>(y: Argv<T>) {
  return y
    .option('tape', { type: 'string', array: true, describe: 'tape file(s): Lean _quote.zip (tick/second/minute) or generic CSV' })
    .option('symbol', { type: 'string', describe: 'symbol of a generic CSV tape (default: from the file name)' })
    .option('date', { type: 'string', describe: 'trading date YYYY-MM-DD of a generic CSV tape (default: from the file name)' });
}

export function dataProfileOptions(y: Argv) {
  return tapeOptions(y).option('json', {
    type: 'boolean',
    default: false,
    describe: 'print the measurement as JSON: one object for one tape, an array for several',
  });
}

export function dataFetchOptions(y: Argv) {
  return y
    .option('symbol', { type: 'string', describe: 'the symbol, e.g. TQQQ' })
    .option('date', { type: 'string', describe: 'trading date YYYY-MM-DD' })
    .option('from', { type: 'string', default: '04:00', describe: 'start, ET HH:MM' })
    .option('to', { type: 'string', default: '20:00', describe: 'end (excluded), ET HH:MM' })
    .option('out', { type: 'string', describe: 'directory for the tape (<sym>_<date>.csv and <sym>_<date>_trades.csv)' })
    .option('feed', { type: 'string', choices: ['iex', 'sip'], describe: 'Alpaca historical feed (default: the account’s best)' })
    .option('endpoint', { type: 'string', describe: 'one base URL for Alpaca REST (e.g. the loopback emulator)' })
    .option('page-size', { type: 'string', coerce: numberArg('page-size'), default: 10_000, describe: 'rows per page (1-10000)', hidden: true });
}
