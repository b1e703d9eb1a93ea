import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
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
  emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:33:00'), speed: SPEED, fillModel: fillModelSchema.parse({ tradeFills: false }), faults: 'rest=1' });
});
afterAll(async () => {
  await emu.close();
});

// The emulator's first order rests (fault rest=1: never matched, whatever the tape does), so the
// first child is still working when the process is killed and the restart always has the whole
// remainder to resume. (Relying on the price to run away from a buy at the arrival mid was not
// enough: under load the decision could land in a dip, the limit crossed the ask and the child
// filled completely before the restart.)
const QTY = 5_000;

describe('execute killed mid-ladder and restarted (audit is the truth)', () => {
  it('SIGKILL, then: a wrong-side resume is refused, a resume while another live process holds the lock is refused, the resume takes the dead lock over and writes one record for the whole parent', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    // The slippage guard at the mid keeps every limit passive, so the first child rests; the
    // re-pegs run out and the market fallback completes the target after the restart.
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ ladder: { maxSlippageBps: 0, maxRepegs: 1, timeouts: { openMs: 6_000, normalMs: 6_000 } } }));
    const id = `restart-${Date.now().toString(36)}`;
    const base = ['execute', '--symbol', tape.symbol, '--qty', String(QTY), '--config', cfg, '--endpoint', emu.baseUrl, '--clock-speed', String(SPEED)];
    const args = [...base, '--side', 'buy', '--execution-id', id, '--db', db];

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

    // A resume with the wrong side is refused, by the record and (with another db) by the broker's orders; nothing is touched.
    const wrongByRecord = await spawnCli([...base, '--side', 'sell', '--resume', id, '--db', db]).result;
    expect(wrongByRecord.status).toBe(2);
    expect(wrongByRecord.stderr).toContain(`better-orders: execute refused: execution ${id} does not match this command: it is a buy, not a sell`);
    const wrongByBroker = await spawnCli([...base, '--side', 'sell', '--resume', id, '--db', join(dir, 'other.db')]).result;
    expect(wrongByBroker.status).toBe(2);
    expect(wrongByBroker.stderr).toContain(`better-orders: resume refused: order ${id}:1 at the broker is a buy of ${QTY} ${tape.symbol}; this command is a sell of ${QTY} ${tape.symbol}; nothing was cancelled or sent`);
    expect((await audit()).filter((o) => o.clientOrderId?.startsWith(`${id}:`))).toHaveLength(atKill.length);

    // The crash left its lock: the killed process's pid. While a live process holds the lock
    // (here: this test's own process, on this host), a resume is refused, nothing sent.
    const lockOf = () => {
      const sql = new Database(db, { readonly: true });
      try {
        return sql.prepare('SELECT lock_pid, lock_host FROM live_executions WHERE execution_key = ?').get(id) as { lock_pid: number | null; lock_host: string | null };
      } finally {
        sql.close();
      }
    };
    const setLock = (pid: number) => {
      const sql = new Database(db);
      try {
        sql.prepare('UPDATE live_executions SET lock_pid = ?, lock_host = ? WHERE execution_key = ?').run(pid, hostname(), id);
      } finally {
        sql.close();
      }
    };
    expect(lockOf()).toEqual({ lock_pid: first.child.pid, lock_host: hostname() });
    setLock(process.pid);
    const twice = await spawnCli([...base, '--side', 'buy', '--resume', id, '--db', db]).result;
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain(`better-orders: execute refused: execution ${id} is being run by process ${process.pid} on ${hostname()}`);
    expect((await audit()).filter((o) => o.clientOrderId?.startsWith(`${id}:`))).toHaveLength(atKill.length);
    // Back to the crashed process's lock: the resume takes it over (that process is gone).
    setLock(first.child.pid!);
    const resume = spawnCli([...base, '--side', 'buy', '--resume', id, '--db', db]);
    const r = await resume.result;
    expect(r.status, `resume: ${r.stdout}${r.stderr}`).toBe(0);

    const mine = (await audit()).filter((o) => o.clientOrderId?.startsWith(`${id}:`));
    const submits = mine.filter((o) => o.action === 'submit' || o.action === 'replace');
    const ids = submits.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length); // no client id twice
    expect(submits.every((o) => o.httpStatus === 200)).toBe(true);
    expect(ids[0]).toBe(`${id}:1`);
    expect(ids.length, `the restart sent nothing new: ${r.stdout}${r.stderr}${JSON.stringify(mine)}`).toBeGreaterThan(1); // the restart continued the numbering
    expect(ids.slice(1).every((c) => Number(c!.split(':')[1]) > 1)).toBe(true);
    const firstChild = submits[0]!;
    expect(['canceled', 'filled']).toContain(firstChild.status);
    if (firstChild.status === 'canceled') expect(mine.some((o) => o.action === 'cancel' && o.clientOrderId === `${id}:1` && o.httpStatus === 204)).toBe(true);
    const brokerFilled = submits.reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
    expect(brokerFilled).toBe(QTY);
    for (const o of submits) expect(['filled', 'canceled', 'replaced', 'rejected', 'expired']).toContain(o.status);
    expect(emu.venue.orders().filter((o) => !['filled', 'canceled', 'replaced', 'rejected'].includes(o.status))).toEqual([]);

    // ONE record for the whole execution: the parent quantity, every child before and after the
    // crash, fills equal to the broker's, measured from the first run's decision.
    const sql = new Database(db, { readonly: true });
    const rows = sql.prepare('SELECT id, qty, filled_qty, outcome, decision_time FROM executions WHERE execution_key = ?').all(id) as { id: number; qty: number; filled_qty: number; outcome: string; decision_time: number }[];
    expect(rows).toHaveLength(1);
    const rec = rows[0]!;
    expect(rec).toMatchObject({ qty: QTY * 1e9, filled_qty: QTY * 1e9, outcome: 'filled' });
    // Alerts: whatever the killed attempt and the resume raised belongs to the one run recorded
    // (the resume claims them all); none is left without a run, none is of another execution.
    const alertRows = sql.prepare('SELECT run_id, execution_key FROM alerts').all() as { run_id: number | null; execution_key: string }[];
    const runOf = (sql.prepare('SELECT run_id FROM executions WHERE id = ?').get(rec.id) as { run_id: number }).run_id;
    for (const a of alertRows) expect(a).toEqual({ run_id: runOf, execution_key: id });
    const started = sql.prepare('SELECT decision_time, last_child, lock_pid FROM live_executions WHERE execution_key = ?').get(id) as { decision_time: number; last_child: number; lock_pid: number | null };
    expect(rec.decision_time).toBe(started.decision_time);
    expect(started.lock_pid).toBeNull();
    const children = sql.prepare('SELECT client_order_id FROM child_orders WHERE execution_id = ? ORDER BY seq').all(rec.id) as { client_order_id: string }[];
    expect(children.map((c) => c.client_order_id)).toEqual(ids);
    expect(started.last_child).toBe(ids.length);
    const fillSum = (sql.prepare('SELECT SUM(qty) AS q FROM fills WHERE execution_id = ?').get(rec.id) as { q: number }).q;
    expect(fillSum).toBe(brokerFilled * 1e9);
    for (const o of submits) {
      const f = (sql.prepare('SELECT COALESCE(SUM(f.qty), 0) AS q FROM fills f JOIN child_orders c ON c.id = f.child_order_id WHERE c.client_order_id = ?').get(o.clientOrderId) as { q: number }).q;
      expect(f, `record vs broker for ${o.clientOrderId}`).toBe(Number(o.filledQty) * 1e9);
    }
    expect((sql.prepare("SELECT COUNT(*) AS n FROM ladder_events WHERE execution_id = ? AND kind = 'resume'").get(rec.id) as { n: number }).n).toBe(1);
    sql.close();

    // A third run of the same command finds everything filled and sends nothing; still one record.
    const before = (await audit()).filter((o) => o.action === 'submit').length;
    const third = await spawnCli(args).result;
    expect(third.status).toBe(0);
    expect(third.stdout).toContain(`already filled ${QTY}/${QTY}`);
    expect((await audit()).filter((o) => o.action === 'submit').length).toBe(before);
    const again = new Database(db, { readonly: true });
    expect((again.prepare('SELECT COUNT(*) AS n, MAX(filled_qty) AS f FROM executions WHERE execution_key = ?').get(id) as { n: number; f: number })).toEqual({ n: 1, f: QTY * 1e9 });
    again.close();
  }, 120_000);
});
