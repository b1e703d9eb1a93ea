import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, migrate, userVersion } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open-database.js';
import { StoreError } from '../../src/store/store-error.js';
import { createSweep, listSweeps, readSweep, readSweepResults, recordSweepResult, setSweepOpenKeys, setSweepStatus, type SweepResult } from '../../src/store/sweeps.js';
import { newRun, openTemp, tempDir } from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function result(index: number, costs: number[]): SweepResult {
  return {
    candidateIndex: index,
    candidate: index < 0 ? null : { 'timeouts.openMs': 1500 + index, 'fallback.mode': 'market' },
    costs: Float64Array.from(costs),
    filled: Uint8Array.from(costs.map((c) => (c > 0 ? 1 : 0))),
    fallback: Uint8Array.from(costs.map((_, i) => i % 2)),
    objective: costs.reduce((a, b) => a + b, 0) / costs.length,
    fillRate: 0.5,
    fallbackRate: 0.25,
  };
}

describe('sweeps store (schema v2)', () => {
  it('upgrades a version 1 file in place, keeping its runs', () => {
    const file = join(dir, 'v1.sqlite');
    const raw = new BetterSqlite3(file);
    migrate(raw, MIGRATIONS.slice(0, 1));
    expect(userVersion(raw)).toBe(1);
    const runId = newRun(raw);
    raw.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['runs', 'executions', 'sweeps', 'sweep_results']));
    expect(db.prepare('SELECT id FROM runs').all()).toEqual([{ id: runId }]);
    const id = createSweep(db, { hello: 'world' }, 'test', 1_700_000_000_000);
    expect(readSweep(db, id)).toEqual({ id, createdAt: 1_700_000_000_000, status: 'running', spec: { hello: 'world' }, codeVersion: 'test', openKeys: null });
    db.close();
  });

  it('round-trips results bit for bit (NaN payloads, -0, odd lengths) in index order', () => {
    const db = openTemp(dir);
    const id = createSweep(db, { n: 1 }, 'test');
    const odd = [1.5, -0, 1e-300, Number.MAX_VALUE, 3.141592653589793];
    const written = [result(2, odd), result(-2, [9, 8, 7, 6, 5]), result(0, [0.1, 0.2, 0.3, 0.4, 0.5]), result(-1, [4, 4, 4, 4, 4])];
    for (const r of written) recordSweepResult(db, id, r);
    const read = readSweepResults(db, id);
    expect(read.map((r) => r.candidateIndex)).toEqual([-2, -1, 0, 2]);
    const two = read[3]!;
    expect(Buffer.from(two.costs.buffer)).toEqual(Buffer.from(Float64Array.from(odd).buffer));
    expect(Object.is(two.costs[1], -0)).toBe(true);
    expect(two).toEqual(written[0]);
    expect(read[0]).toEqual(written[1]);
    db.close();
  });

  it('keeps the first copy of a result and refuses arrays of different lengths', () => {
    const db = openTemp(dir);
    const id = createSweep(db, {}, 'test');
    recordSweepResult(db, id, result(0, [1, 2]));
    recordSweepResult(db, id, result(0, [1, 2]));
    expect(readSweepResults(db, id)).toHaveLength(1);
    const bad = { ...result(1, [1, 2]), filled: Uint8Array.from([1]) };
    expect(() => recordSweepResult(db, id, bad)).toThrow(StoreError);
    db.close();
  });

  it('tracks the status and refuses an unknown sweep', () => {
    const db = openTemp(dir);
    const id = createSweep(db, {}, 'test');
    setSweepStatus(db, id, 'interrupted');
    expect(readSweep(db, id)?.status).toBe('interrupted');
    expect(readSweep(db, id + 1)).toBeUndefined();
    expect(() => setSweepStatus(db, id + 1, 'done')).toThrow(/no sweep/);
    expect(() => recordSweepResult(db, id + 1, result(0, [1]))).toThrow(StoreError);
    db.close();
  });

  it('schema v5: a version 4 file keeps its results (without times), then stores times, every baseline and the opens', () => {
    const file = join(dir, 'v4.sqlite');
    const raw = new BetterSqlite3(file);
    migrate(raw, MIGRATIONS.slice(0, 4));
    const old = Number(raw.prepare("INSERT INTO sweeps (created_at, status, spec_json, code_version) VALUES (1, 'done', '{}', 'old')").run().lastInsertRowid);
    // Version 4 had no complete_ms column and no baseline below -2: rows as they were written then.
    const insert = raw.prepare("INSERT INTO sweep_results (sweep_id, candidate_index, candidate_json, costs, filled, fallback, objective, fill_rate, fallback_rate) VALUES (?, ?, 'null', ?, ?, ?, 1.5, 1, 0)");
    insert.run(old, -2, Buffer.from(Float64Array.from([1, 2]).buffer), Buffer.from([1, 1]), Buffer.from([0, 0]));
    expect(() => insert.run(old, -3, Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0))).toThrow(/CHECK/);
    raw.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(SCHEMA_VERSION); // v5 and every later step applied
    const kept = readSweepResults(db, old);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.completeMs).toBeUndefined();
    expect([...kept[0]!.costs]).toEqual([1, 2]);
    const id = createSweep(db, { n: 5 }, 'new');
    const times = Float64Array.from([1500, Infinity]);
    recordSweepResult(db, id, { ...result(-4, [3, 4]), completeMs: times });
    recordSweepResult(db, id, { ...result(-3, [5, 6]), completeMs: times });
    const read = readSweepResults(db, id);
    expect(read.map((r) => r.candidateIndex)).toEqual([-4, -3]);
    expect([...read[0]!.completeMs!]).toEqual([1500, Infinity]);
    expect(() => recordSweepResult(db, id, { ...result(0, [1, 2]), completeMs: Float64Array.from([1]) })).toThrow(StoreError);
    expect(() => recordSweepResult(db, id, result(-5, [1]))).toThrow(StoreError);
    setSweepOpenKeys(db, id, ['A|2024-01-02', 'A|2024-01-02']);
    expect(readSweep(db, id)?.openKeys).toEqual(['A|2024-01-02', 'A|2024-01-02']);
    expect(listSweeps(db).map((s) => [s.id, s.codeVersion])).toEqual([[old, 'old'], [id, 'new']]);
    db.close();
  });
});
