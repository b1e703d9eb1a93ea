import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { mergeShards, type ShardSweep } from '../analysis/tune/merge-shards.js';
import { checkSweepSpec } from '../analysis/tune/sweep-spec.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { createSweep, listSweeps, readSweepResults, recordSweepResult, setSweepOpenKeys, setSweepStatus } from '../store/sweeps.js';
import { aggregate } from '../analysis/tune/objective.js';
import { UsageError } from './cli-error.js';
import { codeVersion } from './package-paths.js';
import { emitReport } from './tune-emit.js';
import { reportFromResults } from './tune-sweep.js';
import type { tuneMergeOptions } from './options/tune.js';


type MergeArgs = Awaited<ReturnType<typeof tuneMergeOptions>['argv']>;

const mean = (a: Uint8Array): number => (a.length === 0 ? 0 : a.reduce((s, x) => s + x, 0) / a.length);

/** Every finished shard stored in one database file. */
function shardsIn(file: string): ShardSweep[] {
  if (!existsSync(file)) throw new UsageError(`tune merge: ${file}: no such database`);
  const db = openDatabase(file);
  try {
    const out: ShardSweep[] = [];
    for (const record of listSweeps(db)) {
      const spec = checkSweepSpec(record.spec);
      if (typeof spec === 'string' || spec.shard === null) continue;
      out.push({ where: `${file} sweep ${record.id}`, spec, status: record.status, codeVersion: record.codeVersion, openKeys: record.openKeys, results: readSweepResults(db, record.id) });
    }
    return out;
  } finally {
    db.close();
  }
}

/** Stores the merged sweep as one done sweep, as if it had run unsharded; returns its id. */
function storeMerged(db: Database, merged: ReturnType<typeof mergeShards>): number {
  const id = createSweep(db, merged.spec, merged.codeVersion);
  for (const [index, r] of [...merged.results].sort((a, b) => a[0] - b[0])) {
    recordSweepResult(db, id, {
      candidateIndex: index,
      candidate: index >= 0 ? merged.spec.candidates[index]! : null,
      ...r,
      objective: aggregate(r.costs, merged.spec.objective),
      fillRate: mean(r.filled),
      fallbackRate: mean(r.fallback),
    });
  }
  setSweepOpenKeys(db, id, merged.openKeys);
  setSweepStatus(db, id, 'done');
  return id;
}

/**
 * `tune merge DB...`: finds the shards of one sweep in the given databases, checks that they are
 * complete and agree (same spec but for the shard, same baselines bit for bit, same opens), and
 * reports exactly what one unsharded sweep with the same arguments would.
 */
export function runTuneMerge(args: MergeArgs): void {
  const files = (args.dbs ?? []).map(String);
  if (files.length === 0) throw new UsageError('tune merge: name the databases of the shards');
  const merged = mergeShards(files.flatMap(shardsIn));
  let sweepId: number | null = null;
  if (args.db !== undefined) {
    const db = openDatabase(args.db);
    try {
      sweepId = storeMerged(db, merged);
    } finally {
      db.close();
    }
  }
  if (merged.codeVersion !== codeVersion()) process.stderr.write(`the shards were run by ${merged.codeVersion}, this is ${codeVersion()}\n`);
  const report = reportFromResults(merged.spec, merged.results, merged.openKeys, 'the merged sweep');
  emitReport(report, { sweepId, db: args.db ?? null, spec: merged.spec, mergedShards: merged.shards }, args);
}
