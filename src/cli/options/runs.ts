import type { Argv } from 'yargs';
import type { RunKind } from '../../store/record-run.js';

export const KINDS = ['sim', 'paper', 'live', 'tune'] as const satisfies readonly RunKind[];

export function runsOptions(y: Argv) {
  return y
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file to read' })
    .option('kind', { choices: KINDS, describe: 'only runs of this kind' })
    .option('limit', { type: 'string', default: '50', describe: 'at most this many runs, newest first' })
    .option('json', { type: 'boolean', default: false, describe: 'print the runs as a JSON array' });
}
