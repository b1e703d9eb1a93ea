import { runCommandLine } from '../../src/cli/cli.js';
import type { CliResult } from './run-cli.js';

type Write = typeof process.stdout.write;

/**
 * Runs a command line in this process, capturing what it writes: for tests of what a command
 * prints and records, where a subprocess would add only start-up time. Exit codes of the real
 * process, signals and the bin launcher stay with runCli. Calls must not overlap (they share
 * process.stdout); vitest runs a file's tests one after another.
 */
export async function runInProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (append: (text: string) => void): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as Write;
  process.stdout.write = capture((t) => (stdout += t));
  process.stderr.write = capture((t) => (stderr += t));
  const debug = process.env['BETTER_ORDERS_DEBUG'];
  process.env['BETTER_ORDERS_DEBUG'] = '';
  process.exitCode = undefined;
  try {
    const { exitCode } = await runCommandLine(args);
    return { status: exitCode, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
    if (debug === undefined) delete process.env['BETTER_ORDERS_DEBUG'];
    else process.env['BETTER_ORDERS_DEBUG'] = debug;
  }
}
