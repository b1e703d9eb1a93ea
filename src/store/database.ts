import type BetterSqlite3 from 'better-sqlite3';

/** An open better-sqlite3 connection, as returned by `openDatabase`. */
export type Database = BetterSqlite3.Database;
