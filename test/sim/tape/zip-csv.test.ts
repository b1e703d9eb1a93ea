import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, describe, expect, it } from 'vitest';
import { readZipCsv } from '../../../src/sim/tape/zip-csv.js';
import { expectTapeError, tempDir, writeText, writeZip } from './fixtures.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe('readZipCsv', () => {
  it('returns the bytes of the single CSV entry (deflated or stored)', () => {
    const text = '1,2,3\n4,5,6';
    expect(readZipCsv(writeZip(path.join(dir, 'a.zip'), { 'a.csv': text })).toString()).toBe(text);
    const stored = new AdmZip();
    stored.addFile('s.csv', Buffer.from(text));
    stored.getEntries()[0]!.header.method = 0;
    stored.writeZip(path.join(dir, 's.zip'));
    expect(readZipCsv(path.join(dir, 's.zip')).toString()).toBe(text);
  });

  it('detects a corrupt entry by its CRC', () => {
    const zip = new AdmZip();
    zip.addFile('c.csv', Buffer.from('1000,100,1,0,0,Q,1,0'));
    zip.getEntries()[0]!.header.method = 0; // stored, so the text sits in the file as is
    const file = path.join(dir, 'c.zip');
    zip.writeZip(file);
    const raw = readFileSync(file);
    raw[raw.indexOf('1000,100') + 1] = '9'.charCodeAt(0);
    writeFileSync(file, raw);
    expectTapeError(() => readZipCsv(file), file, null, 'c.csv is corrupt');
  });

  it('ignores folder entries next to the CSV', () => {
    const zip = new AdmZip();
    zip.addFile('sub/', Buffer.alloc(0));
    zip.addFile('sub/x.csv', Buffer.from('9'));
    zip.writeZip(path.join(dir, 'f.zip'));
    expect(readZipCsv(path.join(dir, 'f.zip')).toString()).toBe('9');
  });

  it('explains a missing file, a non-zip, an empty zip, a non-CSV entry and several CSVs', () => {
    const missing = path.join(dir, 'nope.zip');
    expectTapeError(() => readZipCsv(missing), missing, null, 'file not found');
    const notZip = writeText(path.join(dir, 'text.zip'), 'hello');
    expectTapeError(() => readZipCsv(notZip), notZip, null, 'not a readable zip');
    const empty = path.join(dir, 'empty.zip');
    new AdmZip().writeZip(empty);
    expectTapeError(() => readZipCsv(empty), empty, null, 'zip holds no entry');
    const txt = writeZip(path.join(dir, 'txt.zip'), { 'readme.txt': 'x' });
    expectTapeError(() => readZipCsv(txt), txt, null, 'no CSV entry (found readme.txt)');
    const two = writeZip(path.join(dir, 'two.zip'), { 'a.csv': '1', 'b.csv': '2' });
    expectTapeError(() => readZipCsv(two), two, null, '2 CSV entries');
  });
});
