import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database.js';
import { APPLICATION_ID, SCHEMA_VERSION, migrate, userVersion } from './migrations.js';
import { StoreError, messageOf } from './store-error.js';

/**
 * Opens (creating if needed) a better-orders records database and migrates it to the current
 * schema. Pass ":memory:" for a throwaway database. The folder must exist: a mistyped --db path
 * is an error naming it, not a new tree of folders holding records nobody will find.
 *
 * The connection uses WAL (readers such as a `sqlite3` shell do not block the writer),
 * synchronous=NORMAL (durable across process crashes; the last commits may be lost only on power
 * loss, acceptable for run records) and enforced foreign keys.
 *
 * @throws StoreError, naming the file, when it is not a SQLite database, belongs to another
 *   application, or has a schema newer than this code knows; the file is left untouched then.
 */
export function openDatabase(file: string): Database {
  const inMemory = file === ':memory:' || file === '';
  let db: Database;
  try {
    if (!inMemory) checkDatabaseFolder(file);
    db = new BetterSqlite3(file);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(file, `cannot open the database: ${messageOf(err)}`, err);
  }
  try {
    // Identity first: refusing a file must not switch its journal mode or add tables to it.
    checkIdentity(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    if (isNotADatabase(err)) throw new StoreError(file, 'is not a SQLite database', err);
    throw new StoreError(file, `cannot prepare the database: ${messageOf(err)}`, err);
  }
}

/**
 * Refuses a database path whose folder does not exist (StoreError naming it). Commands that work
 * for a while before they record call it first, so a mistyped --db costs no work.
 */
export function checkDatabaseFolder(file: string): void {
  if (file === ':memory:' || file === '') return;
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) throw new StoreError(file, `the folder ${folder} does not exist; create it first`);
}

function checkIdentity(db: Database, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new StoreError(file, `is a SQLite database of another application (application_id ${appId})`);
  }
  const version = userVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      file,
      `has schema version ${version}, newer than this better-orders knows (up to ${SCHEMA_VERSION}); ` +
        'upgrade better-orders to open it',
    );
  }
  if (appId === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as {
      n: number;
    };
    if (tables.n > 0) {
      throw new StoreError(file, 'is a SQLite database but not a better-orders one (it already has other tables)');
    }
  }
}

function isNotADatabase(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}
