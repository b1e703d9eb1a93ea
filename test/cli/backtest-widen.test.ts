import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

/** A calm generic-CSV open: $50.00 x $50.02 every 500 ms from 09:29 to 09:45 ET (EST, UTC-5). */
function calmCsv(dir: string): string {
  const start = Date.parse('2024-03-04T09:29:00-05:00');
  const rows = ['time,bid,bid_size,ask,ask_size'];
  for (let t = start; t < start + 16 * 60_000; t += 500) rows.push(`${t},50.00,300,50.02,300`);
  return writeText(join(dir, 'TQQQ_2024-03-04.csv'), `${rows.join('\n')}\n`);
}

function writeText(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}

interface Json {
  executions: { strategy: string; arrival: { bid: number; ask: number }; costBps: number }[];
}

async function backtest(dir: string, args: string[]): Promise<Json> {
  const r = await runInProcess(['backtest', ...args, '--strategies', 'market', '--at', '09:30:05', '--json', '--db', join(dir, 'run.db')]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

const arrivalSpread = (j: Json): number => Math.round((j.executions[0]!.arrival.ask - j.executions[0]!.arrival.bid) * 100);

describe('backtest --widen', () => {
  const dir = tempDir();
  const csv = calmCsv(dir);

  it('widens the replayed spreads near the open, so a market order pays more', async () => {
    const plain = await backtest(dir, ['--tape', csv]);
    const widened = await backtest(dir, ['--tape', csv, '--widen', 'peak=4,decay=90s']);
    expect(arrivalSpread(plain)).toBe(2);
    expect(arrivalSpread(widened)).toBeGreaterThanOrEqual(4);
    expect(widened.executions[0]!.costBps).toBeGreaterThan(plain.executions[0]!.costBps);
    expect(await backtest(dir, ['--tape', csv, '--widen', 'peak=4,decay=90s'])).toEqual({ ...widened, runId: expect.any(Number) });
  });

  it('overrides the scenario field', async () => {
    const scenario = writeText(join(dir, 'w.json'), JSON.stringify({ name: 'w', data: { tapes: [csv] }, widen: { peak: 6, decaySeconds: 120, noise: 0 } }));
    expect(arrivalSpread(await backtest(dir, ['--scenario', scenario]))).toBeGreaterThanOrEqual(10);
    expect(arrivalSpread(await backtest(dir, ['--scenario', scenario, '--widen', 'peak=1,decay=1s']))).toBe(2);
  });

  it.each([
    ['peak=4', /--widen peak=4: "decay" is missing/],
    ['peak=4,decay=90', /--widen peak=4,decay=90: bad part "decay=90"/],
    ['peak=x,decay=2m', /bad part "peak=x"/],
    ['peak=4,decay=90s,tilt=2', /bad part "tilt=2": unknown key/],
  ])('refuses --widen %s in one line', async (value, message) => {
    const r = await runInProcess(['backtest', '--tape', csv, '--widen', value, '--db', join(dir, 'bad.db')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

describe('backtest --scenario scenarios/halt.json', () => {
  it('runs from the CLI', async () => {
    const dir = tempDir();
    const r = await runInProcess(['backtest', '--scenario', join(REPO_ROOT, 'scenarios', 'halt.json'), '--strategies', 'ladder', '--db', join(dir, 'h.db'), '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { scenario: string; executions: { outcome: string; reason: string | null }[] };
    expect(out.scenario).toBe('halt');
    expect(out.executions.length).toBeGreaterThan(0);
    for (const e of out.executions) expect(e.outcome === 'filled' || /quote/.test(e.reason ?? '')).toBe(true);
  });
});
