import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { registerAlerts } from './alerts-command.js';
import { backtestOptions, runBacktestCommand } from './backtest-command.js';
import { describeError, isExpectedError, UsageError } from './cli-error.js';
import { registerCompare } from './compare-command.js';
import { registerData } from './data-command.js';
import { registerEmulator } from './emulator-command.js';
import { executeOptions, runExecuteCommand } from './execute-command.js';
import { registerRecord } from './record-command.js';
import { registerReport } from './report-command.js';
import { registerRuns } from './runs-command.js';
import { registerShow } from './show-command.js';
import { registerSynth } from './synth-command.js';
import { registerTune } from './tune-command.js';

// `better-orders ... | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const argv = hideBin(process.argv);
const commandLine = ['better-orders', ...argv].join(' ');

function fail(err: unknown): never {
  process.stderr.write(`better-orders: ${describeError(err)}\n`);
  if (process.env['BETTER_ORDERS_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(isExpectedError(err) ? 2 : 1);
}

try {
  let cli = yargs(argv)
    .scriptName('better-orders')
    .command('backtest', 'run strategies on recorded or synthetic opens and compare their costs', backtestOptions, (args) =>
      runBacktestCommand(args, commandLine),
    );
  cli = registerData(cli);
  cli = registerSynth(cli);
  cli = registerTune(cli);
  cli = registerEmulator(cli);
  cli = cli.command('execute', 'execute one order with the ladder on Alpaca (paper by default)', executeOptions, (args) => runExecuteCommand(args, commandLine));
  cli = registerRecord(cli);
  cli = registerCompare(cli);
  cli = registerRuns(cli);
  cli = registerShow(cli);
  cli = registerReport(cli, commandLine);
  cli = registerAlerts(cli);
  await cli
    .demandCommand(1, 'name a command, e.g. `better-orders backtest`')
    .strict()
    .fail((msg, err) => fail(err ?? new UsageError(msg)))
    .help()
    .parseAsync();
} catch (err) {
  fail(err);
}
