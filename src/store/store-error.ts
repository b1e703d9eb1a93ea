/**
 * Thrown by the records layer when a database file cannot be used or a write or read fails.
 * The message always starts with the file name, because a user with several run databases needs
 * to know which one is wrong; the underlying SQLite error, if any, is kept as `cause`.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** The database file involved (":memory:" for an in-memory database). */
  readonly file: string;

  constructor(file: string, detail: string, cause?: unknown) {
    super(`${file}: ${detail}`, cause === undefined ? undefined : { cause });
    this.file = file;
  }
}

/** The message of an unknown thrown value, for wrapping it in a StoreError. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs one store step; a failure that is not already a StoreError is named `${what} failed` with the file. */
export function storeStep<T>(db: { readonly name: string }, what: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(db.name, `${what} failed: ${messageOf(err)}`, err);
  }
}
