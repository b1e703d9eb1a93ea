import { UsageError } from './usage-error.js';

/**
 * A yargs `coerce` for a numeric flag declared as a string, so a value that is no number is
 * refused with the text the user typed ("--random: expected a number, got \"abc\"") instead of
 * yargs' NaN. Range checks stay with the command, which knows what the number means.
 */
export function numberArg(flag: string): (value: unknown) => number {
  return (value: unknown): number => {
    if (Array.isArray(value)) throw new UsageError(`--${flag} was given ${value.length} times; give it once`);
    const text = String(value).trim();
    const n = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(n)) throw new UsageError(`--${flag}: expected a number, got "${String(value)}"`);
    return n;
  };
}
