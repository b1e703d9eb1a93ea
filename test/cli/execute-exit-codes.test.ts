/**
 * Issue 9, finding 10 and the exit codes, through the built CLI against the loopback emulator:
 * arguments checked before the network, the endpoint named, --paper, the execution id first,
 * exit codes 3, 4 and 5, and no idle tail after the result (finding 9).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator } from '../../src/live/emulator/server.js';
import { DATE, executeAgainst, expectFailSafe, noPrintFills, RESTING_QTY, risingTape, tape } from './execute-emulator-run.js';
import { REPO_ROOT, runCliAsync, tempDir } from './run-cli.js';

// Concurrent: each test has its own emulator on its own port and mostly waits on the replay clock.
describe.concurrent('execute: arguments and connection errors (finding 10)', () => {
  it('checks arguments before any network call: --qty -5 and --paper --live are one line, exit 2, against an endpoint nobody listens on', async () => {
    const env = { APCA_API_KEY_ID: 'K', APCA_API_SECRET_KEY: 'S' };
    const dead = ['--endpoint', 'http://127.0.0.1:9', '--db', join(tempDir(), 'x.db')];
    const neg = await runCliAsync(['execute', '--symbol', 'TQQQ', '--side', 'buy', '--qty=-5', ...dead], env);
    expect(neg).toMatchObject({ status: 2, stdout: '', stderr: 'better-orders: --qty -5: expected a positive number of shares\n' });
    const both = await runCliAsync(['execute', '--symbol', 'TQQQ', '--side', 'buy', '--qty', '5', '--paper', '--live', ...dead], env);
    expect(both).toMatchObject({ status: 2, stderr: 'better-orders: give --paper or --live, not both (paper trading is the default)\n' });
  }, 30_000);

  it('an unreachable endpoint is one line naming its URL, exit 4, nothing sent', async () => {
    const r = await runCliAsync(['execute', '--symbol', 'TQQQ', '--side', 'buy', '--qty', '5', '--endpoint', 'http://127.0.0.1:9', '--db', join(tempDir(), 'x.db')], { APCA_API_KEY_ID: 'K', APCA_API_SECRET_KEY: 'S' });
    expect(r.status).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^execution id bo-TQQQ-/);
    expect(lines[1]).toMatch(/^better-orders: cannot reach the broker at http:\/\/127\.0\.0\.1:9: GET http:\/\/127\.0\.0\.1:9\/v2\/clock failed: .+; nothing was sent$/);
    expect(r.stderr).not.toContain('interceptors');
  }, 30_000);

  it('--paper is accepted (it is the default); --json still prints the execution id on stderr first', async () => {
    const run = await executeAgainst({ tape, startEt: '09:36:00', speed: 10 }, ['--side', 'buy', '--qty', '50', '--paper', '--json']);
    expect(run.r.status).toBe(0);
    const out = JSON.parse(run.r.stdout) as { executionId: string; kind: string; exitCode: number };
    expect(out).toMatchObject({ kind: 'paper', exitCode: 0 });
    expect(run.r.stderr.split('\n')[0]).toBe(`execution id ${out.executionId} (resume after a crash with --resume ${out.executionId})`);
    expectFailSafe(run);
  }, 30_000);
});

// Concurrent: each test has its own emulator on its own port and mostly waits on the replay clock.
describe.concurrent('execute: exit codes say what happened', () => {
  it('4: nothing filled (the broker refused the order)', async () => {
    const run = await executeAgainst({ tape, startEt: '09:36:00', speed: 10, faults: 'reject=1' }, ['--side', 'buy', '--qty', '100']);
    expect(run.r.status).toBe(4);
    expect(run.r.stdout).toMatch(/^failed: buy 0\/100 /);
    expectFailSafe(run);
  }, 30_000);

  it('3: partly filled, nothing left working (one marketable limit for far more than the book shows, fallback "stop")', async () => {
    // Twenty ticks through the ask: marketable whatever the quote did between the decision and
    // the order's arrival on a loaded machine (at 10x a second of delay is 10 s of market); a
    // million shares is far more than the book offers in 3 s.
    const config = { ladder: { aggressionTicks: 20, maxSlippageBps: null, maxRepegs: 0, timeouts: { openMs: 3_000, normalMs: 3_000 }, fallback: { mode: 'stop' } } };
    const run = await executeAgainst({ tape, startEt: '09:40:00', speed: 10 }, ['--side', 'buy', '--qty', '1000000', '--json'], config);
    expect(run.r.status, run.r.stdout.slice(0, 3000)).toBe(3);
    expect(JSON.parse(run.r.stdout)).toMatchObject({ exitCode: 3, possiblyWorking: [], executions: [{ outcome: 'partial', qty: 1_000_000 }] });
    expectFailSafe(run);
  }, 30_000);

  it('5: an order whose cancel the broker never confirms is named first, on stdout and stderr, and it IS what still works at the broker', async () => {
    const config = { ladder: { maxSlippageBps: 0, maxRepegs: 0, timeouts: { openMs: 3_000, normalMs: 3_000 }, fallback: { mode: 'stop' } } };
    const run = await executeAgainst({ tape: risingTape, startEt: '09:40:00', speed: 10, fillModel: noPrintFills, faults: 'cancel-5xx=1000,rest=1' }, ['--side', 'buy', '--qty', String(RESTING_QTY), '--execution-id', 'stuck'], config);
    expect(run.r.status).toBe(5);
    expect(run.working).toEqual(['stuck:1']);
    expect(run.r.stdout.split('\n')[0]).toMatch(/^ORDERS MAY STILL BE WORKING at the broker for stuck: stuck:1 \(order [0-9a-f-]{36}, last new\)/);
    expect(run.r.stderr).toContain('better-orders: ORDERS MAY STILL BE WORKING at the broker for stuck: stuck:1');
    expect(run.audit.filter((o) => o.action === 'cancel').length).toBeGreaterThan(5); // the cancel was retried, never blindly given up
    expectFailSafe(run);
  }, 60_000);
});

describe('execute: no idle tail (finding 9)', () => {
  it('the execution (from its first output) exceeds its ladder by at most 3 s (load included), the process exits within a second of its result', async () => {
    // Real time (1x): a limit that rests (the rest fault) and is cancelled (each cancel used to leave the SDK's
    // 10 s timer behind), then the market fallback.
    const emu = await startEmulator({ tape: risingTape, startMs: etClockToEpoch(DATE, '09:40:00'), speed: 1, fillModel: noPrintFills, faults: 'rest=1' });
    try {
      const dir = tempDir();
      const cfg = join(dir, 'cfg.json');
      writeFileSync(cfg, JSON.stringify({ ladder: { maxSlippageBps: 0, maxRepegs: 1, timeouts: { openMs: 1_500, normalMs: 1_500 } } }));
      const t0 = performance.now();
      let resultAt = 0;
      let startedAt = 0;
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'better-orders.js'), 'execute', '--symbol', risingTape.symbol, '--side', 'buy', '--qty', String(RESTING_QTY), '--config', cfg, '--endpoint', emu.baseUrl, '--db', join(dir, 'runs.db'), '--json'], {
        env: { ...process.env, BETTER_ORDERS_DEBUG: '', BETTER_ORDERS_LIVE: '', APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret },
      });
      let stdout = '';
      // The first stderr line (the execution id) is written once node has loaded the program: from
      // there on the time is the execution's own, whatever the machine's load does to start-up.
      child.stderr.on('data', () => (startedAt ||= performance.now()));
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        resultAt ||= performance.now();
      });
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const exitAt = performance.now();
      expect(status).toBe(0);
      const ex = (JSON.parse(stdout) as { executions: { durationMs: number; childOrders: { status: string }[] }[] }).executions[0]!;
      expect(ex.childOrders.filter((c) => c.status === 'cancelled').length).toBeGreaterThanOrEqual(1);
      const wall = exitAt - t0;
      const own = exitAt - startedAt;
      const tail = exitAt - resultAt;
      console.log(`execute wall ${Math.round(wall)} ms (start-up ${Math.round(startedAt - t0)} ms), ladder ${ex.durationMs} ms, execution over the ladder by ${Math.round(own - ex.durationMs)} ms, exit ${Math.round(tail)} ms after the result`);
      // Each cancel used to leave a 10 s timer behind. (The whole wall time, node's start-up
      // included, is printed, not bounded: a loaded machine makes start-up alone take seconds.)
      // Over the ladder: the database, the REST checks and both stream handshakes. 0.5-1.9 s at a
      // load of 4-13 on the 2-core machine, once 2.3 s at load 13: bounded at 3 s, which a single
      // 10 s tail still breaks; the tail after the result is bounded on its own below.
      expect(own - ex.durationMs).toBeLessThan(3_000);
      expect(tail).toBeLessThan(1_000);
    } finally {
      await emu.close();
    }
  }, 60_000);
});

