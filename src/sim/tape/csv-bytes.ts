import { TapeFormatError } from './tape-error.js';

export const INT32_MAX = 2_147_483_647;
/** Lean time columns are ms after midnight, so a value must stay inside one day. */
export const MS_PER_DAY = 86_400_000;

const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Upper bound on the rows of a CSV text: newlines, plus one for an unterminated last line. Loaders
 * use it to allocate exact-size typed arrays before parsing instead of growing them.
 */
export function countLines(buf: Uint8Array): number {
  let lines = 0;
  let at = buf.indexOf(LF);
  // indexOf is native memchr: far faster than a JS byte loop over tens of MB.
  while (at !== -1) {
    lines++;
    at = buf.indexOf(LF, at + 1);
  }
  if (buf.length > 0 && buf[buf.length - 1] !== LF) lines++;
  return lines;
}

/**
 * A forward-only reader over CSV bytes with a fixed column list: no per-row strings or objects,
 * numbers are built from char codes. Every read validates its field, and any problem throws a
 * TapeFormatError naming the file, the 1-based line and the column. Error diagnosis (which
 * builds strings) only runs on the failure path.
 */
export class CsvBytes {
  private pos = 0;
  private lineNo = 1;
  /** 1-based line of the row being read. */
  line = 0;
  private rowStart = 0;
  private readonly last: number;

  constructor(
    private readonly buf: Uint8Array,
    readonly file: string,
    /** Column names, used in messages; their count is the required column count. */
    private readonly columns: readonly string[],
  ) {
    this.last = columns.length - 1;
  }

  /** Moves to the next non-blank line; false at the end of the text. */
  nextRow(): boolean {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    for (; p < n; p++) {
      const c = b[p]!;
      if (c === LF) this.lineNo++;
      else if (c !== CR) break;
    }
    this.pos = p;
    this.rowStart = p;
    this.line = this.lineNo;
    return p < n;
  }

  /** Reads column `col` (0-based, in order) as a decimal integer in [0, max]. */
  int(col: number, max: number): number {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    const start = p;
    let v = 0;
    for (; p < n; p++) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    const digits = p - start;
    if (digits === 0 || digits > 15 || v > max || !this.atSep(p, col)) this.fail(col, start, max, false);
    this.pos = col === this.last ? p : p + 1;
    return v;
  }

  /** Like int, but an empty field reads as 0 (Lean bar files leave a missing side empty). */
  intOrEmpty(col: number, max: number): number {
    if (this.atSep(this.pos, col)) {
      if (col !== this.last) this.pos++;
      return 0;
    }
    return this.int(col, max);
  }

  /** Skips column `col` whatever it holds (exchange letters, condition flags). */
  skip(col: number): void {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    for (; p < n; p++) {
      const c = b[p]!;
      if (c === COMMA || c === LF || c === CR) break;
    }
    if (!this.atSep(p, col)) this.fail(col, this.pos, 0, true);
    this.pos = col === this.last ? p : p + 1;
  }

  /**
   * Reads column `col` as a hexadecimal bitmask (Lean's condition flags, e.g. `800`), or -1 when
   * the field is not 1 to 8 hex digits. Lenient on purpose: callers read flags only on the few
   * rows where they matter and skip() them elsewhere, so a strict read would make a file's
   * validity depend on the time of its odd rows.
   */
  hexFlags(col: number): number {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    const start = p;
    let v = 0;
    for (; p < n; p++) {
      const c = b[p]!;
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      v = v * 16 + d;
    }
    const ok = p - start >= 1 && p - start <= 8 && this.atSep(p, col);
    if (!ok) {
      this.skip(col);
      return -1;
    }
    this.pos = col === this.last ? p : p + 1;
    return v;
  }

  /** Consumes the line ending after the last column. */
  endRow(): void {
    const b = this.buf;
    let p = this.pos;
    if (p < b.length && b[p] === CR) p++;
    if (p < b.length && b[p] === LF) {
      p++;
      this.lineNo++;
    }
    this.pos = p;
  }

  /** Throws a TapeFormatError at the current row. */
  error(what: string): never {
    throw new TapeFormatError(this.file, this.line, what);
  }

  private atSep(p: number, col: number): boolean {
    const c = p < this.buf.length ? this.buf[p]! : LF;
    return col === this.last ? c === LF || c === CR : c === COMMA;
  }

  /** Works out what is wrong with the field starting at `start` and throws it. */
  private fail(col: number, start: number, max: number, anyText: boolean): never {
    const b = this.buf;
    let end = start;
    while (end < b.length && b[end] !== COMMA && b[end] !== LF && b[end] !== CR) end++;
    if (!this.atSep(end, col)) this.error(`expected ${this.columns.length} columns, got ${this.countColumns()}`);
    if (anyText) this.error(`unexpected field in column ${col + 1}`);
    const text = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
    const where = `column ${col + 1} (${this.columns[col]})`;
    if (text === '') this.error(`${where} is empty`);
    if (!/^\d+$/.test(text)) this.error(`${where}: expected a non-negative integer, got "${text}"`);
    const limit = max === INT32_MAX ? `the Int32 range (${INT32_MAX})` : `the maximum ${max}`;
    this.error(`${where}: ${text} is above ${limit}`);
  }

  private countColumns(): number {
    const b = this.buf;
    let cols = 1;
    for (let p = this.rowStart; p < b.length && b[p] !== LF && b[p] !== CR; p++) if (b[p] === COMMA) cols++;
    return cols;
  }
}
