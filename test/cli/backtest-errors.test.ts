import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

/** Every bad input ends with a non-zero exit and exactly one line that says what is wrong. */
async function expectOneLineError(args: string[], pattern: RegExp): Promise<void> {
  const dir = tempDir();
  const r = await runInProcess([...args, '--db', join(dir, 'x.db')]);
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('better-orders backtest errors', () => {
  it('rejects bad arguments with a one-line reason', async () => {
    await expectOneLineError(['backtest', '--side', 'hold'], /side/);
    await expectOneLineError(['backtest', '--qty', '-5'], /--qty/);
    await expectOneLineError(['backtest', '--at', '9h30'], /--at/);
    await expectOneLineError(['backtest', '--strategies', 'ladder,twap'], /unknown strategy "twap"/);
    await expectOneLineError(['backtest', '--date', '2024-13-01'], /--date/);
    await expectOneLineError(['backtest', '--bogus'], /Unknown argument/i);
    await expectOneLineError(['frobnicate'], /Unknown argument|command/i);
  });

  it('names the missing or malformed tape file', async () => {
    await expectOneLineError(['backtest', '--tape', '/nonexistent/equity/usa/tick/aig/20131007_quote.zip'], /20131007_quote\.zip.*not found/);
    const dir = tempDir();
    const csv = join(dir, 'TQQQ_2024-03-04.csv');
    writeFileSync(csv, 'time,bid,bid_size,ask,ask_size\n2024-03-04T14:30:00Z,60.00,100,60.01,100\n2024-03-04T14:30:01Z,abc,100,60.02,100\n');
    await expectOneLineError(['backtest', '--tape', csv], new RegExp(`${csv.replaceAll('.', '\\.')}:3: `));
  });

  it('names the bad config field', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ ladder: { timeouts: { openMs: 0 } } }));
    await expectOneLineError(['backtest', '--config', cfg], /ladder\.timeouts\.openMs/);
    writeFileSync(cfg, JSON.stringify({ ladder: { maxRepeg: 3 } }));
    await expectOneLineError(['backtest', '--config', cfg], /ladder\.maxRepeg: unknown field/);
    writeFileSync(cfg, '{ not json');
    await expectOneLineError(['backtest', '--config', cfg], /not valid JSON/);
    writeFileSync(cfg, JSON.stringify({ symbols: ['SOXL'] }));
    await expectOneLineError(['backtest', '--config', cfg], /symbols: TQQQ is not in the configured symbol list/);
  });

  it('names the bad scenario field', async () => {
    const dir = tempDir();
    const sc = join(dir, 'sc.json');
    writeFileSync(sc, JSON.stringify({ name: 'x', data: { synthetic: { profile: 'tqqq-like', startDate: '2024-03-04', days: 0 } } }));
    await expectOneLineError(['backtest', '--scenario', sc], /sc\.json: data\.synthetic\.days/);
  });
});
