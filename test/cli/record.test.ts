import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator, type RunningEmulator } from '../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import { REPO_ROOT, tempDir, type CliResult } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 3, { fromEt: '09:25:00', toEt: '09:45:00' });
const BIN = join(REPO_ROOT, 'bin', 'better-orders.js');

/** Runs the CLI without blocking this process (the emulator serves from it). */
function runCliAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, BETTER_ORDERS_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('better-orders record (built CLI, real SDK, loopback emulator)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // 6 s of wall time before 09:30 (at 20x): the CLI's start-up, clock check and subscription
    // must all happen before the window opens; on a loaded machine node's start-up alone took up
    // to 5 s, and a later subscription misses the first rows (the recorder names that as a gap).
    emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:28:00'), speed: 20 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('records a tape that matches the emulator’s quotes and that backtest --tape runs', async () => {
    const out = tempDir();
    const keys = { APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret };
    const r = await runCliAsync(['record', '--symbols', tape.symbol, '--from', '09:30', '--to', '09:31', '--out', out, '--endpoint', emu.baseUrl], keys);
    expect(r.stderr).not.toContain(emu.keys.secret);
    expect(r.stdout).not.toContain(emu.keys.secret);
    expect(r.status, r.stderr).toBe(0);
    const file = join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`);
    expect(r.stdout).toContain(`${file}: `);
    const got = loadTape(file);
    const from = etClockToEpoch(DATE, '09:30:00');
    const to = etClockToEpoch(DATE, '09:31:00');
    const want: number[][] = [];
    const q = tape.quotes;
    for (let i = 0; i < q.length; i++) {
      if (q.time[i]! < from || q.time[i]! >= to) continue;
      const row = [q.time[i]!, q.bid[i]!, q.bidSize[i]!, q.ask[i]!, q.askSize[i]!];
      if (want.length > 0 && want[want.length - 1]![0] === row[0]) want[want.length - 1] = row;
      else want.push(row);
    }
    const rows: number[][] = [];
    for (let i = 0; i < got.quotes.length; i++) rows.push([got.quotes.time[i]!, got.quotes.bid[i]!, got.quotes.bidSize[i]!, got.quotes.ask[i]!, got.quotes.askSize[i]!]);
    expect(rows).toEqual(want);
    expect(existsSync(join(out, `${tape.symbol.toLowerCase()}_${DATE}_trades.csv`))).toBe(true);
    const bt = await runInProcess(['backtest', '--tape', file]);
    expect(bt.status, bt.stderr).toBe(0);
    expect(bt.stdout.length).toBeGreaterThan(0);
  });

  it('refuses bad keys with one line and a non-zero exit', async () => {
    const out = tempDir();
    const r = await runCliAsync(['record', '--symbols', tape.symbol, '--from', '09:59', '--to', '10:00', '--out', out, '--endpoint', emu.baseUrl], { APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: 'wrong-secret' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^better-orders: record: /);
    expect(r.stderr).not.toContain('wrong-secret');
  });
});

describe('better-orders record: bad arguments', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing --out', ['record', '--symbols', 'TQQQ', '--from', '09:30', '--to', '09:31'], /missing --out/],
    ['a bad --from', ['record', '--symbols', 'TQQQ', '--from', '9:30', '--to', '09:31', '--out', '/tmp/x'], /--from: expected HH:MM/],
    ['--to before --from', ['record', '--symbols', 'TQQQ', '--from', '10:00', '--to', '09:31', '--out', '/tmp/x'], /--to 09:31 must be after --from 10:00/],
    ['a bad symbol', ['record', '--symbols', 'TQQQ,a b', '--from', '09:30', '--to', '09:31', '--out', '/tmp/x'], /"A B" is not a stock symbol/],
    ['a bad feed', ['record', '--symbols', 'TQQQ', '--from', '09:30', '--to', '09:31', '--out', '/tmp/x', '--feed', 'otc'], /feed/],
    ['a bad endpoint', ['record', '--symbols', 'TQQQ', '--from', '09:30', '--to', '09:31', '--out', '/tmp/x', '--endpoint', 'ftp://x'], /--endpoint: expected an http\(s\) URL/],
  ];
  for (const [name, args, msg] of cases) {
    it(`${name}: one line, exit 2`, async () => {
      const r = await runInProcess(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    });
  }
  it('missing keys: one line naming the variables, exit 2', async () => {
    const r = await runCliAsync(['record', '--symbols', 'TQQQ', '--from', '09:30', '--to', '09:31', '--out', '/tmp/x'], { APCA_API_KEY_ID: '', APCA_API_SECRET_KEY: '' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
  });
});
