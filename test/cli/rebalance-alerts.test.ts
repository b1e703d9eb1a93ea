/**
 * A simulated rebalance raises the alerts a live one would (issue 12 with issue 11): the
 * rebalance-drift rule over its summary (targets and weights after), and each leg's execution
 * alerts; they are recorded with the run, printed with the result and in its JSON.
 * `thresholdPct` is wired: whole shares always leave some drift, so 0 pp fires and 100 pp cannot.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

async function rebalance(thresholdPct: number) {
  const dir = tempDir();
  const file = (name: string, data: unknown): string => {
    writeFileSync(join(dir, name), JSON.stringify(data));
    return join(dir, name);
  };
  const scenario = file('s.json', { name: 'one open', data: { synthetic: { profile: 'tqqq-like', startDate: '2024-03-04', days: 1, seed: 3 } } });
  const config = file('c.json', { alerts: { rules: { rebalanceDrift: { thresholdPct } } } });
  const db = join(dir, 'runs.db');
  const args = ['rebalance', '--scenario', scenario, '--targets', file('t.json', { weights: { TQQQ: 0.5 } }), '--cash', '100000', '--config', config, '--db', db];
  const json = await runInProcess([...args, '--json']);
  const text = await runInProcess(args);
  const sql = new Database(db, { readonly: true });
  const stored = sql.prepare('SELECT run_id, rebalance_id, execution_key, kind, message FROM alerts WHERE run_id = 1 ORDER BY time, id').all() as { run_id: number; rebalance_id: string | null; execution_key: string | null; kind: string; message: string }[];
  sql.close();
  return { json, text, stored };
}

describe('rebalance raises alerts into the record', () => {
  it('thresholdPct 0: the drift left by whole shares fires once, naming the rebalance; recorded with the run, printed, in --json', async () => {
    const { json, text, stored } = await rebalance(0);
    expect(json.status, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { rebalanceId: string; summary: { targetWeights: Record<string, number>; weightsAfter: Record<string, number>; maxDriftPct: number }; alerts: { kind: string; rebalanceId?: string; message: string }[] };
    expect(out.summary.targetWeights).toEqual({ TQQQ: 0.5 });
    expect(out.summary.maxDriftPct).toBeGreaterThan(0);
    const drift = stored.filter((a) => a.kind === 'rebalance-drift');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ run_id: 1, rebalance_id: out.rebalanceId, execution_key: null });
    expect(drift[0]!.message).toMatch(new RegExp(`^rebalance ${out.rebalanceId} left TQQQ at [\\d.]+% against a 50\\.0% target: [\\d.]+ pp of drift, above the 0 pp threshold$`));
    // Every stored alert is in the JSON, in order, and the leg's alerts name its execution.
    expect(out.alerts.map((a) => a.message)).toEqual(stored.map((a) => a.message));
    for (const a of stored.filter((x) => x.kind !== 'rebalance-drift')) expect(a.execution_key).not.toBeNull();
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/ {2}alert: .* rebalance-drift +RB-20240304-\d+ +rebalance RB-/);
  });

  it('thresholdPct 100: no drift alert (no weight can be 100 pp off)', async () => {
    const { json, stored } = await rebalance(100);
    expect(json.status, json.stderr).toBe(0);
    expect(stored.filter((a) => a.kind === 'rebalance-drift')).toEqual([]);
  });
});
