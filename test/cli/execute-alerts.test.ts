/**
 * Issue 12's must-show, end to end: `execute` through the built CLI and the real SDK against the
 * loopback emulator, with a loopback webhook receiver started here. A run that uses the fallback
 * and one that leaves a partial fill deliver the right alerts; a receiver that hangs or answers
 * 500 does not delay the execution, the process still exits within alerts.exitGraceMs of its
 * result, and every alert is in SQLite with the run. No broker key is in any payload.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { startEmulator, type EmulatorOptions } from '../../src/live/emulator/server.js';
import { startReceiver, type Answer, type Receiver } from '../live/alerts/loopback-receiver.js';
import { noPrintFills, RESTING_QTY, risingTape, tape } from './execute-emulator-run.js';
import { REPO_ROOT, tempDir } from './run-cli.js';

interface StoredRow { run_id: number | null; execution_key: string; kind: string; severity: string; message: string; time: number }

interface AlertRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From the first stderr line (the execution id: the program is loaded) to the result on stdout, wall ms. */
  readonly executionWallMs: number;
  /** From the result on stdout to the exit, wall ms: the exit grace at work. */
  readonly tailMs: number;
  /** When the result came (performance.now() of this process, as the receiver stamps what it gets). */
  readonly resultAt: number;
  readonly rows: StoredRow[];
  readonly runIds: number[];
  readonly keys: { keyId: string; secret: string };
}

let receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(answer: (nth: number) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

/** `execute --json` as a user runs it, against a fresh emulator, timing the result and the exit. */
async function executeWithAlerts(emuOpts: Omit<EmulatorOptions, 'startMs' | 'tape' | 'tapes'> & { tape: Tape; startEt: string }, args: readonly string[], config: unknown): Promise<AlertRun> {
  const emu = await startEmulator({ ...emuOpts, startMs: etClockToEpoch(emuOpts.tape.date, emuOpts.startEt) });
  try {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify(config));
    const argv = [join(REPO_ROOT, 'bin', 'better-orders.js'), 'execute', '--symbol', emuOpts.tape.symbol, '--endpoint', emu.baseUrl, '--clock-speed', String(emuOpts.speed), '--db', db, '--config', cfg, '--json', ...args];
    const child = spawn(process.execPath, argv, {
      cwd: REPO_ROOT,
      env: { ...process.env, BETTER_ORDERS_DEBUG: '', BETTER_ORDERS_LIVE: '', APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret },
    });
    let stdout = '';
    let stderr = '';
    let startedAt = 0;
    let resultAt = 0;
    child.stderr.on('data', (d: Buffer) => {
      startedAt ||= performance.now();
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      resultAt ||= performance.now();
      stdout += d.toString();
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const exitAt = performance.now();
    const sql = new Database(db, { readonly: true });
    try {
      const rows = sql.prepare('SELECT run_id, execution_key, kind, severity, message, time FROM alerts ORDER BY time, id').all() as StoredRow[];
      const runIds = (sql.prepare('SELECT id FROM runs').all() as { id: number }[]).map((r) => r.id);
      return { status, stdout, stderr, executionWallMs: resultAt - startedAt, tailMs: exitAt - resultAt, resultAt, rows, runIds, keys: emu.keys };
    } finally {
      sql.close();
    }
  } finally {
    await emu.close();
  }
}

/** The first child rests until cancelled (the rest fault), then the default market fallback fills the rest. */
const fallbackLadder = { maxSlippageBps: 0, maxRepegs: 1, timeouts: { openMs: 3_000, normalMs: 3_000 } };
const fallbackRun = (config: unknown) =>
  executeWithAlerts({ tape: risingTape, startEt: '09:40:00', speed: 10, fillModel: noPrintFills, faults: 'rest=1' }, ['--side', 'buy', '--qty', String(RESTING_QTY), '--execution-id', 'fb'], config);
/** One marketable limit for far more than the book shows, fallback "stop": partly filled, nothing left working (as in execute-exit-codes). */
const partialLadder = { aggressionTicks: 20, maxSlippageBps: null, maxRepegs: 0, timeouts: { openMs: 3_000, normalMs: 3_000 }, fallback: { mode: 'stop' } };
const partialRun = (config: unknown) => executeWithAlerts({ tape, startEt: '09:40:00', speed: 10 }, ['--side', 'buy', '--qty', '1000000', '--execution-id', 'pt'], config);

const webhook = (url: string, over: Record<string, unknown> = {}) => ({ url, timeoutMs: 1_000, retries: 2, retryDelayMs: 50, ...over });

/** What the webhook received, parsed; and that no broker key is anywhere in it. */
function payloads(r: Receiver, keys: AlertRun['keys']): { kind: string; executionId: string; severity: string; message: string; source: string }[] {
  for (const got of r.received) {
    expect(got.body).not.toContain(keys.keyId);
    expect(got.body).not.toContain(keys.secret);
    expect(JSON.stringify(got.headers)).not.toContain(keys.secret);
  }
  return r.received.map((x) => JSON.parse(x.body) as { kind: string; executionId: string; severity: string; message: string; source: string });
}

/** Every alert of the run is in SQLite, attached to the one run recorded, and on stderr; no key in either. */
function expectRecorded(run: AlertRun, executionId: string): void {
  expect(run.runIds).toHaveLength(1);
  const alertLines = run.stderr.split('\n').filter((l) => l.startsWith('alert: '));
  expect(alertLines).toHaveLength(run.rows.length);
  run.rows.forEach((row, i) => {
    expect(row).toMatchObject({ run_id: run.runIds[0], execution_key: executionId });
    expect(alertLines[i]).toContain(`${row.kind}`);
    expect(alertLines[i]!.endsWith(`${executionId}  ${row.message}`)).toBe(true);
  });
  expect(run.stderr).not.toContain(run.keys.keyId);
  expect(run.stderr).not.toContain(run.keys.secret);
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
}

describe('execute raises and delivers alerts (issue 12, end to end)', () => {
  it('a run that uses the fallback: fallback-used reaches the webhook and SQLite, with the run; no key in a payload', async () => {
    const hook = await receiver(() => 200);
    const run = await fallbackRun({ ladder: fallbackLadder, alerts: { sinks: { webhook: webhook(hook.url) } } });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { executions: { usedFallback: boolean; outcome: string; decisionTime: number; durationMs: number }[] };
    const ex = out.executions[0]!;
    expect(ex).toMatchObject({ usedFallback: true, outcome: 'filled' });
    const kinds = run.rows.map((r) => r.kind);
    expect(kinds).toContain('fallback-used');
    expect(kinds).not.toContain('partial-fill');
    // Raised from the decision log as the fallback was taken (market time), before the execution
    // ended: not read back from the finished report.
    expect(run.rows.find((r) => r.kind === 'fallback-used')!.time).toBeLessThan(ex.decisionTime + ex.durationMs);
    expectRecorded(run, 'fb');
    // Every stored alert was delivered, once, as stored.
    const got = payloads(hook, run.keys);
    expect(got.map((p) => p.kind)).toEqual(kinds);
    expect(got.map((p) => p.message)).toEqual(run.rows.map((r) => r.message));
    expect(got.every((p) => p.executionId === 'fb' && p.source === 'better-orders')).toBe(true);
    // Delivered while the order was working: the first POST came before the result.
    expect(hook.received[0]!.at).toBeLessThan(run.resultAt);
  }, 60_000);

  it('a run that leaves a partial fill, receiver answering 500: partial-fill is in SQLite and was attempted 3 times; the exit waited for the retries only', async () => {
    const hook = await receiver(() => 500);
    const run = await partialRun({ ladder: partialLadder, alerts: { sinks: { webhook: webhook(hook.url) }, exitGraceMs: 3_000 } });
    expect(run.status, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 3, executions: [{ outcome: 'partial' }] });
    const kinds = run.rows.map((r) => r.kind);
    expect(kinds).toContain('partial-fill');
    expect(kinds).not.toContain('fallback-used');
    expectRecorded(run, 'pt');
    // Each alert: the first attempt and 2 retries, each answered 500, then given up with one line.
    const got = payloads(hook, run.keys);
    for (const kind of kinds) expect(got.filter((p) => p.kind === kind)).toHaveLength(3);
    expect(run.stderr).toMatch(/alert webhook: partial-fill for pt not delivered: HTTP 500 after 3 attempt\(s\)/);
    console.log(`500 receiver: execution ${Math.round(run.executionWallMs)} ms wall to its result, exit ${Math.round(run.tailMs)} ms after it (${kinds.length} alert(s), 3 attempts each, 50 + 100 ms between)`);
    // The retries of the last alert (150 ms of waits) after the result, well inside the 3 s grace.
    expect(run.tailMs).toBeLessThan(3_000);
  }, 60_000);

  it('a receiver that hangs delays neither the fallback run nor, past exitGraceMs, its exit; the alerts are in SQLite', async () => {
    const hook = await receiver(() => 'hang');
    // Attempts that would each hang 30 s: only the 1 s exit grace bounds what the process waits.
    const run = await fallbackRun({ ladder: fallbackLadder, alerts: { sinks: { webhook: webhook(hook.url, { timeoutMs: 30_000 }) }, exitGraceMs: 1_000 } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.rows.map((r) => r.kind)).toContain('fallback-used');
    expectRecorded(run, 'fb');
    // The first alert's POST reached the receiver (and hung there) before the result: the order
    // went on working and finished while that delivery hung.
    expect(hook.received.length).toBeGreaterThanOrEqual(1);
    expect(hook.received[0]!.at).toBeLessThan(run.resultAt);
    payloads(hook, run.keys);
    expect(run.stderr).toMatch(/alert deliver(y|ies) abandoned after the 1000 ms exit grace \(the alerts are in the database\)/);
    console.log(`hanging receiver: execution ${Math.round(run.executionWallMs)} ms wall to its result, exit ${Math.round(run.tailMs)} ms after it (grace 1000 ms, each attempt would hang 30 s)`);
    // The order flow never waited for the hung POST (30 s): the whole execution, from the program
    // loaded to its result, takes the ladder (two 0.3 s waits at 10x) and the broker's round trips.
    expect(run.executionWallMs).toBeLessThan(10_000);
    // The exit: the 1 s grace, then the abort and the database closed (a loaded machine: margin 1.5 s).
    expect(run.tailMs).toBeGreaterThanOrEqual(900);
    expect(run.tailMs).toBeLessThan(2_500);
  }, 60_000);
});
