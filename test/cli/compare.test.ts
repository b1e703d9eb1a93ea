import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator, type RunningEmulator } from '../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { openDatabase } from '../../src/store/open-database.js';
import { readExecution } from '../../src/store/read-executions.js';
import { recordExecutions, recordRun } from '../../src/store/record-run.js';
import { runCliAsync, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const DATE = '2024-06-03';
const SPEED = 1;
/**
 * One tick of TQQQ in dollars. The simulated and real average prices must agree within
 * TOLERANCE_TICKS: the replay draws its own latencies (submit 40 + up to 25 ms jitter, x3 at the
 * open), and the real run adds wall-clock scheduling and HTTP round trips multiplied by the
 * emulator's speed, so near the open a child can meet a quote or two later or earlier. The
 * emulator runs in real time here: at 20 the real run reacted hundreds of venue ms late and we saw
 * up to 6 ticks; at 4, 0 on a quiet machine but 7 at a load average of 12 (a second of wall-clock
 * scheduling delay became four venue seconds on a moving open). The filled quantity must be equal.
 */
const TICK = 0.01;
const TOLERANCE_TICKS = 5;
const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00' });
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:00'), speed: SPEED });
});
afterAll(async () => {
  await emu.close();
});

interface Side { outcome: string; filledQty: number; avgPrice: number | null; costBps: number | null; timeToFillMs: number | null; repegs: number; usedFallback: boolean }
interface CompareJson { executionId: number; real: Side; simulated: Side; diff: { filledQty: number; avgPrice: number | null; costBps: number | null; timeToFillMs: number | null; repegs: number }; comparisonId: number }

describe('better-orders compare (emulator execution, then its simulated replay)', () => {
  const dir = tempDir();
  const db = join(dir, 'runs.db');
  let execRowId = 0;
  let tapePath = '';

  it('execute --endpoint, then compare --execution ID --json: same filled qty, avg price within a few ticks, comparison stored', async () => {
    const ex = await runCliAsync(['execute', '--symbol', tape.symbol, '--side', 'buy', '--qty', '200', '--endpoint', emu.baseUrl, '--clock-speed', String(SPEED), '--db', db, '--json'], { APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret });
    expect(ex.status).toBe(0);
    const { runId, executionId } = JSON.parse(ex.stdout) as { runId: number; executionId: string };
    // The execution id, before anything was sent, is all execute says on stderr.
    expect(ex.stderr).toBe(`execution id ${executionId} (resume after a crash with --resume ${executionId})\n`);
    const sql = new Database(db, { readonly: true });
    const row = sql.prepare('SELECT e.id, e.execution_key, r.data_ref FROM executions e JOIN runs r ON r.id = e.run_id WHERE e.run_id = ?').get(runId) as { id: number; execution_key: string; data_ref: string };
    sql.close();
    execRowId = row.id;
    tapePath = row.data_ref;

    const r = await runInProcess(['compare', '--execution', String(execRowId), '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as CompareJson;
    console.log(`compare (${db}): real ${JSON.stringify(out.real)} sim ${JSON.stringify(out.simulated)}`);
    expect(out.executionId).toBe(execRowId);
    expect(out.real.outcome).toBe('filled');
    expect(out.real.filledQty).toBe(200);
    expect(out.simulated.filledQty).toBe(out.real.filledQty);
    expect(out.diff.filledQty).toBe(0);
    expect(out.real.avgPrice).not.toBeNull();
    expect(out.simulated.avgPrice).not.toBeNull();
    expect(Math.abs(out.diff.avgPrice!)).toBeLessThanOrEqual(TOLERANCE_TICKS * TICK + 1e-9);
    expect(out.diff.avgPrice).toBeCloseTo(out.simulated.avgPrice! - out.real.avgPrice!, 6);
    expect(out.real.timeToFillMs).toBeGreaterThanOrEqual(0);
    expect(out.simulated.timeToFillMs).toBeGreaterThanOrEqual(0);

    const check = new Database(db, { readonly: true });
    const stored = check.prepare('SELECT execution_id, seed, real_filled_qty, sim_filled_qty, real_avg_price, sim_avg_price, real_repegs, sim_repegs, json_valid(sim_json) AS ok FROM comparisons WHERE id = ?').get(out.comparisonId) as Record<string, number | string>;
    check.close();
    expect(stored).toMatchObject({ execution_id: execRowId, seed: '1', real_filled_qty: 200e9, sim_filled_qty: 200e9, real_repegs: out.real.repegs, sim_repegs: out.simulated.repegs, ok: 1 });
    expect((stored['real_avg_price'] as number) / 1e4).toBeCloseTo(out.real.avgPrice!, 6);

    // Same seed, same replay: a second comparison is a second row with the same simulated numbers.
    // This time named by the execution id `execute` printed, which names the same execution.
    const again = await runInProcess(['compare', '--execution', row.execution_key, '--db', db]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^execution \d+ \(paper, buy 200 TQQQ 2024-06-03\) against the simulator, seed 1\n/);
    expect(again.stdout).toMatch(/avg price/);
    expect(again.stdout).toMatch(/stored as comparison \d+ in /);
    const count = new Database(db, { readonly: true });
    expect((count.prepare('SELECT count(*) AS n FROM comparisons WHERE execution_id = ?').get(execRowId) as { n: number }).n).toBe(2);
    count.close();
  }, 90_000);

  it('a database file that does not exist: one line, exit 2, and no file is created', async () => {
    const missing = join(dir, 'nope.db');
    const r = await runInProcess(['compare', '--execution', '1', '--db', missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`better-orders: compare: no database ${missing}\n`);
    expect(existsSync(missing)).toBe(false);
  }, 30_000);

  it('an unknown execution id: one line, exit 2', async () => {
    const r = await runInProcess(['compare', '--execution', '9999', '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`better-orders: no execution "9999" in ${db} (give its id as \`execute\` printed it, or its executions.id from \`better-orders show --run\`)\n`);
  }, 30_000);

  it('a simulated execution has no recorded window: one line, exit 2', async () => {
    const h = openDatabase(db);
    const report = readExecution(h, execRowId);
    const simRun = recordRun(h, { kind: 'sim', command: 'test', config: {}, seed: 1, dataRef: 'scenario', codeVersion: 't' });
    const [simExec] = recordExecutions(h, simRun, [report]);
    h.close();
    const r = await runInProcess(['compare', '--execution', String(simExec), '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`better-orders: compare: execution ${simExec} is a simulation (kind 'sim'); it has no recorded window to replay, only paper and live executions do\n`);
  }, 30_000);

  it('a missing tape file: one line naming it, exit 2, nothing stored', async () => {
    renameSync(tapePath, `${tapePath}.moved`);
    const r = await runInProcess(['compare', '--execution', String(execRowId), '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`better-orders: compare: the recorded tape of execution ${execRowId} is missing: ${tapePath}\n`);
    const sql = new Database(db, { readonly: true });
    expect((sql.prepare('SELECT count(*) AS n FROM comparisons').get() as { n: number }).n).toBe(2);
    sql.close();
  }, 30_000);
});
