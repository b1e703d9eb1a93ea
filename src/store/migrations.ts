import type { Database } from './database.js';
import { SCHEMA_V1 } from './schema-v1.js';
import { SCHEMA_V2 } from './schema-v2.js';
import { SCHEMA_V3 } from './schema-v3.js';
import { SCHEMA_V4 } from './schema-v4.js';
import { SCHEMA_V5 } from './schema-v5.js';
import { SCHEMA_V6 } from './schema-v6.js';
import { SCHEMA_REBALANCES } from './schema-rebalances.js';
import { SCHEMA_V8 } from './schema-v8.js';
import { SCHEMA_V9 } from './schema-v9.js';

/**
 * Schema migrations, in order: entry i takes a database from `user_version` i to i + 1.
 * Never edit an entry that has shipped; append a new one (existing files only ever run the tail).
 *
 * Version 7 is the rebalances (schema-rebalances.ts), version 8 the alerts (schema-v8.ts), version 9
 * the live rebalances (schema-v9.ts).
 */
export const MIGRATIONS: readonly string[] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_REBALANCES, SCHEMA_V8, SCHEMA_V9];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * `PRAGMA application_id` of a better-orders database ("BORD" in ASCII), so a SQLite file that
 * belongs to another program is refused instead of having our tables added to it.
 */
export const APPLICATION_ID = 0x424f5244;

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the last migration. Each step runs in its own IMMEDIATE transaction
 * and re-reads the version inside it, so two processes opening the same new file at once do not
 * both apply a step; a failing step rolls back with its version bump (the pragma is
 * transactional), leaving the file at the last good version.
 */
export function migrate(db: Database, migrations: readonly string[] = MIGRATIONS): void {
  const step = db.transaction((): boolean => {
    const version = userVersion(db);
    const sql = migrations[version];
    if (sql === undefined) return false;
    db.exec(sql);
    if (version === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration applied; look for the next
  }
}
