import type { Argv } from 'yargs';

/** The emulator's default fill-model seed, so a default comparison draws what the emulator drew. */
export const DEFAULT_COMPARE_SEED = '1';

export function compareOptions(y: Argv) {
  return y
    .option('execution', { type: 'string', demandOption: true, describe: 'a recorded paper or live execution: its id as `execute` printed it, or its executions.id' })
    .option('seed', { type: 'string', default: DEFAULT_COMPARE_SEED, describe: 'fill-model seed of the simulated replay' })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file holding the execution; the comparison is stored there' })
    .option('json', { type: 'boolean', default: false, describe: 'print {executionId, real, simulated, diff, comparisonId} as JSON' });
}
