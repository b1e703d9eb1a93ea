import { describe, expect, it } from 'vitest';
import { TapeFormatError } from '../../../src/sim/tape/tape-error.js';

describe('TapeFormatError', () => {
  it('formats file:line: what on one line and keeps the parts', () => {
    const err = new TapeFormatError('a/b.csv', 12, 'time goes backwards');
    expect(err.message).toBe('a/b.csv:12: time goes backwards');
    expect([err.file, err.line, err.what, err.name]).toEqual(['a/b.csv', 12, 'time goes backwards', 'TapeFormatError']);
    expect(err).toBeInstanceOf(Error);
  });
  it('omits the line when the problem is about the whole file', () => {
    const cause = new Error('boom');
    const err = new TapeFormatError('x.zip', null, 'file not found', { cause });
    expect(err.message).toBe('x.zip: file not found');
    expect(err.cause).toBe(cause);
  });
});
