import type { Argv } from 'yargs';
import { LIQUIDITY_NAMES } from '../../sim/liquidity/liquidity-model.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { numberArg } from '../number-arg.js';

export function rebalanceOptions(y: Argv) {
  return y
    .option('targets', { type: 'string', demandOption: true, describe: 'targets JSON: {"weights": {SYM: fraction}} or {"shares": {SYM: n}}, optional minTradeUsd, driftPct' })
    .option('positions', { type: 'string', describe: 'positions JSON {SYM: shares} (simulated form; default: none held)' })
    .option('cash', { type: 'string', describe: 'cash in USD before the rebalance (simulated form; default 0)' })
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
    // The form on Alpaca (no --tape / --scenario): the account's positions and cash, issue 9's live path per leg.
    .option('paper', { type: 'boolean', describe: 'on Alpaca: paper trading (the default without --tape/--scenario)' })
    .option('live', { type: 'boolean', describe: 'on Alpaca: live trading; needs BETTER_ORDERS_LIVE=yes' })
    .option('endpoint', { type: 'string', describe: 'on Alpaca: one base URL for trading, data and streams (e.g. the emulator)' })
    .option('feed', { choices: ['iex', 'sip'] as const, default: 'iex' as const, describe: 'on Alpaca: stock data feed' })
    .option('clock-speed', { type: 'string', coerce: numberArg('clock-speed'), default: '1', hidden: true, describe: 'venue clock speed (the emulator\'s --speed)' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'on Alpaca: print the plan from the account and the rails\' verdict; send nothing' })
    .option('resume', { type: 'string', describe: 'on Alpaca: resume rebalance RB_ID after a crash: reconcile every started leg through its client ids, start the rest' })
    .conflicts('tape', 'scenario')
    .epilogue(`${EXIT_CODES_HELP}\n(on Alpaca, for the whole rebalance; keys from APCA_API_KEY_ID and APCA_API_SECRET_KEY)`);
}
