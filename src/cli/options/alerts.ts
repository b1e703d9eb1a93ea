import type { Argv } from 'yargs';

export function alertsOptions(y: Argv) {
  return y
    .option('since', { type: 'string', describe: 'only alerts at or after: a New York date YYYY-MM-DD, an ISO instant (2024-06-03T13:30:00Z), or an age such as 90m, 12h, 7d' })
    .option('run', { type: 'number', describe: 'only the alerts of this run (runs.id)' })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file holding the records' })
    .option('json', { type: 'boolean', default: false, describe: 'print the alerts as a JSON array' });
}
