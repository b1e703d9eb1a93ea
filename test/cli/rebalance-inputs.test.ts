/**
 * Bad rebalance files get one line naming the field, exit 2, no stack trace (issue 11, "Files"):
 * weights above 1 in sum, negative shares, a held symbol with no target, an unknown field, no tapes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

async function refused(targets: unknown, positions: unknown, extra: readonly string[] = ['--tape', 'none.zip']): Promise<{ status: number | null; line: string; stdout: string }> {
  const dir = tempDir();
  writeFileSync(join(dir, 't.json'), JSON.stringify(targets));
  writeFileSync(join(dir, 'p.json'), JSON.stringify(positions));
  const r = await runInProcess(['rebalance', '--targets', join(dir, 't.json'), '--positions', join(dir, 'p.json'), '--cash', '100', ...extra, '--db', join(dir, 'x.db')]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  return { status: r.status, line: r.stderr.trim(), stdout: r.stdout };
}

describe('rebalance refuses bad files in one line', () => {
  it.each([
    ['weights above 1 in sum', { weights: { TQQQ: 0.6, SOXL: 0.5 } }, {}, /t\.json: weights: they sum to 1\.1, above 1/],
    ['a weight out of range', { weights: { TQQQ: -0.1 } }, {}, /t\.json: weights\.TQQQ: expected a fraction of equity from 0 to 1/],
    ['negative shares held', { weights: { TQQQ: 0.5 } }, { TQQQ: -3 }, /p\.json: positions\.TQQQ: expected a non-negative share count/],
    ['a held symbol with no target', { weights: { TQQQ: 0.5 } }, { SOXL: 10 }, /p\.json: SOXL: held but has no target/],
    ['an unknown field', { weights: { TQQQ: 0.5 }, drift: 2 }, {}, /t\.json: drift: unknown field/],
    ['a ticker that is not one', { shares: { tqqq: 5 } }, {}, /t\.json: shares\.tqqq: expected an upper-case ticker/],
  ])('%s', async (_name, targets, positions, pattern) => {
    const r = await refused(targets, positions);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.line).toMatch(pattern);
  });

  it('weights that sum to exactly 1 in decimals are accepted (0.1 + 0.2 + 0.7): the tapes are what is missing', async () => {
    const r = await refused({ weights: { A: 0.1, B: 0.2, C: 0.7 } }, {}, []);
    expect(r.status).toBe(2);
    expect(r.line).toMatch(/give the tapes to replay/);
  });
});
