/**
 * A tape file that cannot be read: missing, not the expected zip layout, or a malformed row.
 * The message is one line, `${file}:${line}: ${what}` (or `${file}: ${what}` when no line applies),
 * so the CLI can print it as is and an editor can jump to the row.
 */
export class TapeFormatError extends Error {
  override readonly name = 'TapeFormatError';

  constructor(
    /** The file as the user named it (a zip path, or a CSV path). */
    readonly file: string,
    /** 1-based line in the CSV text, or null when the problem is not about one line. */
    readonly line: number | null,
    /** What is wrong, without the location prefix. */
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(line === null ? `${file}: ${what}` : `${file}:${line}: ${what}`, options);
  }
}
