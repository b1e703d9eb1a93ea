import type { Argv } from 'yargs';
import { OBJECTIVES } from '../../analysis/tune/types.js';
import { numberArg } from '../number-arg.js';

/** The sweep's options: not global, so `tune merge` inherits none of them (nor --db's default). */
export function tuneOptions(y: Argv) {
  return y
    .option('scenario', { global: false, type: 'string', describe: 'scenario JSON file (default: scenarios/default.json)' })
    .option('tape', { global: false, type: 'string', array: true, describe: 'tape file(s) to tune on instead of the scenario data' })
    .option('symbol', { global: false, type: 'string', describe: 'only tapes of this symbol' })
    .option('date', { global: false, type: 'string', describe: 'only tapes (or the synthetic open) of this date YYYY-MM-DD' })
    .option('side', { global: false, choices: ['buy', 'sell'] as const, describe: 'order side (default: the scenario\'s)' })
    .option('qty', { global: false, type: 'string', describe: 'shares per order (default: the scenario\'s)' })
    .option('at', { global: false, type: 'string', describe: 'ET decision time HH:MM:SS (default: the scenario\'s)' })
    .option('config', { global: false, type: 'string', describe: 'base configuration JSON the candidates change (default: the scenario\'s)' })
    .option('grid', { global: false, type: 'string', describe: 'grid file: {"field": [values], ...}; every combination is swept' })
    .option('random', { global: false, type: 'string', coerce: numberArg('random'), describe: 'sweep N configurations drawn at random (seeded) from the search space' })
    .option('space', { global: false, type: 'string', describe: 'search space for --random: {"field": {"min": a, "max": b} | {"values": [...]}}' })
    .option('objective', { global: false, choices: OBJECTIVES, describe: 'what to minimise over the executions: mean, p90 or cvar95 cost (default mean)' })
    .option('test-fraction', { global: false, type: 'string', coerce: numberArg('test-fraction'), describe: 'share of the opens held out to test the winner (default 0.4)' })
    .option('workers', { global: false, type: 'string', coerce: numberArg('workers'), describe: 'worker threads (default: the cores, at most one per candidate; 1 = no workers)' })
    .option('seed', { global: false, type: 'string', describe: 'seed of the fill model, the random candidates and the train/test split (default: the scenario\'s)' })
    .option('db', { global: false, type: 'string', default: 'better-orders.db', describe: 'SQLite file that records the sweep' })
    .option('out', { global: false, type: 'string', describe: 'write the winning configuration here (accepted by backtest --config)' })
    .option('json', { global: false, type: 'boolean', default: false, describe: 'print the result as JSON' })
    .option('resume', { global: false, type: 'string', coerce: numberArg('resume'), describe: 'finish the interrupted sweep with this id (its stored plan and candidates are reused)' })
    .option('max-p95-seconds', { global: false, type: 'string', coerce: numberArg('max-p95-seconds'), describe: 'only candidates whose train p95 time to complete (decision to last fill; unfilled never completes) is within this many seconds may win' })
    .option('liquidity', { global: false, type: 'string', describe: 'liquidity models of the verdict, comma-separated (default conservative,nominal; the winner is chosen under conservative)' })
    .option('allow-underfill', { global: false, type: 'boolean', describe: 'let a winner that fills less of train or test than the default be chosen and written by --out' })
    .option('frontier-out', { global: false, type: 'string', describe: 'write the cost/time frontier (train and test, each liquidity model) here as CSV' })
    .option('shard', { global: false, type: 'string', describe: 'K/N: evaluate only shard K of N of the candidates into --db; combine the shards with `tune merge`' });
}

export function tuneMergeOptions(y: Argv) {
  return y
    .positional('dbs', { type: 'string', array: true, demandOption: true, describe: 'the databases the shards (tune --shard K/N) were stored in' })
    .option('db', { type: 'string', describe: 'record the merged sweep here (as one done sweep that tune --resume can report again); default: store nothing' })
    .option('out', { type: 'string', describe: 'write the winning configuration here (accepted by backtest --config)' })
    .option('frontier-out', { type: 'string', describe: 'write the cost/time frontier here as CSV' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' });
}
