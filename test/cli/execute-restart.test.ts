import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator, type RunningEmulator } from '../../src/live/emulator/server.js';
import { fillModelSchema } from '../../src/sim/fill-model-config.js';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { REPO_ROOT, tempDir, type CliResult } from './run-cli.js';

const DATE = '2024-06-03';
const SPEED = 2;
// A steady rise leaves a buy resting at the bid behind, and without fills from prints nothing
// reaches it: the first child must still be working when the process is killed.
const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00', shape: { trendBpsPerMinute: 300 } });
let emu: RunningEmulator;

interface AuditRow { action: string; clientOrderId: string | null; orderId: string | null; httpStatus: number; status: string | null; filledQty: string | null }

function spawnCli(args: readonly string[]): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'better-orders.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, BETTER_ORDERS_DEBUG: '', BETTER_ORDERS_LIVE: '', APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<CliResult>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, result };
}

async function audit(): Promise<AuditRow[]> {
  return ((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: AuditRow[] }).orders;
}

beforeAll(async () => {
  emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:33:00'), speed: SPEED, fillModel: fillModelSchema.parse({ tradeFills: false }) });
});
afterAll(async () => {
  await emu.close();
});

// Several times the displayed size: one touch of the ask cannot complete the resting first child
// while the process is down, so the restart always has a remainder to resume.
const QTY = 5_000;

describe('execute killed mid-ladder and restarted (audit is the truth)', () => {
  it('reconciles through client ids and finishes without a duplicate order', async () => {
    const dir = tempDir();
    // The slippage guard at the mid keeps every limit passive, so the first child rests; the
    // re-pegs run out and the market fallback completes the target after the restart.
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ ladder: { maxSlippageBps: 0, maxRepegs: 1, timeouts: { openMs: 6_000, normalMs: 6_000 } } }));
    const id = `restart-${Date.now().toString(36)}`;
    const args = ['execute', '--symbol', tape.symbol, '--side', 'buy', '--qty', String(QTY), '--config', cfg, '--execution-id', id, '--endpoint', emu.baseUrl, '--clock-speed', String(SPEED), '--db', join(dir, 'runs.db')];

    const first = spawnCli(args);
    const deadline = Date.now() + 20_000;
    while (!(await audit()).some((o) => o.action === 'submit' && o.clientOrderId === `${id}:1`)) {
      if (Date.now() > deadline) throw new Error('the first child never reached the venue');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    const killed = await first.result;
    expect(killed.status).toBeNull();
    expect(killed.stderr).toContain(`execution id ${id}`);
    const atKill = (await audit()).filter((o) => o.clientOrderId?.startsWith(`${id}:`));
    expect(atKill.filter((o) => o.action === 'submit').map((o) => o.clientOrderId)).toEqual([`${id}:1`]);

    const second = spawnCli(args);
    const r = await second.result;
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`resuming ${id}`);

    const mine = (await audit()).filter((o) => o.clientOrderId?.startsWith(`${id}:`));
    const submits = mine.filter((o) => o.action === 'submit' || o.action === 'replace');
    const ids = submits.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length); // no client id twice
    expect(submits.every((o) => o.httpStatus === 200)).toBe(true);
    expect(ids[0]).toBe(`${id}:1`);
    expect(ids.length).toBeGreaterThan(1); // the restart continued the numbering
    expect(ids.slice(1).every((c) => Number(c!.split(':')[1]) > 1)).toBe(true);
    const firstChild = submits[0]!;
    expect(['canceled', 'filled']).toContain(firstChild.status);
    if (firstChild.status === 'canceled') expect(mine.some((o) => o.action === 'cancel' && o.clientOrderId === `${id}:1` && o.httpStatus === 204)).toBe(true);
    expect(submits.reduce((s, o) => s + Number(o.filledQty ?? 0), 0)).toBe(QTY);
    for (const o of submits) expect(['filled', 'canceled', 'replaced', 'rejected', 'expired']).toContain(o.status);
    const open = (await (await fetch(`${emu.baseUrl}/v2/orders?status=open`, { headers: { 'APCA-API-KEY-ID': emu.keys.keyId, 'APCA-API-SECRET-KEY': emu.keys.secret } })).json()) as unknown[];
    expect(open).toEqual([]);

    // A third run of the same command finds everything filled and sends nothing.
    const before = (await audit()).filter((o) => o.action === 'submit').length;
    const third = await spawnCli(args).result;
    expect(third.status).toBe(0);
    expect(third.stdout).toContain(`already filled ${QTY}/${QTY}`);
    expect((await audit()).filter((o) => o.action === 'submit').length).toBe(before);
  }, 90_000);
});
