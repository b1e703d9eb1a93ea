import zlib from 'node:zlib';
import AdmZip from 'adm-zip';
import { TapeFormatError } from './tape-error.js';
import { requireTapeFile } from './tape-file.js';

const STORED = 0;
const DEFLATED = 8;

/**
 * The bytes of the single CSV entry inside a zip (Lean ships one CSV per zip).
 *
 * adm-zip only locates the entry; inflating goes straight to node's native zlib, and the CRC is
 * checked with native zlib.crc32, because adm-zip's getData (JS CRC) takes ~4x longer on a
 * 33 MB tick file. Throws TapeFormatError when the file is missing, not a zip, holds no entry,
 * holds a non-CSV or several CSVs, or its entry is corrupt.
 */
export function readZipCsv(file: string): Buffer {
  requireTapeFile(file);
  let zip: AdmZip;
  try {
    zip = new AdmZip(file);
  } catch (err) {
    throw new TapeFormatError(file, null, `not a readable zip archive (${errText(err)})`, { cause: err });
  }
  const entries = zip.getEntries().filter((e) => !e.isDirectory);
  if (entries.length === 0) throw new TapeFormatError(file, null, 'zip holds no entry (expected one CSV file)');
  const csvs = entries.filter((e) => /\.csv$/i.test(e.entryName));
  if (csvs.length === 0) {
    throw new TapeFormatError(file, null, `zip holds no CSV entry (found ${entries.map((e) => e.entryName).join(', ')})`);
  }
  if (csvs.length > 1) {
    throw new TapeFormatError(file, null, `zip holds ${csvs.length} CSV entries; expected exactly one`);
  }
  const entry = csvs[0]!;
  const method = entry.header.method;
  let data: Buffer;
  try {
    const raw = entry.getCompressedData();
    if (method === STORED) data = raw;
    else if (method === DEFLATED) data = zlib.inflateRawSync(raw);
    else throw new Error(`unsupported compression method ${method}`);
  } catch (err) {
    throw new TapeFormatError(file, null, `cannot inflate ${entry.entryName}: ${errText(err)}`, { cause: err });
  }
  if (data.length !== entry.header.size || zlib.crc32(data) >>> 0 !== entry.header.crc >>> 0) {
    throw new TapeFormatError(file, null, `${entry.entryName} is corrupt (size or CRC mismatch)`);
  }
  return data;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
