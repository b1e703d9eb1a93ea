import type { Argv } from 'yargs';
import { LIQUIDITY_NAMES } from '../../sim/liquidity/liquidity-model.js';

export function backtestOptions(y: Argv) {
  return y
    .option('scenario', { type: 'string', describe: 'scenario JSON file (default: scenarios/default.json, synthetic opens)' })
    .option('tape', { type: 'string', array: true, describe: 'tape file(s): Lean _quote.zip (tick/second/minute) or generic CSV; replaces the scenario data' })
    .option('symbol', { type: 'string', describe: 'only tapes of this symbol (names the symbol of a generic CSV)' })
    .option('date', { type: 'string', describe: 'only tapes of this date YYYY-MM-DD (names the date of a generic CSV)' })
    .option('side', { choices: ['buy', 'sell'] as const, describe: 'order side (default: the scenario\'s)' })
    .option('qty', { type: 'string', describe: 'shares per order, fractional allowed (default: the scenario\'s)' })
    .option('at', { type: 'string', describe: 'ET decision time HH:MM:SS (default 09:30:00)' })
    .option('strategies', { type: 'string', describe: 'comma list of ladder,market,progressive,passive' })
    .option('config', { type: 'string', describe: 'ladder configuration JSON (see README)' })
    .option('seed', { type: 'string', describe: 'fill-model seed (default: the scenario\'s)' })
    .option('widen', { type: 'string', describe: 'widen spreads near the open: peak=4,decay=90s[,noise=0.2] (replaces the scenario\'s widen)' })
    .option('liquidity', { type: 'string', describe: `liquidity model(s), comma list of ${LIQUIDITY_NAMES.join(',')}: each order runs under each (default: the scenario fill model's, conservative)` })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file that records the run' })
    .option('json', { type: 'boolean', default: false, describe: 'print {runId, executions, summary} as JSON' })
    .option('deliver-alerts', { type: 'boolean', default: false, describe: 'also send the run\'s alerts to the sinks of the config (stderr, webhook, command); by default they are only recorded' });
}
