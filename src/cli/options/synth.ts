import type { Argv } from 'yargs';
import { numberArg } from '../number-arg.js';
import { tapeOptions } from './data.js';

// Not global: `synth calibrate` is a subcommand of `synth` and must not inherit these.
export function synthGenerateOptions(y: Argv) {
  return y
    .option('profile', { type: 'string', global: false, describe: 'built-in profile name (e.g. tqqq-like) or a profile .json file (as `synth calibrate` writes)' })
    .option('date', { type: 'string', global: false, describe: 'first trading day YYYY-MM-DD (a non-trading day starts at the next one)' })
    .option('days', { type: 'string', coerce: numberArg('days'), global: false, default: 1, describe: 'number of trading days to write' })
    .option('seed', { type: 'string', global: false, describe: 'seed: the same arguments always write the same bytes' })
    .option('out', { type: 'string', global: false, describe: 'root folder; files go to <out>/equity/usa/tick/<symbol>/' })
    .option('from', { type: 'string', global: false, default: '09:00:00', describe: 'ET start of each tape HH:MM:SS' })
    .option('to', { type: 'string', global: false, default: '10:30:00', describe: 'ET end of each tape (exclusive) HH:MM:SS' })
    .option('shape', { type: 'string', global: false, describe: 'open shape JSON file (gapBps, trendBpsPerMinute, badQuotes...; as in a scenario)' })
    .option('symbol', { type: 'string', global: false, describe: 'symbol of the files (default: from the profile name, tqqq-like -> TQQQ)' });
}

export function synthCalibrateOptions(y: Argv) {
  return tapeOptions(y)
    .option('out', { type: 'string', describe: 'profile JSON file to write (read back by `synth --profile FILE`)' })
    .option('name', { type: 'string', describe: 'profile name (default: <symbol>-like, so generated tapes carry the symbol)' });
}
