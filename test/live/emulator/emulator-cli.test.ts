import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLeanTickTape } from '../../../src/sim/tape/lean-writer.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { REPO_ROOT, runCli, tempDir } from '../../cli/run-cli.js';

/** The environment without Alpaca keys, plus `extra`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { APCA_API_KEY_ID: _k, APCA_API_SECRET_KEY: _s, ...rest } = process.env;
  return { ...rest, ...extra };
}

function startCli(files: { quoteFile: string }, extraEnv: Record<string, string> = {}) {
  return spawn(process.execPath, [join(REPO_ROOT, 'bin', 'better-orders.js'), 'emulator', '--tape', files.quoteFile, '--start', '09:30:00', '--speed', '5'], { stdio: ['ignore', 'pipe', 'pipe'], env: env(extraEnv) });
}

describe('better-orders emulator', () => {
  it('takes the keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY when set (and does not print them)', async () => {
    const tape = generateOpen(TQQQ_LIKE, '2024-06-03', 3, { fromEt: '09:25:00', toEt: '09:40:00' });
    const files = writeLeanTickTape(tape, tempDir());
    const child = startCli(files, { APCA_API_KEY_ID: 'PKUSERKEY42', APCA_API_SECRET_KEY: 'user-secret-42' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 10_000;
      while (!/audit:/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(out).toContain('keys: APCA_API_KEY_ID and APCA_API_SECRET_KEY from the environment');
      expect(out).not.toContain('user-secret-42');
      const base = /base URL: (\S+)/.exec(out)?.[1];
      const withUserKeys = await fetch(`${base}/v2/clock`, { headers: { 'APCA-API-KEY-ID': 'PKUSERKEY42', 'APCA-API-SECRET-KEY': 'user-secret-42' } });
      expect(withUserKeys.status).toBe(200);
      const withDefaults = await fetch(`${base}/v2/clock`, { headers: { 'APCA-API-KEY-ID': 'EMULATORKEY', 'APCA-API-SECRET-KEY': 'emulator-secret' } });
      expect(withDefaults.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('prints the base URL and keys, serves the SDK paths, and stops on SIGTERM', async () => {
    const tape = generateOpen(TQQQ_LIKE, '2024-06-03', 3, { fromEt: '09:25:00', toEt: '09:40:00' });
    const files = writeLeanTickTape(tape, tempDir());
    const child = startCli(files);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 10_000;
      while (!/audit:/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const base = /base URL: (\S+)/.exec(out)?.[1];
      const key = /APCA_API_KEY_ID=(\S+)/.exec(out)?.[1];
      const secret = /APCA_API_SECRET_KEY=(\S+)/.exec(out)?.[1];
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${base}/v2/clock`, { headers: { 'APCA-API-KEY-ID': key!, 'APCA-API-SECRET-KEY': secret! } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { is_open: boolean }).is_open).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad --start with a usage error', () => {
    const r = runCli(['emulator', '--tape', 'nope.csv', '--start', '25:00']);
    expect(r.status).toBe(2);
  });
});
