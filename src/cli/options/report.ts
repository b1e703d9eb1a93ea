import type { Argv } from 'yargs';
import { UsageError } from '../usage-error.js';

const TARGETS = ['run', 'execution', 'sweep', 'rebalance'] as const;

export function reportOptions(y: Argv) {
  return y
    .option('run', { type: 'string', describe: 'a run id (see `better-orders runs`)' })
    .option('execution', { type: 'string', describe: 'an execution: its id as `execute` printed it, or its executions.id' })
    .option('sweep', { type: 'string', describe: 'a tune sweep id (the id `runs` lists for a tune row)' })
    .option('rebalance', { type: 'string', describe: 'a rebalance: its id as `rebalance` printed it (RB-...), or its rebalances.id' })
    .option('out', { type: 'string', demandOption: true, describe: 'the HTML file to write (one self-contained page)' })
    .option('db', { type: 'string', default: 'better-orders.db', describe: 'SQLite file to read' })
    .check((a) => {
      const named = TARGETS.filter((t) => a[t] !== undefined);
      if (named.length !== 1) throw new UsageError('report: name exactly one of --run ID, --execution KEY|ID, --sweep ID or --rebalance ID');
      return true;
    });
}
