import type { ExecutionOutcome } from '../engine/execution-report.js';

/**
 * Exit codes of `execute` (DESIGN.md: 0 only when the order completed), so a script can tell
 * what happened without parsing the output.
 */
export const EXIT = {
  /** The order filled completely (or had already filled before this run). */
  filled: 0,
  /** An unexpected error (a bug): the message says where to look. */
  unexpected: 1,
  /** Refused before anything was sent: bad arguments, no consent for live, a cap, a resume that does not match, a lock, bad keys. */
  refused: 2,
  /** Part of the order filled; nothing is left working. */
  partial: 3,
  /** Nothing filled (or nothing could be sent: the broker or its streams unreachable); nothing is left working. */
  failed: 4,
  /** Orders may still be working at the broker: their ids are the first thing printed. Check them at the broker. */
  mayBeWorking: 5,
} as const;

export function exitCodeFor(outcome: ExecutionOutcome, possiblyWorking: number): number {
  if (possiblyWorking > 0) return EXIT.mayBeWorking;
  return outcome === 'filled' ? EXIT.filled : outcome === 'partial' ? EXIT.partial : EXIT.failed;
}

/** For `execute --help`. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  `  ${EXIT.filled}  filled (or already filled before this run)`,
  `  ${EXIT.refused}  refused, nothing sent: arguments, --live consent, caps, keys,`,
  '     a resume that does not match the execution, a lock held by another run',
  `  ${EXIT.partial}  partially filled; nothing left working`,
  `  ${EXIT.failed}  nothing filled, or nothing could be sent (broker or streams`,
  '     unreachable); nothing left working',
  `  ${EXIT.mayBeWorking}  orders may still be working at the broker: their ids are printed first`,
  `  ${EXIT.unexpected}  unexpected error`,
].join('\n');
