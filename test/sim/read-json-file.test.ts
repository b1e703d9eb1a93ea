import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../../src/sim/read-json-file.js';

describe('readJsonFile', () => {
  it('parses a file, and names only the reason when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bo-json-'));
    writeFileSync(join(dir, 'ok.json'), '{"a": [1, 2]}');
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(readJsonFile(join(dir, 'ok.json'))).toEqual({ a: [1, 2] });
    expect(() => readJsonFile(join(dir, 'missing.json'))).toThrow(/^cannot read \(ENOENT\)$/);
    expect(() => readJsonFile(join(dir, 'bad.json'))).toThrow(/^not valid JSON \(/);
  });
});
