import yargs from 'yargs';
import { registerCommands } from './commands.js';
import { UsageError } from './usage-error.js';

/** How a command line ended: the exit code, and whether it failed with an error (printed already). */
export interface CommandLineResult {
  readonly exitCode: number;
  readonly failed: boolean;
}

/** yargs' suggestion for a mistyped command says only "Did you mean X?": name what was typed too. */
function usageLine(msg: string, argv: readonly string[]): string {
  const suggestion = /^Did you mean (.+)\?$/.exec(msg);
  return suggestion === null ? msg : `unknown command "${argv[0]}"; did you mean ${suggestion[1]}? (better-orders --help lists them all)`;
}

async function report(err: unknown): Promise<number> {
  // Loaded only on failure: knowing every error class means loading the modules that throw them.
  const { describeError, exitCodeOf } = await import('./cli-error.js');
  process.stderr.write(`better-orders: ${describeError(err)}\n`);
  if (process.env['BETTER_ORDERS_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  // execute's own outcomes (partial, failed, orders possibly working) carry their exit codes.
  return exitCodeOf(err);
}

/**
 * Runs one better-orders command line (arguments without `node` and the script) and says how it
 * ended; a failure is printed as its one line. bin/ calls it through main.ts; tests call it in
 * process where a subprocess would add only start-up time.
 */
export async function runCommandLine(argv: readonly string[]): Promise<CommandLineResult> {
  const commandLine = ['better-orders', ...argv].join(' ');
  try {
    const cli = registerCommands(yargs([...argv]).scriptName('better-orders'), commandLine)
      .demandCommand(1, 'name a command, e.g. `better-orders backtest`')
      .recommendCommands()
      .strict()
      // yargs' own refusals (and a flag's coerce throwing) arrive as YError: usage errors all.
      .fail((msg, err) => {
        throw err === undefined || err === null || err.name === 'YError' ? new UsageError(usageLine(msg ?? err?.message ?? 'bad arguments', argv)) : err;
      })
      .help()
      .alias('h', 'help')
      // The process is the caller's: help and --version print, they do not exit.
      .exitProcess(false);
    // A bare `better-orders` is someone asking what there is: the command list, not an error.
    if (argv.length === 0) cli.showHelp('log');
    else await cli.parseAsync();
    return { exitCode: typeof process.exitCode === 'number' ? process.exitCode : 0, failed: false };
  } catch (err) {
    return { exitCode: await report(err), failed: true };
  }
}
