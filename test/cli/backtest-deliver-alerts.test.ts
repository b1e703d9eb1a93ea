/**
 * `backtest --deliver-alerts` against a loopback webhook receiver started by the test: alerts are
 * delivered, a receiver that answers 500 or hangs does not hold the process for longer than the
 * configured exit grace, and every alert is in SQLite whatever the receiver did.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Answer, type Receiver } from '../live/alerts/loopback-receiver.js';
import { runCliAsync, tempDir } from './run-cli.js';

const ARGS = ['backtest', '--date', '2024-03-05', '--qty', '3000', '--strategies', 'ladder,market'];
const GRACE_MS = 500;

let receiver: Receiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

/** Deliveries that must all finish get a grace no loaded machine runs out of; the hang test uses GRACE_MS. */
async function run(answer: (n: number) => Answer, webhook: Record<string, unknown>, deliver = true, graceMs = 20_000) {
  receiver = await startReceiver(answer);
  const dir = tempDir();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ alerts: { exitGraceMs: graceMs, sinks: { webhook: { url: receiver.url, ...webhook } } } }));
  const db = join(dir, 'runs.db');
  const t0 = performance.now();
  const r = await runCliAsync([...ARGS, '--config', config, '--db', db, ...(deliver ? ['--deliver-alerts'] : [])]);
  const ms = performance.now() - t0;
  const stored = new Database(db, { readonly: true }).prepare('SELECT kind, execution_key FROM alerts ORDER BY time, id').all() as { kind: string; execution_key: string }[];
  return { r, ms, stored, received: receiver.received };
}

describe('backtest --deliver-alerts', () => {
  it('delivers each recorded alert to the webhook and prints it on stderr; without the flag nothing is sent', async () => {
    const quiet = await run(() => 200, {}, false);
    expect(quiet.r.status).toBe(0);
    expect(quiet.received).toHaveLength(0);
    expect(quiet.r.stderr).not.toMatch(/^alert: /m);
    await receiver?.close();

    const { r, stored, received } = await run(() => 200, {});
    expect(r.status).toBe(0);
    expect(stored.length).toBeGreaterThan(0);
    expect(received.map((x) => JSON.parse(x.body)).map((p: { executionId: string; kind: string }) => `${p.executionId} ${p.kind}`).sort()).toEqual(stored.map((s) => `${s.execution_key} ${s.kind}`).sort());
    expect(r.stderr.split('\n').filter((l) => l.startsWith('alert: '))).toHaveLength(stored.length);
  });

  it('a receiver that answers 500: each alert is tried 1 + retries times, the failure said in one line each, the run still exits 0 with its alerts stored', async () => {
    const { r, stored, received } = await run(() => 500, { retries: 1, retryDelayMs: 20 });
    expect(r.status).toBe(0);
    expect(received).toHaveLength(2 * stored.length);
    expect(r.stderr.split('\n').filter((l) => /^better-orders: alert webhook: .* not delivered: HTTP 500 after 2 attempt\(s\)$/.test(l))).toHaveLength(stored.length);
  });

  it(`a receiver that hangs holds the exit for the ${GRACE_MS} ms grace, not for its 60 s timeout; the alerts are stored`, async () => {
    const baseline = await run(() => 200, {}, false);
    await receiver?.close();
    const hung = await run(() => 'hang', { timeoutMs: 60_000 }, true, GRACE_MS);
    expect(hung.r.status).toBe(0);
    expect(hung.received.length).toBeLessThanOrEqual(1); // one request at a time: the first hangs, the rest wait
    expect(hung.stored).toEqual(baseline.stored);
    expect(hung.r.stderr).toMatch(new RegExp(`^better-orders: ${hung.stored.length} alert deliver(y|ies) abandoned after the ${GRACE_MS} ms exit grace \\(the alerts are in the database\\)$`, 'm'));
    // The grace plus generous room for a loaded machine: far below the receiver's 60 s.
    expect(hung.ms - baseline.ms).toBeLessThan(GRACE_MS + 3_000);
  });
});
