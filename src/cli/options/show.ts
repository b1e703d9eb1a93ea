import type { Argv } from 'yargs';
import { UsageError } from '../usage-error.js';

export function showOptions(y: Argv) {
  return y
    .option('execution', { type: 'string', describe: 'an execution: its id as `execute` printed it, or its executions.id' })
    .option('run', { type: 'string', describe: 'a run id (see `better-orders runs`)' })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file to read' })
    .option('json', { type: 'boolean', default: false, describe: 'print it as JSON' })
    .check((a) => {
      if ((a.execution === undefined) === (a.run === undefined)) throw new UsageError('show: name exactly one of --execution KEY|ID or --run ID');
      return true;
    });
}
