/**
 * Issue 11's must-show on Alpaca: `rebalance` end to end through the built CLI, the real SDK and
 * the loopback emulator serving the real 2013-10-07 open of AIG, BAC and IBM from one account
 * (mostly BAC, little cash), asserted from the emulator's audit and its account, not from what
 * the command prints: the sells go before any buy that needs their proceeds, no client id twice,
 * every order final at the end, the positions at the targets within a percentage point; a
 * rejected sell shrinks the buys to the cash there is; --dry-run and the rails send nothing.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/live/emulator/server.js';
import { hasRealData, runCliAsync } from './run-cli.js';
import { auditOf, brokerWeights, CASH_USD, rebalanceArgs, rebalanceFiles, startRealDayEmulator, TARGETS, workingAt, type AuditRow } from './rebalance-live-run.js';

const suite = hasRealData ? describe : describe.skip;
const running: RunningEmulator[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
});
async function emulator(...a: Parameters<typeof startRealDayEmulator>): Promise<RunningEmulator> {
  const emu = await startRealDayEmulator(...a);
  running.push(emu);
  return emu;
}
const keys = (emu: RunningEmulator) => ({ APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret });
/** Orders the venue created (a POST or PATCH it accepted). */
const created = (audit: readonly AuditRow[]) => audit.filter((o) => (o.action === 'submit' || o.action === 'replace') && o.orderId !== null);

/** No client id twice, every order final at the venue, and each submit of a sell before the first buy's. */
export function expectOrderly(audit: readonly AuditRow[], emu: RunningEmulator): void {
  const ids = created(audit).map((o) => o.clientOrderId);
  expect(new Set(ids).size, `duplicate client ids: ${ids.join(', ')}`).toBe(ids.length);
  expect(workingAt(emu)).toEqual([]);
}

suite(`rebalance on Alpaca (emulator, real SDK) of the 2013-10-07 open (${hasRealData ? 'present' : 'skipped: ../shared/data/quotes is absent'})`, () => {
  it('sells before the buys they fund, no duplicate or orphan order, positions at the targets within 1 pp, recorded as one rebalance linking its legs', async () => {
    const emu = await emulator();
    const f = rebalanceFiles();
    const r = await runCliAsync([...rebalanceArgs(emu, f), '--json'], keys(emu));
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    const out = JSON.parse(r.stdout) as { rebalanceId: string; mode: string; outcome: string; legs: { symbol: string; side: string; outcome: string }[] };
    expect(out).toMatchObject({ mode: 'paper', outcome: 'completed' });
    const audit = await auditOf(emu);
    expectOrderly(audit, emu);
    const submits = audit.filter((o) => o.action === 'submit');
    const firstBuy = submits.find((o) => o.side === 'buy')!;
    const sells = submits.filter((o) => o.side === 'sell');
    expect(sells.map((o) => o.symbol)).toContain('BAC');
    expect([...new Set(submits.filter((o) => o.side === 'buy').map((o) => o.symbol))].sort()).toEqual(['AIG', 'IBM']);
    // Little cash: the buys wait for the sells. Every sell child went (and ended) before any buy.
    expect(Math.max(...sells.map((o) => o.seq))).toBeLessThan(firstBuy.seq);
    for (const o of submits) expect(o.clientOrderId!.startsWith(`${out.rebalanceId}:${o.symbol}:`)).toBe(true);

    const after = await brokerWeights(emu);
    for (const [s, w] of Object.entries(TARGETS)) expect(Math.abs((after.weights[s] ?? 0) - w) * 100, `${s} at ${after.weights[s]}`).toBeLessThan(1);
    expect(after.cash).toBeGreaterThanOrEqual(0);

    const sql = new Database(f.db, { readonly: true });
    try {
      const rb = sql.prepare('SELECT id, outcome FROM rebalances WHERE rebalance_key = ?').get(out.rebalanceId) as { id: number; outcome: string };
      expect(rb.outcome).toBe('completed');
      const legs = sql.prepare('SELECT execution_key, filled_qty FROM executions WHERE rebalance_id = ? ORDER BY execution_key').all(rb.id) as { execution_key: string; filled_qty: number }[];
      expect(legs.map((l) => l.execution_key)).toEqual(['AIG', 'BAC', 'IBM'].map((s) => `${out.rebalanceId}:${s}`));
      // The record equals the broker: each leg's fills are what the venue filled under its client ids.
      for (const l of legs) {
        const broker = created(audit).filter((o) => o.clientOrderId!.startsWith(`${l.execution_key}:`)).reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
        expect(l.filled_qty).toBe(Math.round(broker * 1e9));
      }
      // Each leg's window is a CSV tape beside the database, named in the run's data_ref.
      const dataRef = (sql.prepare('SELECT r.data_ref FROM runs r JOIN rebalances b ON b.run_id = r.id WHERE b.id = ?').get(rb.id) as { data_ref: string }).data_ref;
      const files = dataRef.split('; ');
      expect(files).toHaveLength(3);
      for (const file of files) expect(readFileSync(file, 'utf8')).toMatch(/^time,bid,bid_size,ask,ask_size\n\d+,/);
      const row = sql.prepare('SELECT status, kind, lock_pid, record_id FROM live_rebalances WHERE rebalance_key = ?').get(out.rebalanceId);
      expect(row).toEqual({ status: 'completed', kind: 'paper', lock_pid: null, record_id: rb.id });
    } finally {
      sql.close();
    }
  }, 120_000);

  it('a rejected sell (fault reject-sell=BAC) shrinks the buys to the cash there is: nothing is bought with money that does not exist', async () => {
    const emu = await emulator({ faults: 'reject-sell=BAC' });
    const f = rebalanceFiles();
    const r = await runCliAsync([...rebalanceArgs(emu, f), '--json'], keys(emu));
    const out = JSON.parse(r.stdout) as { outcome: string; legs: { symbol: string; side: string; outcome: string; sentQty: number | null }[] };
    expect(r.status, r.stderr).toBe(3); // partial: the buys traded, the sell did not
    expect(out.legs.find((l) => l.symbol === 'BAC')!.outcome).toBe('failed');
    const audit = await auditOf(emu);
    expectOrderly(audit, emu);
    expect(audit.filter((o) => o.action === 'submit' && o.side === 'sell').every((o) => o.httpStatus === 403)).toBe(true);
    // What the buys cost, from the venue's fills: within the $500 of cash the account had.
    const after = await brokerWeights(emu);
    expect(after.cash).toBeGreaterThanOrEqual(0);
    expect(after.cash).toBeLessThan(CASH_USD);
    const bought = created(audit).filter((o) => o.side === 'buy').reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
    expect(bought).toBeGreaterThan(0);
    expect(after.qty['BAC']).toBe(5000);
    // The reject is raised as execute raises it, on stderr as it happens and recorded with the run.
    expect(r.stderr).toMatch(/alert: .*broker-reject/);
    const sql = new Database(f.db, { readonly: true });
    try {
      const alerts = sql.prepare('SELECT kind, execution_key, run_id FROM alerts').all() as { kind: string; execution_key: string | null; run_id: number | null }[];
      const runId = (sql.prepare('SELECT run_id FROM rebalances').get() as { run_id: number }).run_id;
      expect(alerts.some((x) => x.kind === 'broker-reject' && x.execution_key!.endsWith(':BAC'))).toBe(true);
      for (const x of alerts) expect(x.run_id).toBe(runId);
    } finally {
      sql.close();
    }
  }, 120_000);

  it('--dry-run prints the plan from the account and sends nothing; the total-notional rail refuses a --live rebalance before anything is sent', async () => {
    const emu = await emulator();
    const f = rebalanceFiles({ maxNotionalPerOrder: 100_000, maxRebalanceNotional: 20_000 });
    const dry = await runCliAsync([...rebalanceArgs(emu, f), '--dry-run', '--json'], keys(emu));
    expect(dry.status, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { dryRun: boolean; plan: { symbol: string; side: string }[]; rails: { refusals: string[]; binding: boolean } };
    expect(plan.plan.map((o) => `${o.side} ${o.symbol}`)).toEqual(['sell BAC', 'buy AIG', 'buy IBM']);
    expect(plan.rails.refusals).toEqual([expect.stringMatching(/above maxRebalanceNotional 20000/)]);
    expect(plan.rails.binding).toBe(false);
    const live = await runCliAsync([...rebalanceArgs(emu, f), '--live'], { ...keys(emu), BETTER_ORDERS_LIVE: 'yes' });
    expect(live.status).toBe(2);
    expect(live.stderr).toMatch(/^better-orders: rebalance --live refused: the plan's orders add up to [\d.]+ USD, above maxRebalanceNotional 20000; nothing was sent\n$/);
    const liveDry = await runCliAsync([...rebalanceArgs(emu, f), '--live', '--dry-run'], { ...keys(emu), BETTER_ORDERS_LIVE: 'yes' });
    expect(liveDry.status).toBe(2);
    expect(liveDry.stdout).toContain('REFUSED');
    expect((await auditOf(emu)).filter((o) => o.action !== 'lookup')).toEqual([]);
  }, 60_000);

  it('5 wins: a sell whose cancel the broker never confirms is named first, no buy is sent, the rebalance stays "working"', async () => {
    // The sell's first child rests (rest=1) and its cancel never goes through (cancel-5xx).
    const emu = await emulator({ faults: 'cancel-5xx=1000,rest=1' });
    const f = rebalanceFiles({ ladder: { maxSlippageBps: 0, maxRepegs: 0, timeouts: { openMs: 3_000, normalMs: 3_000 }, fallback: { mode: 'stop' } } });
    const r = await runCliAsync([...rebalanceArgs(emu, f, 10), '--json'], keys(emu));
    expect(r.status, r.stderr).toBe(5);
    const top = r.stdout.split('\n')[0]!;
    expect(top).toMatch(/^ORDERS MAY STILL BE WORKING at the broker for RB-\S+: RB-\S+:BAC:1/);
    const audit = await auditOf(emu);
    expect(audit.filter((o) => o.action === 'submit' && o.side === 'buy')).toEqual([]);
    // What still works at the venue is exactly what the first line names.
    for (const id of workingAt(emu)) expect(top).toContain(id);
    const out = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { rebalanceId: string; exitCode: number };
    expect(out.exitCode).toBe(5);
    const sql = new Database(f.db, { readonly: true });
    try {
      expect(sql.prepare('SELECT status FROM live_rebalances WHERE rebalance_key = ?').get(out.rebalanceId)).toEqual({ status: 'working' });
    } finally {
      sql.close();
    }
  }, 90_000);
});
