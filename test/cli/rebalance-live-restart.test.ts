/**
 * Issue 11's must-show on Alpaca: a rebalance killed (SIGKILL) mid-way and resumed with
 * `--resume RB_ID` finishes with no duplicate order, asserted from the emulator's audit; a resume
 * of the finished rebalance says so and sends nothing.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/live/emulator/server.js';
import { hasRealData } from './run-cli.js';
import { auditOf, brokerWeights, rebalanceArgs, rebalanceFiles, spawnCli, startRealDayEmulator, TARGETS, workingAt } from './rebalance-live-run.js';

const suite = hasRealData ? describe : describe.skip;
let emu: RunningEmulator | null = null;
afterAll(async () => {
  await emu?.close();
});

suite(`rebalance on Alpaca killed and resumed (${hasRealData ? 'present' : 'skipped: ../shared/data/quotes is absent'})`, () => {
  it('SIGKILL while the first sell works, then --resume: the sell is reconciled through its client ids, the buys sized from the account, no client id twice, every order final, at the targets; a second resume sends nothing', async () => {
    // The venue's first order rests (fault rest=1: never matched until cancelled), so the sell's
    // first child is surely working when the process is killed.
    emu = await startRealDayEmulator({ faults: 'rest=1' });
    const f = rebalanceFiles({ ladder: { timeouts: { openMs: 60_000, normalMs: 60_000 } } });
    const args = rebalanceArgs(emu, f);
    const first = spawnCli(emu, args);
    const deadline = Date.now() + 20_000;
    while (!(await auditOf(emu)).some((o) => o.action === 'submit' && o.side === 'sell')) {
      if (Date.now() > deadline) throw new Error(`the first sell never reached the venue: ${first.stderr()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    const killed = await first.result;
    expect(killed.status).toBeNull();
    const id = /rebalance id (RB-\S+)/.exec(killed.stderr)![1]!;
    const atKill = await auditOf(emu);
    expect(atKill.filter((o) => o.action === 'submit').map((o) => o.clientOrderId)).toEqual([`${id}:BAC:1`]);
    expect(workingAt(emu)).toEqual([`${id}:BAC:1`]);

    // Other targets than the rebalance was started with: refused, nothing touched.
    const other = join(f.dir, 'other.json');
    writeFileSync(other, JSON.stringify({ weights: { AIG: 0.5, BAC: 0.1, IBM: 0.39 } }));
    const otherArgs = args.map((x) => (x === f.targets ? other : x));
    const mismatch = await spawnCli(emu, [...otherArgs, '--resume', id]).result;
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toContain(`resume refused: rebalance ${id} was started with other targets`);
    // While a live process holds the rebalance's lock (this test's own), a resume is refused.
    const setLock = (pid: number): void => {
      const w = new Database(f.db);
      w.prepare('UPDATE live_rebalances SET lock_pid = ?, lock_host = ? WHERE rebalance_key = ?').run(pid, hostname(), id);
      w.close();
    };
    setLock(process.pid);
    const locked = await spawnCli(emu, [...args, '--resume', id]).result;
    expect(locked.status).toBe(2);
    expect(locked.stderr).toContain(`rebalance refused: rebalance ${id} is being run by process ${process.pid}`);
    setLock(first.child.pid!);
    expect((await auditOf(emu)).length).toBe(atKill.length);

    const resumed = await spawnCli(emu, [...args, '--resume', id, '--json']).result;
    expect(resumed.status, `${resumed.stdout}${resumed.stderr}`).toBe(0);
    expect(resumed.stderr).toContain(`resuming rebalance ${id}`);
    const audit = await auditOf(emu);
    const made = audit.filter((o) => (o.action === 'submit' || o.action === 'replace') && o.orderId !== null);
    const ids = made.map((o) => o.clientOrderId);
    expect(new Set(ids).size, ids.join(', ')).toBe(ids.length);
    expect(audit.some((o) => o.action === 'cancel' && o.clientOrderId === `${id}:BAC:1`)).toBe(true);
    // The resumed sell numbered its children past the broker's last one.
    expect(made.filter((o) => o.clientOrderId!.startsWith(`${id}:BAC:`)).slice(1).every((o) => Number(o.clientOrderId!.split(':').at(-1)) > 1)).toBe(true);
    expect(workingAt(emu)).toEqual([]);
    // The buys went after the sell ended.
    const lastSell = Math.max(...audit.filter((o) => o.action === 'submit' && o.side === 'sell').map((o) => o.seq));
    const firstBuy = Math.min(...audit.filter((o) => o.action === 'submit' && o.side === 'buy').map((o) => o.seq));
    expect(lastSell).toBeLessThan(firstBuy);
    const after = await brokerWeights(emu);
    for (const [s, w] of Object.entries(TARGETS)) expect(Math.abs((after.weights[s] ?? 0) - w) * 100, `${s} at ${after.weights[s]}`).toBeLessThan(1);

    // One record per leg, the sell's covering its children before and after the crash.
    const sql = new Database(f.db, { readonly: true });
    try {
      const legs = sql.prepare('SELECT e.execution_key, e.filled_qty FROM executions e JOIN rebalances r ON r.id = e.rebalance_id WHERE r.rebalance_key = ? ORDER BY e.execution_key').all(id) as { execution_key: string; filled_qty: number }[];
      expect(legs.map((l) => l.execution_key)).toEqual(['AIG', 'BAC', 'IBM'].map((s) => `${id}:${s}`));
      for (const l of legs) {
        const broker = made.filter((o) => o.clientOrderId!.startsWith(`${l.execution_key}:`)).reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
        expect(l.filled_qty, l.execution_key).toBe(Math.round(broker * 1e9));
      }
      const children = sql.prepare("SELECT c.client_order_id FROM child_orders c JOIN executions e ON e.id = c.execution_id WHERE e.execution_key = ? ORDER BY c.seq").all(`${id}:BAC`) as { client_order_id: string }[];
      expect(children[0]!.client_order_id).toBe(`${id}:BAC:1`);
      expect(sql.prepare('SELECT status, lock_pid FROM live_rebalances WHERE rebalance_key = ?').get(id)).toEqual({ status: 'completed', lock_pid: null });
    } finally {
      sql.close();
    }

    const before = audit.length;
    const again = await spawnCli(emu, [...args, '--resume', id]).result;
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`rebalance ${id} already finished (completed); nothing was sent`);
    expect((await auditOf(emu)).length).toBe(before);
  }, 120_000);

  it('SIGKILL while the buys work, then --resume: every leg reconciled, no client id twice, every order final, at the targets', async () => {
    await emu?.close();
    emu = await startRealDayEmulator();
    const f = rebalanceFiles();
    const args = rebalanceArgs(emu, f);
    const first = spawnCli(emu, args);
    const deadline = Date.now() + 30_000;
    while (!(await auditOf(emu)).some((o) => o.action === 'submit' && o.side === 'buy')) {
      if (Date.now() > deadline) throw new Error(`no buy ever reached the venue: ${first.stderr()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    first.child.kill('SIGKILL');
    const killed = await first.result;
    expect(killed.status).toBeNull();
    const id = /rebalance id (RB-\S+)/.exec(killed.stderr)![1]!;
    const resumed = await spawnCli(emu, [...args, '--resume', id, '--json']).result;
    expect(resumed.status, `${resumed.stdout}${resumed.stderr}`).toBe(0);
    const audit = await auditOf(emu);
    const made = audit.filter((o) => (o.action === 'submit' || o.action === 'replace') && o.orderId !== null);
    const ids = made.map((o) => o.clientOrderId);
    expect(new Set(ids).size, ids.join(', ')).toBe(ids.length);
    expect(workingAt(emu)).toEqual([]);
    const after = await brokerWeights(emu);
    for (const [s, w] of Object.entries(TARGETS)) expect(Math.abs((after.weights[s] ?? 0) - w) * 100, `${s} at ${after.weights[s]}`).toBeLessThan(1);
    expect(after.cash).toBeGreaterThanOrEqual(0);
    const sql = new Database(f.db, { readonly: true });
    try {
      const legs = sql.prepare('SELECT e.execution_key, e.filled_qty FROM executions e JOIN rebalances r ON r.id = e.rebalance_id WHERE r.rebalance_key = ?').all(id) as { execution_key: string; filled_qty: number }[];
      expect(legs).toHaveLength(3);
      for (const l of legs) {
        const broker = made.filter((o) => o.clientOrderId!.startsWith(`${l.execution_key}:`)).reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
        expect(l.filled_qty, l.execution_key).toBe(Math.round(broker * 1e9));
      }
    } finally {
      sql.close();
    }
  }, 120_000);
});
