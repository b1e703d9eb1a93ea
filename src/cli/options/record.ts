import type { Argv } from 'yargs';

export function recordOptions(y: Argv) {
  return y
    .option('symbols', { type: 'string', describe: 'comma-separated symbols, e.g. TQQQ,SOXL' })
    .option('from', { type: 'string', describe: 'start, ET wall clock HH:MM (waits for it if earlier)' })
    .option('to', { type: 'string', describe: 'end, ET wall clock HH:MM (stops there)' })
    .option('out', { type: 'string', describe: 'directory for the tapes (<sym>_<date>.csv and <sym>_<date>_trades.csv)' })
    .option('feed', { type: 'string', choices: ['iex', 'sip'], default: 'iex', describe: 'Alpaca stock feed' })
    .option('endpoint', { type: 'string', describe: 'one base URL for Alpaca REST and streams (e.g. the loopback emulator)' });
}
