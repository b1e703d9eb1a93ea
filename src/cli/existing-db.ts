import { existsSync } from 'node:fs';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { UsageError } from './cli-error.js';

/**
 * Opens a database that commands only read from: a missing file is a one-line error naming it,
 * never a new empty database (opening would create one).
 */
export function openExistingDatabase(file: string, command: string): Database {
  if (file !== ':memory:' && !existsSync(file)) throw new UsageError(`${command}: no database ${file}`);
  return openDatabase(file);
}
