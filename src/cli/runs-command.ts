import Table from 'cli-table3';
import type { Argv } from 'yargs';
import type { RunKind } from '../store/record-run.js';
import { listRuns, type RunListing } from '../store/read-runs.js';
import { openExistingDatabase } from './existing-db.js';
import { UsageError } from './cli-error.js';
import type { runsOptions } from './options/runs.js';

type RunsArgs = Awaited<ReturnType<typeof runsOptions>['argv']>;

/** ISO-8601 UTC to the second: a run's time, not a market time. */
const when = (t: number): string => new Date(t).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');

export function formatRunsTable(runs: readonly RunListing[]): string {
  const table = new Table({ head: ['id', 'kind', 'recorded', 'scenario / symbols', 'executions', 'strategies', 'seed'], style: { head: [], border: [] } });
  for (const r of runs) table.push([String(r.id), r.status === null ? r.kind : `${r.kind} (${r.status})`, when(r.createdAt), r.subject || '-', String(r.executions), r.strategies.join(', ') || '-', r.seed ?? '-']);
  return table.toString();
}

export function runRunsCommand(args: RunsArgs): void {
  const limit = Number(args.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError(`--limit: expected a positive whole number, got "${args.limit}"`);
  const db = openExistingDatabase(args.db, 'runs');
  try {
    const runs = listRuns(db, { kind: args.kind, limit });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return;
    }
    if (runs.length === 0) {
      process.stdout.write(`no ${args.kind ?? ''}${args.kind === undefined ? '' : ' '}runs in ${args.db}\n`);
      return;
    }
    process.stdout.write(`${formatRunsTable(runs)}\n`);
    process.stdout.write(`see a run with: better-orders show --run ID --db ${args.db} (or report --run ID --out FILE)\n`);
    if (runs.some((r) => r.kind === 'tune')) process.stdout.write(`a tune row's id is its sweep's: better-orders report --sweep ID --db ${args.db} --out FILE\n`);
  } finally {
    db.close();
  }
}

