/**
 * The rebalance on Alpaca refuses what it cannot do in one line, exit 2, before any network call:
 * the simulated form's files, the Alpaca form's flags on a simulation, live without consent, keys.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const saved: Record<string, string | undefined> = {};
const ENV = ['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY', 'BETTER_ORDERS_LIVE'] as const;
beforeEach(() => {
  for (const k of ENV) saved[k] = process.env[k];
  process.env['APCA_API_KEY_ID'] = 'k';
  process.env['APCA_API_SECRET_KEY'] = 's';
  delete process.env['BETTER_ORDERS_LIVE'];
});
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function targets(): string {
  const file = join(tempDir(), 't.json');
  writeFileSync(file, JSON.stringify({ weights: { AIG: 0.5 } }));
  return file;
}

describe('rebalance on Alpaca: refused before anything is sent', () => {
  it.each([
    ['--cash without tapes', ['--cash', '100'], /--positions and --cash belong to the simulated form: give the tapes to replay/],
    ['--at without tapes', ['--at', '09:31:00'], /--at belongs to the simulated form/],
    ['--dry-run on a simulation', ['--tape', 'x.zip', '--dry-run'], /--dry-run is for a rebalance on Alpaca/],
    ['--resume on a simulation', ['--tape', 'x.zip', '--resume', 'RB-1'], /--resume is for a rebalance on Alpaca/],
    ['--live without consent', ['--live'], /rebalance --live refused: set BETTER_ORDERS_LIVE=yes/],
    ['--paper and --live', ['--paper', '--live'], /give --paper or --live, not both/],
    ['a resume id that is not one', ['--resume', 'x;y'], /--resume x;y: expected a rebalance id/],
    ['a bad endpoint', ['--endpoint', 'ftp:/x'], /--endpoint ftp:\/x: expected an http\(s\) URL/],
  ])('%s', async (_name, extra, pattern) => {
    const dir = tempDir();
    const r = await runInProcess(['rebalance', '--targets', targets(), '--db', join(dir, 'x.db'), ...extra]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it('without keys', async () => {
    delete process.env['APCA_API_KEY_ID'];
    const r = await runInProcess(['rebalance', '--targets', targets(), '--endpoint', 'http://127.0.0.1:9']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/set APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
  });

  it('a broker that cannot be reached: one line naming it, exit 4, nothing sent', async () => {
    const r = await runInProcess(['rebalance', '--targets', targets(), '--endpoint', 'http://127.0.0.1:9', '--db', join(tempDir(), 'x.db')]);
    expect(r.status).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot reach the broker at http:\/\/127\.0\.0\.1:9.*; nothing was sent/);
  }, 30_000);
});
