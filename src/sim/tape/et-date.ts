import { DateTime } from 'luxon';
import type { EpochMs } from '../../engine/units.js';
import { TapeFormatError } from './tape-error.js';

const ET = 'America/New_York';

/**
 * Epoch ms of midnight America/New_York on `date` (YYYY-MM-DD). Lean time columns are ms after
 * this instant; trading days are never DST-switch days, so "midnight + ms" is the wall clock.
 * `file` only labels the error when the date is not a real calendar date.
 */
export function etMidnightMs(date: string, file: string): EpochMs {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone: ET }) : null;
  if (day === null || !day.isValid) {
    throw new TapeFormatError(file, null, `invalid date "${date}" (expected YYYY-MM-DD)`);
  }
  return day.startOf('day').toMillis();
}

/** The America/New_York calendar date (YYYY-MM-DD) of an epoch-ms instant. */
export function etDateOf(epochMs: EpochMs): string {
  return DateTime.fromMillis(epochMs, { zone: ET }).toISODate() ?? '';
}
