import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { registerCommands } from './commands.js';
import { UsageError } from './usage-error.js';

// `better-orders ... | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const argv = hideBin(process.argv);
const commandLine = ['better-orders', ...argv].join(' ');

async function fail(err: unknown): Promise<never> {
  // Loaded only on failure: knowing every error class means loading the modules that throw them.
  const { describeError, isExpectedError } = await import('./cli-error.js');
  process.stderr.write(`better-orders: ${describeError(err)}\n`);
  if (process.env['BETTER_ORDERS_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(isExpectedError(err) ? 2 : 1);
}

/** yargs' suggestion for a mistyped command says only "Did you mean X?": name what was typed too. */
function usageLine(msg: string): string {
  const suggestion = /^Did you mean (.+)\?$/.exec(msg);
  return suggestion === null ? msg : `unknown command "${argv[0]}"; did you mean ${suggestion[1]}? (better-orders --help lists them all)`;
}

try {
  let cli = registerCommands(yargs(argv).scriptName('better-orders'), commandLine);
  cli = cli
    .demandCommand(1, 'name a command, e.g. `better-orders backtest`')
    .recommendCommands()
    .strict()
    // yargs' own refusals (and a flag's coerce throwing) arrive as YError: usage errors all.
    .fail((msg, err) => {
      throw err === undefined || err === null || err.name === 'YError' ? new UsageError(usageLine(msg ?? err?.message ?? 'bad arguments')) : err;
    })
    .help()
    .alias('h', 'help');
  // A bare `better-orders` is someone asking what there is: the command list, not an error.
  if (argv.length === 0) cli.showHelp('log');
  else await cli.parseAsync();
} catch (err) {
  await fail(err);
}
