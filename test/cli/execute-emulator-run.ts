/**
 * `execute` through the built CLI against a fresh loopback emulator, and the fail-safe checks of
 * issue 9 on its result: the venue's book and audit against the output and the SQLite record.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { TERMINAL_STATUSES } from '../../src/live/emulator/emu-order.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/live/emulator/server.js';
import { fillModelSchema } from '../../src/sim/fill-model-config.js';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { runCliAsync, tempDir, type CliResult } from './run-cli.js';

export const DATE = '2024-06-03';
export const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:55:00' });
/** The quantity of the tests whose first children rest (the emulator's rest fault keeps them working until cancelled). */
export const RESTING_QTY = 300;
export const risingTape = generateOpen(TQQQ_LIKE, DATE, 4, { fromEt: '09:25:00', toEt: '09:55:00', shape: { trendBpsPerMinute: 300 } });
export const noPrintFills = fillModelSchema.parse({ tradeFills: false });

interface AuditRow { action: string; clientOrderId: string | null; orderId: string | null; httpStatus: number; status: string | null; filledQty: string | null }

export interface Run {
  readonly r: CliResult;
  readonly emu: RunningEmulator;
  readonly audit: AuditRow[];
  readonly db: string;
  readonly dir: string;
  readonly wallMs: number;
  /** Client ids still working at the venue after the run, from its book. */
  readonly working: string[];
}

/** `execute` against a fresh emulator; the emulator is closed before returning (its book and audit are read first). */
export async function executeAgainst(emuOpts: Omit<EmulatorOptions, 'startMs' | 'tape' | 'tapes'> & { tape: Tape; startEt: string }, args: readonly string[], config?: unknown): Promise<Run> {
  const emu = await startEmulator({ ...emuOpts, startMs: etClockToEpoch(emuOpts.tape.date, emuOpts.startEt) });
  try {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const cfg = config === undefined ? [] : (() => {
      const file = join(dir, 'cfg.json');
      writeFileSync(file, JSON.stringify(config));
      return ['--config', file];
    })();
    const t0 = performance.now();
    const r = await runCliAsync(['execute', '--symbol', emuOpts.tape.symbol, '--endpoint', emu.baseUrl, '--clock-speed', String(emuOpts.speed), '--db', db, ...cfg, ...args], { APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret });
    const wallMs = performance.now() - t0;
    const audit = ((await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: AuditRow[] }).orders;
    const working = emu.venue.orders().filter((o) => !TERMINAL_STATUSES.has(o.status)).map((o) => o.clientOrderId);
    return { r, emu, audit, db, dir, wallMs, working };
  } finally {
    await emu.close();
  }
}

const created = (audit: readonly AuditRow[]) => audit.filter((o) => (o.action === 'submit' || o.action === 'replace') && o.orderId !== null);

/** The first stdout line names every order still working at the venue (exit 5), or nothing works (exit 0, 3, 4); the record equals the broker. */
export function expectFailSafe(run: Run): void {
  const { r, audit, working, db } = run;
  expect([0, 3, 4, 5]).toContain(r.status);
  expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
  if (working.length > 0) {
    expect(r.status).toBe(5);
    const top = r.stdout.split('\n')[0]!;
    expect(top).toMatch(/^ORDERS MAY STILL BE WORKING at the broker/);
    for (const id of working) expect(top).toContain(id);
  }
  if (r.status !== 5) expect(working).toEqual([]);
  const ids = created(audit).map((o) => o.clientOrderId);
  expect(new Set(ids).size).toBe(ids.length);
  const sql = new Database(db, { readonly: true });
  try {
    const rec = sql.prepare('SELECT id, filled_qty FROM executions').all() as { id: number; filled_qty: number }[];
    if (rec.length === 0) {
      // Only when nothing could be sent: then the venue saw no order at all.
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(/nothing was sent\n$/);
      expect(audit).toEqual([]);
      return;
    }
    expect(rec).toHaveLength(1);
    const brokerFilled = created(audit).reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
    if (r.status !== 5) expect(rec[0]!.filled_qty).toBe(brokerFilled * 1e9);
    const fills = (sql.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM fills WHERE execution_id = ?').get(rec[0]!.id) as { q: number }).q;
    expect(fills).toBe(rec[0]!.filled_qty);
  } finally {
    sql.close();
  }
}

