import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';
import { expect } from 'vitest';
import { TapeFormatError } from '../../../src/sim/tape/tape-error.js';

/** The repo root, from this file's place (test/sim/tape/), so tests work from any cwd. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shared real Lean tapes (third-party: read in place, never copied into the repo). */
export const REAL_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'quotes');
export const HAS_REAL_DATA = existsSync(path.join(REAL_DATA, 'equity', 'usa'));
export const NO_REAL_DATA_REASON = `real tapes absent: ${REAL_DATA} not found`;

/** A fresh temp folder per test file; call `cleanup` in afterAll. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'better-orders-tape-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `rows` (joined by \n, no trailing newline, as Lean does) into a zip at `zipPath`. */
export function writeZip(zipPath: string, entries: Record<string, string>): string {
  mkdirSync(path.dirname(zipPath), { recursive: true });
  const zip = new AdmZip();
  for (const [name, text] of Object.entries(entries)) zip.addFile(name, Buffer.from(text, 'utf8'));
  zip.writeZip(zipPath);
  return zipPath;
}

/** Writes a Lean-layout zip `<root>/equity/usa/<res>/<sym>/<yyyymmdd>_<kind>.zip` holding `rows`. */
export function writeLeanZip(
  root: string, res: 'tick' | 'second' | 'minute', sym: string, yyyymmdd: string, kind: 'quote' | 'trade',
  rows: readonly string[],
): string {
  const file = path.join(root, 'equity', 'usa', res, sym.toLowerCase(), `${yyyymmdd}_${kind}.zip`);
  const entry = `${yyyymmdd}_${sym.toLowerCase()}_${res}_${kind}.csv`;
  return writeZip(file, { [entry]: rows.join('\n') });
}

export function writeText(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** CSV text as the bytes a loader receives. */
export function bytes(rows: readonly string[]): Buffer {
  return Buffer.from(rows.join('\n'), 'utf8');
}

/**
 * Asserts `fn` throws a TapeFormatError for `file` at `line` whose one-line message has the
 * `${file}:${line}: ` prefix and mentions `fragment`.
 */
export function expectTapeError(fn: () => unknown, file: string, line: number | null, fragment: string | RegExp): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TapeFormatError);
  const err = caught as TapeFormatError;
  expect(err.file).toBe(file);
  expect(err.line).toBe(line);
  expect(err.message.startsWith(line === null ? `${file}: ` : `${file}:${line}: `)).toBe(true);
  expect(err.message).not.toContain('\n');
  if (typeof fragment === 'string') expect(err.message).toContain(fragment);
  else expect(err.message).toMatch(fragment);
}

/** Epoch ms of an America/New_York wall time on a 2013-10 (EDT, UTC-4) date: "09:30:00.020". */
export function edt(date: string, time: string): number {
  return Date.parse(`${date}T${time}-04:00`);
}
