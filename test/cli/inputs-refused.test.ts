/**
 * Inputs that cannot run say so (issue 8), end to end through the command line (in process: the subprocess adds only start-up): a run in
 * which no execution could start, window clocks that are not real session times, --symbol and
 * --date selecting tapes from a scenario, a tape path that is a directory, and profile files with
 * an unknown or out-of-range field. Each ends with a non-zero exit and one line that says why.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TQQQ_LIKE } from '../../src/sim/synthetic/index.js';
import { hasRealData, REPO_ROOT, tempDir, type CliResult } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

/** Runs the CLI (with a throwaway database for the commands that record); returns the result. */
function run(args: readonly string[]): Promise<CliResult> {
  return runInProcess(args[0] === 'synth' ? args : [...args, '--db', join(tempDir(), 'x.db')]);
}

/** Exit 2, nothing on stdout, and the last stderr line (progress lines may come before it) says why. */
function expectRefused(r: CliResult, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

/** A generic CSV of one-cent quotes every second from 09:29 to 09:36 ET on `date` (EST, UTC-5). */
function writeTape(dir: string, name: string, date: string, bid = '60.00', ask = '60.01'): string {
  const start = Date.parse(`${date}T14:29:00Z`);
  const rows = Array.from({ length: 7 * 60 }, (_, i) => `${start + i * 1000},${bid},300,${ask},300`);
  const file = join(dir, name);
  writeFileSync(file, `time,bid,bid_size,ask,ask_size\n${rows.join('\n')}\n`);
  return file;
}

describe('a run in which no execution could start exits non-zero with one line saying why', () => {
  it('backtest --at 16:30:00: every decision is after the close', async () => {
    expectRefused(await run(['backtest', '--at', '16:30:00']), /^better-orders: default: no execution could start: none of the 320 executions sent an order \(320 x decision at or after the close on 20 days 2024-03-04\.\.2024-04-01\)$/);
  });

  it('backtest on a Saturday and on a holiday', async () => {
    expectRefused(await run(['backtest', '--date', '2024-03-09']), /no execution could start: none of the 64 executions sent an order \(64 x market closed on 2024-03-09 \(weekend\)\)$/);
    expectRefused(await run(['backtest', '--date', '2024-07-04', '--strategies', 'ladder']), /\(16 x market closed on 2024-07-04 \(holiday: Independence Day\)\)$/);
  });

  it('backtest on a half day after its 13:00 close', async () => {
    expectRefused(await run(['backtest', '--date', '2024-11-29', '--at', '13:30:00', '--strategies', 'ladder,market']), /\(8 x decision at or after the close on 2024-11-29\)$/);
  });

  it('backtest of a tape with no regular session in it (pre-market quotes only)', async () => {
    const dir = tempDir();
    const file = join(dir, 'tqqq_premarket.csv');
    const start = Date.parse('2024-03-04T13:00:00Z'); // 08:00 ET
    writeFileSync(file, `time,bid,bid_size,ask,ask_size\n${Array.from({ length: 360 }, (_, i) => `${start + i * 10_000},60.00,100,60.01,100`).join('\n')}\n`);
    expectRefused(await run(['backtest', '--tape', file]), /command line: no execution could start: none of the 4 executions sent an order \(4 x no valid quote within 30000 ms \(last quote stale\)\)$/);
  });

  it('tune --at 16:30:00 says so after the sweep instead of printing a winner', async () => {
    expectRefused(await run(['tune', '--random', '2', '--date', '2024-03-05', '--at', '16:30:00', '--workers', '1']), /^better-orders: sweep 1: no execution could start: none of the 4 executions sent an order \(4 x decision at or after the close on 2024-03-05\)$/);
  });

  it('a run where some executions start is not refused', async () => {
    // One decision is after the close; the other trades.
    const scenario = join(tempDir(), 'mixed.json');
    writeFileSync(scenario, JSON.stringify({ name: 'mixed', data: { synthetic: { profile: 'tqqq-like', startDate: '2024-03-05', days: 1 } }, orders: { decisionTimes: ['10:00:00', '16:30:00'] }, strategies: ['market'] }));
    const r = await run(['backtest', '--scenario', scenario, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const outcomes = (JSON.parse(r.stdout) as { executions: { outcome: string; reason: string | null }[] }).executions.map((e) => e.reason ?? e.outcome);
    expect(outcomes).toEqual(['filled', 'decision at or after the close on 2024-03-05']);
  });
});

describe('window clocks in the config are real session times, in order', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an hour 25', { ladder: { windows: { normalEnd: '25:00:00' } } }, /ladder\.windows\.normalEnd: expected a real ET time HH:MM:SS, got "25:00:00"$/],
    ['before the open', { ladder: { windows: { waitForSpreadsEnd: '09:00:00' } } }, /ladder\.windows\.waitForSpreadsEnd: 09:00:00 is outside the regular session 09:30:00-16:00:00 ET$/],
    ['out of order', { ladder: { windows: { waitForSpreadsEnd: '09:40:00', normalEnd: '09:35:00' } } }, /ladder\.windows\.normalEnd: must be at or after windows\.waitForSpreadsEnd$/],
    ['a per-symbol override', { overrides: { TQQQ: { windows: { normalEnd: '17:00:00' } } } }, /overrides\.TQQQ\.windows\.normalEnd: 17:00:00 is outside the regular session/],
  ];
  it.each(cases)('%s', async (_name, config, pattern) => {
    const file = join(tempDir(), 'cfg.json');
    writeFileSync(file, JSON.stringify(config));
    const r = await run(['backtest', '--config', file]);
    expectRefused(r, pattern);
    expect(r.stderr).toMatch(/^better-orders: bad config: .*cfg\.json: /);
  });
});

describe('--symbol and --date select matching tapes from a scenario', () => {
  const dir = tempDir();
  writeTape(dir, 'tqqq_2024-03-04.csv', '2024-03-04');
  writeTape(dir, 'tqqq_2024-03-05.csv', '2024-03-05');
  writeTape(dir, 'soxl_2024-03-04.csv', '2024-03-04', '30.00', '30.01');
  const scenario = join(dir, 'three.json');
  writeFileSync(scenario, JSON.stringify({ name: 'three', data: { tapes: ['tqqq_2024-03-04.csv', 'tqqq_2024-03-05.csv', 'soxl_2024-03-04.csv'] }, strategies: ['market'] }));
  const opens = (r: CliResult): string[] => {
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { executions: { symbol: string; date: string }[] }).executions.map((e) => `${e.symbol} ${e.date}`);
  };

  it('selects by symbol (any case), by date, and by both', async () => {
    expect(opens(await run(['backtest', '--scenario', scenario, '--json']))).toEqual(['TQQQ 2024-03-04', 'TQQQ 2024-03-05', 'SOXL 2024-03-04']);
    expect(opens(await run(['backtest', '--scenario', scenario, '--symbol', 'tqqq', '--json']))).toEqual(['TQQQ 2024-03-04', 'TQQQ 2024-03-05']);
    expect(opens(await run(['backtest', '--scenario', scenario, '--date', '2024-03-04', '--json']))).toEqual(['TQQQ 2024-03-04', 'SOXL 2024-03-04']);
    expect(opens(await run(['backtest', '--scenario', scenario, '--symbol', 'SoXl', '--date', '2024-03-04', '--json']))).toEqual(['SOXL 2024-03-04']);
  });

  it('no match at all: one line naming the selection and what the scenario has', async () => {
    expectRefused(await run(['backtest', '--scenario', scenario, '--symbol', 'SOXL', '--date', '2024-03-05']), /^better-orders: --symbol SOXL --date 2024-03-05: none of the 3 tape\(s\) of scenario three match \(they are TQQQ 2024-03-04, TQQQ 2024-03-05, SOXL 2024-03-04\)$/);
    expectRefused(await run(['tune', '--random', '2', '--scenario', scenario, '--symbol', 'UVXY']), /^better-orders: --symbol UVXY: none of the 3 tape\(s\) of scenario three match \(they are TQQQ, SOXL\)$/);
  });

  it('a synthetic scenario: --symbol must be its profile\'s', async () => {
    expect(opens(await run(['backtest', '--symbol', 'tqqq', '--date', '2024-03-05', '--strategies', 'market', '--json'])).every((o) => o === 'TQQQ 2024-03-05')).toBe(true);
    expectRefused(await run(['backtest', '--symbol', 'SOXL']), /^better-orders: --symbol SOXL: none of the 20 tape\(s\) of scenario default match \(they are TQQQ\)$/);
  });

  it.skipIf(!hasRealData)('the real development tapes: one symbol on one day', async () => {
    const real = join(REPO_ROOT, 'scenarios', 'real-dev.json');
    const got = opens(await run(['backtest', '--scenario', real, '--symbol', 'bac', '--date', '2013-10-08', '--strategies', 'market', '--json']));
    expect(new Set(got)).toEqual(new Set(['BAC 2013-10-08']));
  });
});

describe('a tape path that is a directory', () => {
  it('gets one line naming it', async () => {
    const dir = join(tempDir(), 'x.csv');
    mkdirSync(dir);
    expectRefused(await run(['backtest', '--tape', dir]), new RegExp(`^better-orders: ${dir.replaceAll('.', '\\.')}: is a directory, not a tape file$`));
  });
});

describe('synthetic profile files are checked by a strict schema', () => {
  const dir = tempDir();
  const { quotesPerSecondOpen, ...rest } = TQQQ_LIKE;
  const misspelled = join(dir, 'misspelled.json');
  writeFileSync(misspelled, JSON.stringify({ ...rest, name: 'typo-like', quotesPerSecondOpn: quotesPerSecondOpen }));
  const outOfRange = join(dir, 'range.json');
  writeFileSync(outOfRange, JSON.stringify({ ...TQQQ_LIKE, name: 'wild-like', dailyVolatility: 4 }));

  it('synth --profile FILE names an unknown field and what is then missing', async () => {
    expectRefused(await run(['synth', '--profile', misspelled, '--date', '2024-03-04', '--seed', '1', '--out', join(dir, 'out')]), /^better-orders: --profile: profile .*misspelled\.json: invalid open profile "typo-like": unknown field "quotesPerSecondOpn" \(missing: quotesPerSecondOpen\)$/);
  });

  it('synth --profile FILE names an out-of-range value', async () => {
    expectRefused(await run(['synth', '--profile', outOfRange, '--date', '2024-03-04', '--seed', '1', '--out', join(dir, 'out')]), /invalid open profile "wild-like": dailyVolatility must be in \(0, 1\] \(got 4\)$/);
  });

  it('a scenario\'s synthetic.profile file is checked the same way', async () => {
    const scenario = join(dir, 'synthetic.json');
    writeFileSync(scenario, JSON.stringify({ name: 'typo', data: { synthetic: { profile: 'misspelled.json', startDate: '2024-03-04', days: 1 } } }));
    expectRefused(await run(['backtest', '--scenario', scenario]), /^better-orders: scenario typo: profile .*misspelled\.json: invalid open profile "typo-like": unknown field "quotesPerSecondOpn"/);
  });
});
