import { statSync } from 'node:fs';
import { TapeFormatError } from './tape-error.js';

/**
 * Refuses, with one line naming it, a tape path that is not a readable file: missing, or a
 * directory (a folder named `x.csv` would otherwise surface as EISDIR from deep inside a reader).
 */
export function requireTapeFile(file: string): void {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new TapeFormatError(file, null, 'file not found');
  }
  if (stats.isDirectory()) throw new TapeFormatError(file, null, 'is a directory, not a tape file');
  if (!stats.isFile()) throw new TapeFormatError(file, null, 'is not a regular file');
}
