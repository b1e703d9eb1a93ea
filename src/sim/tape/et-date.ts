import { etClockToEpoch } from '../../engine/et-time.js';
import type { EpochMs } from '../../engine/units.js';
import { TapeFormatError } from './tape-error.js';

/**
 * Epoch ms of midnight America/New_York on `date` (YYYY-MM-DD). Lean time columns are ms after
 * this instant; trading days are never DST-switch days, so "midnight + ms" is the wall clock.
 * `file` only labels the error when the date is not a real calendar date.
 */
export function etMidnightMs(date: string, file: string): EpochMs {
  try {
    return etClockToEpoch(date, '00:00:00');
  } catch {
    throw new TapeFormatError(file, null, `invalid date "${date}" (expected YYYY-MM-DD)`);
  }
}
