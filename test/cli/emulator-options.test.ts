import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLeanTickTape } from '../../src/sim/tape/lean-writer.js';
import { SOXL_LIKE, TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { REPO_ROOT, runCli, tempDir } from './run-cli.js';

const DATE = '2024-06-03';
const dir = tempDir();
const tqqqFile = writeLeanTickTape(generateOpen(TQQQ_LIKE, DATE, 3, { fromEt: '09:25:00', toEt: '09:40:00' }), join(dir, 'a')).quoteFile;
const tqqqAgain = writeLeanTickTape(generateOpen(TQQQ_LIKE, DATE, 4, { fromEt: '09:25:00', toEt: '09:40:00' }), join(dir, 'b')).quoteFile;
const soxlFile = writeLeanTickTape(generateOpen(SOXL_LIKE, DATE, 5, { fromEt: '09:25:00', toEt: '09:40:00' }), join(dir, 'c')).quoteFile;
const soxlLater = writeLeanTickTape(generateOpen(SOXL_LIKE, '2024-06-04', 6, { fromEt: '09:25:00', toEt: '09:40:00' }), join(dir, 'd')).quoteFile;

function json(name: string, body: string): string {
  const f = join(dir, name);
  writeFileSync(f, body);
  return f;
}

/** A refused start: exit 2 and exactly one stderr line, matching `line`. */
function refused(args: readonly string[], line: RegExp): void {
  const r = runCli(['emulator', ...args]);
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
}

describe('better-orders emulator with several tapes, --cash and --positions', () => {
  it('refuses two tapes of one symbol, or of two dates, naming them', () => {
    refused(['--tape', tqqqFile, '--tape', tqqqAgain], new RegExp(`--tape ${tqqqFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(TQQQ 2024-06-03\\) and --tape .*b.* are both TQQQ: give one tape per symbol`));
    refused(['--tape', tqqqFile, '--tape', soxlLater], /\(TQQQ 2024-06-03\) is TQQQ on 2024-06-03 but --tape .* \(SOXL 2024-06-04\) is SOXL on 2024-06-04: give tapes of one date/);
  });

  it('refuses a bad positions file or cash with one line naming the field, and a position with no tape naming it', () => {
    const negative = json('neg.json', '{"TQQQ": -5}');
    refused(['--tape', tqqqFile, '--positions', negative], /neg\.json: positions\.TQQQ: expected a non-negative share count/);
    const notJson = json('bad.json', '{"TQQQ": ');
    refused(['--tape', tqqqFile, '--positions', notJson], /--positions .*bad\.json/);
    const orphan = json('orphan.json', '{"TQQQ": 10, "UVXY": 3}');
    refused(['--tape', tqqqFile, '--tape', soxlFile, '--positions', orphan], /orphan\.json: UVXY: a position with no tape/);
    refused(['--tape', tqqqFile, '--cash', '-100'], /^better-orders: --cash -100: expected a non-negative dollar amount/);
    refused(['--tape', tqqqFile, '--cash', '12.345678'], /^better-orders: --cash 12\.345678/);
  });

  it('serves both symbols from one cash account with the cash and positions given, until SIGTERM', async () => {
    const positions = json('pos.json', '{"TQQQ": 12.5, "SOXL": 0}');
    const { APCA_API_KEY_ID: _k, APCA_API_SECRET_KEY: _s, ...env } = process.env;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'better-orders.js'), 'emulator', '--tape', tqqqFile, '--tape', soxlFile, '--cash', '2500.50', '--positions', positions, '--speed', '5'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 10_000;
      while (!/audit:/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(out).toContain(`emulator: TQQQ, SOXL ${DATE} from 09:30:00 ET at 5x`);
      expect(out).toContain('account: cash account, cash $2500.50, positions TQQQ 12.5');
      const base = /base URL: (\S+)/.exec(out)![1]!;
      const headers = { 'APCA-API-KEY-ID': /APCA_API_KEY_ID=(\S+)/.exec(out)![1]!, 'APCA-API-SECRET-KEY': /APCA_API_SECRET_KEY=(\S+)/.exec(out)![1]! };
      const account = (await (await fetch(`${base}/v2/account`, { headers })).json()) as Record<string, string>;
      expect(account['cash']).toBe('2500.50');
      expect(account['buying_power']).toBe('2500.50');
      const positionsBody = (await (await fetch(`${base}/v2/positions`, { headers })).json()) as { symbol: string; qty: string }[];
      expect(positionsBody.map((p) => [p.symbol, p.qty])).toEqual([['TQQQ', '12.5']]);
      const asset = await fetch(`${base}/v2/assets/SOXL`, { headers });
      expect(asset.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
