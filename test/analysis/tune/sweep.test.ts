import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executeSweep, startSweep, type SweepSpec } from '../../../src/cli/tune-sweep.js';
import { BASELINE_JOBS, type SweepJob } from '../../../src/analysis/tune/sweep-protocol.js';
import { runSweepJobs } from '../../../src/analysis/tune/sweep-runner.js';
import type { CandidateOutcome } from '../../../src/analysis/tune/types.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { listSweeps, readSweep, readSweepResults } from '../../../src/store/sweeps.js';
import { mergeShards, ShardMergeError, type ShardSweep } from '../../../src/analysis/tune/merge-shards.js';
import { inShard, sweepJobs } from '../../../src/analysis/tune/sweep-spec.js';
import { reportFromResults } from '../../../src/cli/tune-sweep.js';
import type { Database } from '../../../src/store/database.js';
import { SMALL_GRID, smallPlan, smallSpec, storedBytes, tempDir } from './sweep-fixtures.js';

// The worker pool runs the compiled dist/analysis/tune/sweep-worker.js (npm test builds it first).

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const JOBS: SweepJob[] = [...BASELINE_JOBS, ...SMALL_GRID.map((candidate, index): SweepJob => ({ index, candidate, strategy: 'ladder' }))];

async function outcomes(workers: number, seed: string | number = 1): Promise<{ keys: readonly string[]; byIndex: Map<number, string> }> {
  const byIndex = new Map<number, string>();
  const hex = (o: CandidateOutcome): string => [o.costs, o.filled, o.fallback, o.completeMs!].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')).join('|');
  const r = await runSweepJobs(smallPlan(seed), JOBS, { workers, onResult: (i, o) => byIndex.set(i, hex(o)) });
  expect(r.interrupted).toBe(false);
  return { keys: r.openKeys, byIndex };
}

describe('sweep runner', () => {
  it('gives bit-identical results for the same seed, in this thread or on 2 workers', async () => {
    const one = await outcomes(1);
    const again = await outcomes(1);
    const two = await outcomes(2);
    expect(one.byIndex.size).toBe(JOBS.length);
    expect([...again.byIndex].sort()).toEqual([...one.byIndex].sort());
    expect([...two.byIndex].sort()).toEqual([...one.byIndex].sort());
    expect(two.keys).toEqual(one.keys);
    expect(one.keys).toHaveLength(16);
    // Candidates really differ (otherwise the equalities above would prove little).
    expect(new Set(one.byIndex.values()).size).toBeGreaterThan(3);
  });

  it('changes with the fill-model seed', async () => {
    const a = await outcomes(1, 1);
    const b = await outcomes(1, 2);
    expect(b.byIndex.get(-1)).not.toEqual(a.byIndex.get(-1));
  });

  it('reports a worker failure (a bad tape) instead of hanging', async () => {
    const plan = { ...smallPlan(), tapeSpecs: [{ kind: 'file' as const, path: join(dir, 'missing_quote.zip') }] };
    await expect(runSweepJobs(plan, JOBS, { workers: 2, onResult: () => undefined })).rejects.toThrow(/missing_quote/);
  });
});

async function fullSweep(file: string, spec: SweepSpec, workers: number) {
  const db = openDatabase(file);
  const id = startSweep(db, spec, 'test');
  const outcome = await executeSweep(db, id, spec, { workers });
  return { db, id, outcome };
}

describe('sweeps with storage', () => {
  it('two sweeps with the same seed store the same bytes and report the same winner (1 vs 2 workers)', async () => {
    const a = await fullSweep(join(dir, 'a.db'), smallSpec(), 1);
    const b = await fullSweep(join(dir, 'b.db'), smallSpec(), 2);
    expect(a.outcome.status).toBe('done');
    expect(b.outcome).toEqual(a.outcome);
    expect(storedBytes(b.db, b.id)).toEqual(storedBytes(a.db, a.id));
    expect(readSweep(a.db, a.id)?.status).toBe('done');
    expect(readSweepResults(a.db, a.id)).toHaveLength(SMALL_GRID.length + BASELINE_JOBS.length);
    a.db.close();
    b.db.close();
  });

  it('a sweep interrupted part-way and resumed equals an uninterrupted one, bit for bit', async () => {
    const whole = await fullSweep(join(dir, 'whole.db'), smallSpec(), 1);
    expect(whole.outcome.status).toBe('done');

    const file = join(dir, 'resumed.db');
    const spec = smallSpec();
    let db = openDatabase(file);
    const id = startSweep(db, spec, 'test');
    const controller = new AbortController();
    const first = await executeSweep(db, id, spec, {
      workers: 2,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 7) controller.abort();
      },
    });
    expect(first.status).toBe('interrupted');
    expect(readSweep(db, id)?.status).toBe('interrupted');
    const partial = readSweepResults(db, id).length;
    expect(partial).toBeGreaterThanOrEqual(7);
    expect(partial).toBeLessThan(SMALL_GRID.length + BASELINE_JOBS.length);
    db.close();

    // A new process: reopen the file, resume from the stored spec, in this thread this time.
    db = openDatabase(file);
    const stored = readSweep(db, id)!.spec as SweepSpec;
    let started = -1;
    const second = await executeSweep(db, id, stored, { workers: 1, onStart: (done) => (started = done) });
    expect(started).toBe(partial);
    expect(second.status).toBe('done');
    if (second.status !== 'done' || whole.outcome.status !== 'done') throw new Error('unreachable');
    expect(second.ranAfterResume).toBe(SMALL_GRID.length + BASELINE_JOBS.length - partial);
    expect(second.report).toEqual(whole.outcome.report);
    expect(JSON.stringify(second.report)).toBe(JSON.stringify(whole.outcome.report));
    expect(storedBytes(db, id)).toEqual(storedBytes(whole.db, whole.id));
    expect(readSweep(db, id)?.status).toBe('done');
    db.close();
    whole.db.close();
  });
});

/** The shards stored in a database, as tune merge reads them. */
function shardsOf(db: Database): ShardSweep[] {
  return listSweeps(db).map((r) => ({ where: `${db.name} sweep ${r.id}`, spec: r.spec as SweepSpec, status: r.status, codeVersion: r.codeVersion, openKeys: r.openKeys, results: readSweepResults(db, r.id) }));
}

describe('sharded sweeps', () => {
  it('the partition puts every candidate in exactly one shard, and every shard runs the baselines', () => {
    const spec = smallSpec();
    const shards = [1, 2, 3].map((index) => sweepJobs({ ...spec, shard: { index, count: 3 } }).map((j) => j.index));
    for (const jobs of shards) expect(jobs.filter((i) => i < 0)).toEqual(BASELINE_JOBS.map((j) => j.index));
    const candidates = shards.flatMap((jobs) => jobs.filter((i) => i >= 0)).sort((a, b) => a - b);
    expect(candidates).toEqual(SMALL_GRID.map((_, i) => i));
    expect(inShard(4, { index: 2, count: 3 })).toBe(true);
    expect(inShard(4, { index: 1, count: 3 })).toBe(false);
  });

  it('shards 1/2 and 2/2, merged, report exactly what one sweep does', async () => {
    // Seven candidates: shards of unequal size (4 and 3).
    const candidates = SMALL_GRID.slice(0, 7);
    const whole = await fullSweep(join(dir, 'whole.db'), smallSpec(1, { candidates }), 1);
    const one = await fullSweep(join(dir, 's1.db'), smallSpec(1, { candidates, shard: { index: 1, count: 2 } }), 1);
    const two = await fullSweep(join(dir, 's2.db'), smallSpec(1, { candidates, shard: { index: 2, count: 2 } }), 2);
    expect(one.outcome).toMatchObject({ status: 'shard-done', evaluated: 4 });
    expect(two.outcome).toMatchObject({ status: 'shard-done', evaluated: 3 });
    if (whole.outcome.status !== 'done') throw new Error('unreachable');
    const merged = mergeShards([...shardsOf(two.db), ...shardsOf(one.db)]);
    expect(merged.shards).toBe(2);
    expect(merged.spec).toEqual(smallSpec(1, { candidates }));
    const report = reportFromResults(merged.spec, merged.results, merged.openKeys, 'merged');
    expect(JSON.stringify(report)).toBe(JSON.stringify(whole.outcome.report));
    // A missing shard, or shards that disagree on a baseline, cannot be merged.
    expect(() => mergeShards(shardsOf(one.db))).toThrow(/shard 2\/2 of the sweep is missing or unfinished/);
    const tampered = shardsOf(two.db).map((s) => ({ ...s, results: s.results.map((r) => (r.candidateIndex === -2 ? { ...r, costs: r.costs.map((c) => c + 1) } : r)) }));
    expect(() => mergeShards([...shardsOf(one.db), ...tampered])).toThrow(ShardMergeError);
    expect(() => mergeShards([...shardsOf(one.db), ...tampered])).toThrow(/baseline -2 differs .*not run on the same data and code/);
    for (const x of [whole, one, two]) x.db.close();
  });
});
