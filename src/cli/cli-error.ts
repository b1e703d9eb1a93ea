import { ConfigError } from '../engine/config.js';
import { PlanInputError } from '../sim/plan/plan-errors.js';
import { ScenarioError } from '../sim/scenario/load-scenario.js';
import { TapeFormatError } from '../sim/tape/tape-error.js';
import { StoreError } from '../store/store-error.js';

import { UsageError } from './usage-error.js';

export { UsageError };

/**
 * A failure whose message is the one line a user needs and that carries its own exit code (the
 * `execute` codes of exit-codes.ts: nothing could be sent, orders may still be working).
 */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The inputs run but give nothing to measure: no execution could start (a closed day, decisions
 * after the close, no quotes in the session). Exit code 2, one line listing why.
 */
export class NoExecutionStarted extends Error {
  override readonly name = 'NoExecutionStarted';
}

/** Errors whose message is already the one line a user needs. */
const EXPECTED = [UsageError, PlanInputError, CommandFailed, ConfigError, ScenarioError, TapeFormatError, StoreError, NoExecutionStarted] as const;

export function isExpectedError(err: unknown): err is Error {
  return EXPECTED.some((E) => err instanceof E) || err instanceof RangeError;
}

/** The process exit code for a failure: its own, 2 for other expected errors, 1 for the unexpected. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CommandFailed) return err.exitCode;
  return isExpectedError(err) ? 2 : 1;
}

/** The one line printed for a failure: the message for expected errors, a short note plus the cause otherwise. */
export function describeError(err: unknown): string {
  let line: string;
  if (err instanceof ConfigError) line = `bad config: ${err.message}`;
  else if (isExpectedError(err)) line = err.message;
  else line = `unexpected error: ${err instanceof Error ? err.message : String(err)} (set BETTER_ORDERS_DEBUG=1 for the stack trace)`;
  // yargs spreads some messages over several lines; a one-line reason is easier to read and to grep.
  return line.replace(/\s*\n\s*/g, ' ');
}
