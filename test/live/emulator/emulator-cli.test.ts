import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLeanTickTape } from '../../../src/sim/tape/lean-writer.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { REPO_ROOT, runCli, tempDir } from '../../cli/run-cli.js';

describe('better-orders emulator', () => {
  it('prints the base URL and keys, serves the SDK paths, and stops on SIGTERM', async () => {
    const tape = generateOpen(TQQQ_LIKE, '2024-06-03', 3, { fromEt: '09:25:00', toEt: '09:40:00' });
    const files = writeLeanTickTape(tape, tempDir());
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'better-orders.js'), 'emulator', '--tape', files.quoteFile, '--start', '09:30:00', '--speed', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
