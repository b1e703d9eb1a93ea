import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator, type RunningEmulator } from '../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import { REPO_ROOT, tempDir, type CliResult } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

/** Runs the CLI without blocking this process (the emulator serves from it). */
function runCliAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'better-orders.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, BETTER_ORDERS_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 9, { fromEt: '09:25:00', toEt: '09:45:00' });

describe('better-orders data fetch (built CLI, real SDK, loopback emulator)', () => {
  let emu: RunningEmulator;
  let keys: Record<string, string>;
  beforeAll(async () => {
    emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:50:00'), speed: 1 });
    keys = { APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret };
  });
  afterAll(async () => {
    await emu.close();
  });

  it('imports every row of the range across pages into a tape that backtest --tape runs', async () => {
    const out = tempDir();
    const r = await runCliAsync(['data', 'fetch', '--symbol', tape.symbol.toLowerCase(), '--date', DATE, '--from', '09:29', '--to', '09:40', '--out', out, '--endpoint', emu.baseUrl, '--page-size', '500'], keys);
    expect(r.status, r.stderr).toBe(0);
    const from = etClockToEpoch(DATE, '09:29:00');
    const to = etClockToEpoch(DATE, '09:40:00');
    let n = 0;
    for (let i = 0; i < tape.quotes.length; i++) if (tape.quotes.time[i]! >= from && tape.quotes.time[i]! < to) n++;
    expect(r.stdout).toContain(`${Math.ceil(n / 500)} quote page(s)`);
    expect(Math.ceil(n / 500)).toBeGreaterThan(2);
    const file = join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(n + 1);
    const got = loadTape(file);
    expect(got.trades).not.toBeNull();
    const bt = await runInProcess(['backtest', '--tape', file]);
    expect(bt.status, bt.stderr).toBe(0);
  });

  it('an API failure (bad keys) is one line and a non-zero exit, without the keys', async () => {
    const r = await runCliAsync(['data', 'fetch', '--symbol', tape.symbol, '--date', DATE, '--out', tempDir(), '--endpoint', emu.baseUrl], { APCA_API_KEY_ID: 'nobody', APCA_API_SECRET_KEY: 'not-the-secret' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/data fetch: HTTP 401/);
    expect(r.stderr).not.toContain('not-the-secret');
  });
});

describe('better-orders data fetch: bad arguments', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing --symbol', ['data', 'fetch', '--date', DATE, '--out', '/tmp/x'], /missing --symbol/],
    ['missing --date', ['data', 'fetch', '--symbol', 'TQQQ', '--out', '/tmp/x'], /missing --date/],
    ['a bad date', ['data', 'fetch', '--symbol', 'TQQQ', '--date', '2024-13-01', '--out', '/tmp/x'], /--date: expected YYYY-MM-DD/],
    ['a bad --to', ['data', 'fetch', '--symbol', 'TQQQ', '--date', DATE, '--to', '25:00', '--out', '/tmp/x'], /--to: expected HH:MM/],
    ['--to before --from', ['data', 'fetch', '--symbol', 'TQQQ', '--date', DATE, '--from', '10:00', '--to', '09:00', '--out', '/tmp/x'], /must be after/],
  ];
  for (const [name, args, msg] of cases) {
    it(`${name}: one line, exit 2`, async () => {
      const r = await runInProcess(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    });
  }
});
