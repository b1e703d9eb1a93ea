import type { Argv } from 'yargs';
import { LIQUIDITY_NAMES } from '../../sim/liquidity/liquidity-model.js';
import { numberArg } from '../number-arg.js';

export function rebalanceOptions(y: Argv) {
  return y
    .option('targets', { type: 'string', demandOption: true, describe: 'targets JSON: {"weights": {SYM: fraction}} or {"shares": {SYM: n}}, optional minTradeUsd, driftPct' })
    .option('positions', { type: 'string', describe: 'positions JSON {SYM: shares} (default: none held)' })
    .option('cash', { type: 'string', default: '0', describe: 'cash in USD before the rebalance' })
    .option('tape', { type: 'string', array: true, describe: 'tape file(s) of one date, one symbol each' })
    .option('scenario', { type: 'string', describe: 'scenario JSON whose tapes may cover several dates: each date is rebalanced separately' })
    .option('at', { type: 'string', describe: 'ET decision time HH:MM:SS (default: the scenario\'s first, 09:30:00)' })
    .option('config', { type: 'string', describe: 'ladder configuration JSON (see README): every leg is a ladder execution' })
    .option('liquidity', { type: 'string', describe: `liquidity model, one of ${LIQUIDITY_NAMES.join(', ')} (default: the scenario fill model's)` })
    .option('seed', { type: 'string', describe: 'fill-model seed (default: the scenario\'s)' })
    .option('whole-shares', { type: 'boolean', default: false, describe: 'trade whole shares only (default: fractional, to 1e-9 share)' })
    .option('min-trade-usd', { type: 'string', coerce: numberArg('min-trade-usd'), describe: 'skip an order worth less than this (default 1, Alpaca\'s floor; the targets file may set minTradeUsd)' })
    .option('drift-pct', { type: 'string', coerce: numberArg('drift-pct'), describe: 'leave a symbol alone within this many percentage points of its target (default 0; the targets file may set driftPct)' })
    .option('cash-buffer-bps', { type: 'string', coerce: numberArg('cash-buffer-bps'), default: 10, describe: 'bps over a buy\'s guard (or far side) at which its cash is reserved and its price capped' })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file that records the run' })
    .option('json', { type: 'boolean', default: false, describe: 'print the rebalance as JSON' })
    .conflicts('tape', 'scenario');
}
