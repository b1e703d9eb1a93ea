import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureOpen } from '../../src/analysis/profile/measure-open.js';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import { writeTapeCsv } from '../analysis/profile/tiny-tape.js';
import { REAL_DATA, hasRealData, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const AIG = join(REAL_DATA, 'equity', 'usa', 'tick', 'aig', '20131007_quote.zip');
const IBM = join(REAL_DATA, 'equity', 'usa', 'tick', 'ibm', '20131008_quote.zip');
const WINDOW_KEYS = ['start', 'end', 'spreadCentsMedian', 'spreadCentsP90', 'spreadBpsMedian', 'spreadBpsP90', 'quotesPerMinute'];
if (!hasRealData) console.warn(`skipping data profile on real tapes: ${REAL_DATA} not found`);

async function expectOneLineError(args: string[], status: number, pattern: RegExp): Promise<void> {
  const r = await runInProcess(args);
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('better-orders data profile', () => {
  it.skipIf(!hasRealData || !existsSync(AIG))('prints a table per window for a real tape', async () => {
    const r = await runInProcess(['data', 'profile', '--tape', AIG]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('AIG 2013-10-07');
    for (const w of ['09:30-09:31', '09:31-09:32', '09:32-09:35', '09:35-10:00', '10:00-16:00']) expect(r.stdout).toContain(w);
    expect(r.stdout).toMatch(/median \/ p90/);
    expect(r.stdout).toMatch(/mid at 10:00: \$\d+\.\d{4}/);
  });

  it.skipIf(!hasRealData || !existsSync(AIG))('--json prints the measurement object, identical to measureOpen', async () => {
    const r = await runInProcess(['data', 'profile', '--tape', AIG, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { windows: Array<Record<string, unknown>> };
    expect(Object.keys(out).sort()).toEqual(['date', 'midAt1000', 'source', 'symbol', 'windows']);
    expect(out.windows).toHaveLength(5);
    for (const w of out.windows) expect(Object.keys(w).sort()).toEqual([...WINDOW_KEYS].sort());
    expect(out).toEqual(JSON.parse(JSON.stringify(measureOpen(loadTape(AIG)))));
  });

  it.skipIf(!hasRealData || !existsSync(AIG) || !existsSync(IBM))('--json with several tapes prints an array in argument order', async () => {
    const r = await runInProcess(['data', 'profile', '--tape', AIG, '--tape', IBM, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{ symbol: string; date: string }>;
    expect(out.map((m) => `${m.symbol} ${m.date}`)).toEqual(['AIG 2013-10-07', 'IBM 2013-10-08']);
  });

  it('measures a generic CSV tape (no real data needed)', async () => {
    const dir = tempDir();
    const tape = generateOpen(TQQQ_LIKE, '2024-03-04', 5);
    const csv = writeTapeCsv(tape, join(dir, 'tqqq_2024-03-04.csv'));
    const r = await runInProcess(['data', 'profile', '--tape', csv, '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { symbol: string; windows: Array<{ spreadCentsMedian: number }> };
    expect(out.symbol).toBe('TQQQ');
    expect(out.windows.map((w) => w.spreadCentsMedian)).toEqual(measureOpen(tape).windows.map((w) => w.spreadCentsMedian));
  });

  it('fails with one line naming the problem', async () => {
    await expectOneLineError(['data', 'profile', '--tape', '/nonexistent/equity/usa/tick/aig/20131007_quote.zip'], 2, /20131007_quote\.zip: file not found/);
    await expectOneLineError(['data', 'profile', '--tape', '/nonexistent/tape.txt'], 2, /tape\.txt: unsupported tape file/);
    await expectOneLineError(['data', 'profile'], 2, /data profile: missing --tape/);
    await expectOneLineError(['data', 'profile', '--tape', 'x.csv', '--date', '2024-02-30'], 2, /--date: expected YYYY-MM-DD/);
    await expectOneLineError(['data'], 2, /name a data command/);
    await expectOneLineError(['data', 'profile', '--bogus'], 2, /Unknown argument/i);
  });
});
