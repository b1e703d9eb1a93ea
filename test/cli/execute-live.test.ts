import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator, type RunningEmulator } from '../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { runCliAsync, tempDir } from './run-cli.js';

const DATE = '2024-06-03';
const SPEED = 20;
const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00' });
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:00'), speed: SPEED });
});
afterAll(async () => {
  await emu.close();
});

const keysEnv = () => ({ APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret });

interface AuditRow { action: string; clientOrderId: string | null; httpStatus: number; status: string | null; filledQty: string | null; request: Record<string, unknown> }

describe('better-orders execute against the loopback emulator (real SDK, real time)', () => {
  it('happy path at the open: fills the target with no duplicate or orphan order, recorded as paper', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const r = await runCliAsync(['execute', '--symbol', tape.symbol, '--side', 'buy', '--qty', '200', '--endpoint', emu.baseUrl, '--clock-speed', String(SPEED), '--db', db, '--json'], keysEnv());
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { possiblyWorking: unknown[]; exitCode: number; executionId: string; runId: number; kind: string; executions: { executionId: string; filledQty: number; outcome: string; childOrders: { clientOrderId: string; status: string; fills: unknown[] }[] }[] };
    // With --json too, the execution id goes to stderr first (before anything is sent), and nothing else.
    expect(r.stderr).toBe(`execution id ${out.executionId} (resume after a crash with --resume ${out.executionId})\n`);
    expect(Object.keys(out)[0]).toBe('possiblyWorking');
    expect(out).toMatchObject({ possiblyWorking: [], exitCode: 0, kind: 'paper' });
    const ex = out.executions[0]!;
    expect(ex.outcome).toBe('filled');

    // The emulator's audit is the truth.
    const { orders } = (await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: AuditRow[] };
    const mine = orders.filter((o) => o.clientOrderId?.startsWith(ex.executionId));
    const submits = mine.filter((o) => o.action === 'submit' || o.action === 'replace');
    expect(submits.length).toBeGreaterThan(0);
    const ids = submits.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length); // no duplicate client id
    expect(submits.every((o) => o.httpStatus === 200)).toBe(true);
    const filled = submits.reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
    expect(filled).toBe(200);
    // No orphan: nothing we sent is still working at the venue.
    for (const o of submits) expect(['filled', 'canceled', 'replaced', 'rejected', 'expired']).toContain(o.status);
    const open = (await (await fetch(`${emu.baseUrl}/v2/orders?status=open`, { headers: { 'APCA-API-KEY-ID': emu.keys.keyId, 'APCA-API-SECRET-KEY': emu.keys.secret } })).json()) as unknown[];
    expect(open).toEqual([]);

    // The SQLite record matches the audit.
    const sql = new Database(db, { readonly: true });
    const run = sql.prepare('SELECT kind, data_ref FROM runs WHERE id = ?').get(out.runId) as { kind: string; data_ref: string };
    expect(run.kind).toBe('paper');
    const exec = sql.prepare('SELECT id, filled_qty, outcome FROM executions WHERE run_id = ?').get(out.runId) as { id: number; filled_qty: number; outcome: string };
    expect(exec.filled_qty).toBe(200 * 1e9);
    const children = sql.prepare('SELECT client_order_id, status FROM child_orders WHERE execution_id = ? ORDER BY seq').all(exec.id) as { client_order_id: string; status: string }[];
    expect(children.map((c) => c.client_order_id)).toEqual(ids);
    const fillSum = (sql.prepare('SELECT SUM(qty) AS q FROM fills WHERE execution_id = ?').get(exec.id) as { q: number }).q;
    expect(fillSum).toBe(200 * 1e9);
    const events = (sql.prepare('SELECT COUNT(*) AS n FROM ladder_events WHERE execution_id = ?').get(exec.id) as { n: number }).n;
    expect(events).toBeGreaterThan(0);
    sql.close();
    // The recorded tape of the window sits beside the db and data_ref names it.
    expect(run.data_ref.startsWith(dir)).toBe(true);
    expect(readFileSync(run.data_ref, 'utf8').split('\n')[0]).toBe('time,bid,bid_size,ask,ask_size');
    expect(readFileSync(run.data_ref, 'utf8').split('\n').length).toBeGreaterThan(3);

    // The keys appear nowhere: stdout, stderr, the database and tape files.
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(emu.keys.secret)).toBe(false);
      expect(bytes.includes(emu.keys.keyId)).toBe(false);
    }
    expect(r.stdout.includes(emu.keys.secret) || r.stdout.includes(emu.keys.keyId)).toBe(false);
  }, 60_000);

  it('execute --live without BETTER_ORDERS_LIVE=yes is refused with one clear line, and sends nothing', async () => {
    const before = ((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: unknown[] }).orders.length;
    const r = await runCliAsync(['execute', '--live', '--symbol', tape.symbol, '--side', 'buy', '--qty', '1', '--endpoint', emu.baseUrl, '--db', join(tempDir(), 'x.db')], keysEnv());
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('better-orders: execute --live refused: set BETTER_ORDERS_LIVE=yes to trade real money (paper trading is the default)\n');
    expect(r.stdout).toBe('');
    expect(((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: unknown[] }).orders.length).toBe(before);
  }, 30_000);

  it('maxNotionalPerOrder is wired: a live order above it is refused before anything is sent', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'cfg.json');
    (await import('node:fs')).writeFileSync(cfg, JSON.stringify({ maxNotionalPerOrder: 100 }));
    const before = ((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: unknown[] }).orders.length;
    const r = await runCliAsync(['execute', '--live', '--symbol', tape.symbol, '--side', 'buy', '--qty', '10', '--config', cfg, '--endpoint', emu.baseUrl, '--clock-speed', String(SPEED), '--db', join(dir, 'x.db')], { ...keysEnv(), BETTER_ORDERS_LIVE: 'yes' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^execution id \S+ .*\nbetter-orders: execute --live refused: [\d.]+ USD is above maxNotionalPerOrder 100\n$/);
    expect(((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: unknown[] }).orders.length).toBe(before);
  }, 30_000);

  it('a bad key is refused without echoing either key', async () => {
    const r = await runCliAsync(['execute', '--symbol', tape.symbol, '--side', 'buy', '--qty', '1', '--endpoint', emu.baseUrl, '--db', join(tempDir(), 'x.db')], { APCA_API_KEY_ID: 'SOMEKEYID123', APCA_API_SECRET_KEY: 'super-secret-value-987' });
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).not.toContain('super-secret-value-987');
    expect(r.stderr + r.stdout).not.toContain('SOMEKEYID123');
  }, 30_000);
});
