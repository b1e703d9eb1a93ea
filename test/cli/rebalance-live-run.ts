/**
 * `rebalance` on Alpaca through the built CLI against the loopback emulator serving several
 * symbols from one account (issue 11, live part): the helpers of its end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { QTY_SCALE } from '../../src/engine/units.js';
import { TERMINAL_STATUSES } from '../../src/live/emulator/emu-order.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/live/emulator/server.js';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { REAL_DATA, REPO_ROOT, tempDir, type CliResult } from './run-cli.js';

export const DAY = '2013-10-07';
export const tapeFile = (s: string): string => join(REAL_DATA, 'equity', 'usa', 'tick', s.toLowerCase(), '20131007_quote.zip');
/** Mostly BAC, into AIG and IBM, with little cash (the simulated must-show's portfolio). */
export const TARGETS = { AIG: 0.4, BAC: 0.2, IBM: 0.39 };
export const HELD: Record<string, number> = { BAC: 5000, AIG: 100, IBM: 10 };
export const CASH_USD = 500;

let tapes: Tape[] | null = null;
export function realTapes(): Tape[] {
  tapes ??= ['aig', 'bac', 'ibm'].map((s) => loadTape(tapeFile(s)));
  return tapes;
}

export interface AuditRow { seq: number; action: string; symbol: string | null; side: string | null; qty: string | null; clientOrderId: string | null; orderId: string | null; httpStatus: number; status: string | null; filledQty: string | null }

export async function startRealDayEmulator(extra: Partial<EmulatorOptions> = {}, startEt = '09:31:00', speed = 20): Promise<RunningEmulator> {
  const positions = Object.fromEntries(Object.entries(HELD).map(([s, n]) => [s, n * QTY_SCALE]));
  return startEmulator({ tapes: realTapes(), startMs: etClockToEpoch(DAY, startEt), speed, cash: CASH_USD * 10_000, positions, ...extra });
}

export async function auditOf(emu: RunningEmulator): Promise<AuditRow[]> {
  return ((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: AuditRow[] }).orders;
}

/** Orders the venue still works (not final). */
export const workingAt = (emu: RunningEmulator): string[] => emu.venue.orders().filter((o) => !TERMINAL_STATUSES.has(o.status)).map((o) => o.clientOrderId);

async function get<T>(emu: RunningEmulator, path: string): Promise<T> {
  const r = await fetch(`${emu.baseUrl}${path}`, { headers: { 'APCA-API-KEY-ID': emu.keys.keyId, 'APCA-API-SECRET-KEY': emu.keys.secret } });
  return (await r.json()) as T;
}

/** The account's weights as the broker values them (market value over equity), and its cash. */
export async function brokerWeights(emu: RunningEmulator): Promise<{ weights: Record<string, number>; cash: number; equity: number; qty: Record<string, number> }> {
  const account = await get<{ cash: string; equity: string }>(emu, '/v2/account');
  const positions = await get<{ symbol: string; qty: string; market_value: string }[]>(emu, '/v2/positions');
  const equity = Number(account.equity);
  return {
    weights: Object.fromEntries(positions.map((p) => [p.symbol, Number(p.market_value) / equity])),
    qty: Object.fromEntries(positions.map((p) => [p.symbol, Number(p.qty)])),
    cash: Number(account.cash),
    equity,
  };
}

export function rebalanceFiles(config?: unknown): { dir: string; db: string; targets: string; config: string[] } {
  const dir = tempDir();
  const targets = join(dir, 'targets.json');
  writeFileSync(targets, JSON.stringify({ weights: TARGETS }));
  const cfg = config === undefined ? [] : (() => {
    const file = join(dir, 'cfg.json');
    writeFileSync(file, JSON.stringify(config));
    return ['--config', file];
  })();
  return { dir, db: join(dir, 'runs.db'), targets, config: cfg };
}

export function rebalanceArgs(emu: RunningEmulator, f: { db: string; targets: string; config: string[] }, speed = 20): string[] {
  return ['rebalance', '--targets', f.targets, '--endpoint', emu.baseUrl, '--clock-speed', String(speed), '--db', f.db, ...f.config];
}

export function spawnCli(emu: RunningEmulator, args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; result: Promise<CliResult>; stderr: () => string } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'better-orders.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, BETTER_ORDERS_DEBUG: '', BETTER_ORDERS_LIVE: '', APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<CliResult>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, result, stderr: () => stderr };
}
