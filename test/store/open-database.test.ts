import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, SCHEMA_VERSION, migrate, userVersion } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open-database.js';
import { StoreError } from '../../src/store/store-error.js';
import { newRun, tempDir } from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function expectStoreError(fn: () => unknown, file: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StoreError);
  const err = caught as StoreError;
  expect(err.name).toBe('StoreError');
  expect(err.file).toBe(file);
  expect(err.message).toContain(file);
  expect(err.message).toMatch(pattern);
}

describe('openDatabase', () => {
  it('refuses a folder that does not exist, naming it, and creates nothing', () => {
    const file = join(dir, 'a', 'b', 'runs.sqlite');
    expect(() => openDatabase(file)).toThrow(`${file}: the folder ${join(dir, 'a', 'b')} does not exist; create it first`);
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('turns WAL on and migrates to the latest version', () => {
    const file = join(dir, 'runs.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(9);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')").all() as {
      name: string;
    }[]).map((r) => r.name);
    expect(names.sort()).toEqual(
      ['alerts', 'child_orders', 'comparisons', 'executions', 'fills', 'ladder_events', 'live_executions', 'live_rebalances', 'rebalances', 'runs', 'strategy_pairs', 'strategy_summary', 'sweeps', 'sweep_results'].sort(),
    );
    db.close();
  });

  it('re-opens an existing file without re-running migrations or losing rows', () => {
    const file = join(dir, 'runs.sqlite');
    const first = openDatabase(file);
    const runId = newRun(first);
    first.close();
    const second = openDatabase(file);
    expect(userVersion(second)).toBe(SCHEMA_VERSION);
    expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(second.prepare('SELECT id, kind, seed, config_json FROM runs').all()).toEqual([
      { id: runId, kind: 'sim', seed: '42', config_json: '{"maxRepegs":2,"ticks":1}' },
    ]);
    second.close();
    openDatabase(file).close();
  });

  it('refuses a file whose schema is newer than the code, and leaves it untouched', () => {
    const file = join(dir, 'future.sqlite');
    openDatabase(file).close();
    const raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expectStoreError(() => openDatabase(file), file, new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than .* \\(up to ${SCHEMA_VERSION}\\); upgrade`));
    const after = new BetterSqlite3(file);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  });

  it('refuses a file that is not a SQLite database', () => {
    const file = join(dir, 'notes.sqlite');
    writeFileSync(file, 'these are my trading notes, not a database\n'.repeat(200));
    expectStoreError(() => openDatabase(file), file, /is not a SQLite database/);
  });

  it('refuses a SQLite database that belongs to something else', () => {
    const other = join(dir, 'other.sqlite');
    const raw = new BetterSqlite3(other);
    raw.exec('CREATE TABLE contacts (name TEXT)');
    raw.close();
    expectStoreError(() => openDatabase(other), other, /not a better-orders one/);

    const foreign = join(dir, 'foreign.sqlite');
    const raw2 = new BetterSqlite3(foreign);
    raw2.pragma('application_id = 1234');
    raw2.close();
    expectStoreError(() => openDatabase(foreign), foreign, /another application \(application_id 1234\)/);
  });

  it('opens an in-memory database', () => {
    const db = openDatabase(':memory:');
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });
});

describe('migrate', () => {
  it('rolls a failing step back together with its version bump', () => {
    const db = new BetterSqlite3(':memory:');
    const steps = ['CREATE TABLE a (x INTEGER);', 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);'];
    expect(() => migrate(db, steps)).toThrow(/nowhere/);
    expect(userVersion(db)).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
    expect(tables).toEqual([{ name: 'a' }]);
    migrate(db, steps.slice(0, 1));
    expect(userVersion(db)).toBe(1);
    db.close();
  });
});
