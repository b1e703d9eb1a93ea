import type { Database } from '../store/database.js';
import { resolveExecutionRef } from '../store/read-runs.js';
import { UsageError } from './cli-error.js';

/** The executions.id named by --execution (key or row id), or a one-line error. */
export function executionRowId(db: Database, ref: string, dbFile: string): number {
  const found = resolveExecutionRef(db, ref);
  if (found === null) throw new UsageError(`no execution "${ref}" in ${dbFile} (give its id as \`execute\` printed it, or its executions.id from \`better-orders show --run\`)`);
  return found.id;
}
