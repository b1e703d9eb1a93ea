import type { Argv } from 'yargs';
import { alertsOptions } from './options/alerts.js';
import { backtestOptions } from './options/backtest.js';
import { compareOptions } from './options/compare.js';
import { dataFetchOptions, dataProfileOptions } from './options/data.js';
import { rebalanceOptions } from './options/rebalance.js';
import { recordOptions } from './options/record.js';
import { reportOptions } from './options/report.js';
import { runsOptions } from './options/runs.js';
import { showOptions } from './options/show.js';
import { synthCalibrateOptions, synthGenerateOptions } from './options/synth.js';
import { tuneMergeOptions, tuneOptions } from './options/tune.js';
import { emulatorOptions } from './options/emulator.js';
import { executeOptions } from './options/execute.js';

/**
 * Every command: its options here, its code loaded only when it runs (`await import`), so
 * `--help` and a mistyped flag cost a yargs parse, not the simulator, SQLite and the Alpaca SDK.
 * The option builders (./options/) import nothing heavier than constants.
 */
export function registerCommands<T>(cli: Argv<T>, commandLine: string): Argv<T> {
  const simulation = cli
    .command('backtest', 'run strategies on recorded or synthetic opens and compare their costs', backtestOptions, async (args) =>
      (await import('./backtest-command.js')).runBacktestCommand(args, commandLine),
    )
    .command('data', 'inspect or import market data (`data profile`, `data fetch`)', (dy) =>
      dy
        .command('profile', 'measured open of tapes: time-weighted spreads and quote rates per ET window, mid at 10:00', dataProfileOptions, async (args) =>
          (await import('./data-command.js')).runDataProfile(args),
        )
        .command('fetch', 'import historical quotes and trades from Alpaca (every page) into a generic CSV tape', dataFetchOptions, async (args) =>
          (await import('./data-fetch-command.js')).runDataFetch(args),
        )
        .demandCommand(1, 'name a data command, e.g. `better-orders data profile --tape FILE`'),
    )
    .command(
      'synth',
      'generate seeded synthetic opens as tape files (or `synth calibrate` a profile from real tapes)',
      (sy) =>
        synthGenerateOptions(
          sy.command('calibrate', 'fit a symbol profile from real tapes', synthCalibrateOptions, async (args) => (await import('./synth-calibrate-command.js')).runSynthCalibrate(args)),
        ),
      async (args) => (await import('./synth-generate-command.js')).runSynthGenerate(args),
    )
    .command(
      'tune',
      'sweep ladder configurations over opens and pick the cheapest, tested on held-out days',
      (y) =>
        tuneOptions(y).command('merge <dbs..>', 'combine the shards of a sweep (tune --shard K/N) into the report one sweep would give', tuneMergeOptions, async (args) =>
          (await import('./tune-merge-command.js')).runTuneMerge(args),
        ),
      async (args) => (await import('./tune-command.js')).runTuneCommand(args),
    );
  return simulation
    .command('emulator', 'serve a tape through an Alpaca-compatible API on 127.0.0.1 (for end-to-end tests)', emulatorOptions, async (args) =>
      (await import('./emulator-command.js')).runEmulatorCommand(args),
    )
    .command('execute', 'execute one order with the ladder on Alpaca (paper by default)', executeOptions, async (args) =>
      (await import('./execute-command.js')).runExecuteCommand(args, commandLine),
    )
    .command('rebalance', 'rebalance a portfolio at the open: sells first, buys from their proceeds, every order a ladder execution (simulated on tapes, or the Alpaca account)', rebalanceOptions, async (args) =>
      (await import('./rebalance-command.js')).runRebalanceCommand(args, commandLine),
    )
    .command('record', 'stream quotes and trades from Alpaca into tapes that backtest and tune replay', recordOptions, async (args) => (await import('./record-command.js')).runRecord(args))
    .command('compare', 'replay a recorded paper or live execution in the simulator and show simulated against real', compareOptions, async (args) =>
      (await import('./compare-command.js')).runCompareCommand(args),
    )
    .command('runs', 'list the recorded runs (simulations, paper and live executions, sweeps)', runsOptions, async (args) => (await import('./runs-command.js')).runRunsCommand(args))
    .command('show', 'show one recorded execution (children, fills, decision log) or one run (its summary)', showOptions, async (args) =>
      (await import('./show-command.js')).runShowCommand(args),
    )
    .command('report', 'write an HTML report with charts of a run, an execution, a sweep or a rebalance', reportOptions, async (args) =>
      (await import('./report-command.js')).runReportCommand(args, commandLine),
    )
    .command('alerts', 'list the alerts raised by runs and executions, in the order they happened', alertsOptions, async (args) =>
      (await import('./alerts-command.js')).runAlertsCommand(args),
    );
}
